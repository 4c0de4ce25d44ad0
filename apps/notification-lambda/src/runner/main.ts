// `nx serve notification-lambda`: the local event-source runner invoking the Lambda handler in-process.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient, parseKafkaBrokers } from '@platform/messaging';
import { JsonLogger, logSettingsFromEnv } from '@platform/observability';
import { loadConfigOrExit } from '@platform/service-runtime';
import { handler } from '../handler';
import { EventSourceRunner, RunnerSettings } from './event-source-runner';

function positive(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return number;
}

const settings: RunnerSettings = loadConfigOrExit(SERVICES.notificationLambda, () => ({
  groupId: SERVICES.notificationLambda,
  topic: TOPICS.stockReserved.name,
  onFailureTopic: TOPICS.notificationLambdaDeadLetters.name,
  brokers: parseKafkaBrokers(process.env.KAFKA_BROKERS),
  batchSize: Math.max(1, positive('RUNNER_BATCH_SIZE', 100)),
  batchWindowMs: positive('RUNNER_BATCH_WINDOW_MS', 500),
  maxRetries: positive('RUNNER_MAX_RETRIES', 2),
  retryDelayMs: positive('RUNNER_RETRY_DELAY_MS', 200),
}));

// The same JSON log lines as the services (LOG_FORMAT=pretty for a terminal); a bad LOG_* value stops it in one line.
const logSettings = loadConfigOrExit(SERVICES.notificationLambda, () => logSettingsFromEnv());
Logger.overrideLogger(new JsonLogger({ service: SERVICES.notificationLambda, ...logSettings }));
const logger = new Logger(SERVICES.notificationLambda);
const runner = new EventSourceRunner(createKafkaClient({ clientId: SERVICES.notificationLambda, brokers: settings.brokers }), settings, handler);

runner.start().then(
  () => logger.log('event source runner ready'),
  (error: Error) => {
    process.stderr.write(`${SERVICES.notificationLambda}: failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log(`${signal} received, stopping`);
    // As the services do (runService): an invocation that never returns must not keep the process up.
    setTimeout(() => {
      logger.error('stopping took longer than 30 s, exiting');
      process.exit(1);
    }, 30_000).unref();
    runner.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
