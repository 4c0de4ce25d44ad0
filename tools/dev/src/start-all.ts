// `npm start`: the whole system on embedded defaults, in one terminal. Starts the local Kafka broker
// (unless KAFKA_BROKERS points at a cluster), creates the registry's topics, then runs order-service,
// inventory-service, dlq-replayer and the notification-lambda runner as child processes with prefixed output. Ctrl-C (or SIGTERM) stops the services
// cleanly, then the broker if this command started it.
import { KafkaLocalError, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { createKafkaClient, parseKafkaBrokers, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..', '..', '..');
const SERVICES = [
  { name: 'order-service', entry: 'apps/order-service/src/main.ts', port: 3001 },
  { name: 'inventory-service', entry: 'apps/inventory-service/src/main.ts', port: 3002 },
  { name: 'dlq-replayer', entry: 'apps/dlq-replayer/src/main.ts', port: 3003 },
  // The Lambda handler behind the local event-source runner (no HTTP port).
  { name: 'notification-lambda', entry: 'apps/notification-lambda/src/runner/main.ts', port: 0 },
];

const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  const external = process.env.KAFKA_BROKERS?.trim();
  let startedBroker = false;
  if (external) {
    say(`using the Kafka cluster at KAFKA_BROKERS=${external}`);
  } else {
    const broker = await startLocalBroker({ log: (line) => say(`kafka: ${line}`) });
    startedBroker = !broker.alreadyRunning;
    say(`kafka: ${broker.alreadyRunning ? 'already running' : 'started'} at ${broker.bootstrap} (data in ${broker.dir})`);
  }
  const brokers = parseKafkaBrokers(external);
  const kafka = createKafkaClient({ clientId: 'start-all', brokers });
  const { applied, plan } = await provisionTopics(kafka);
  await waitForGroupCoordinator(kafka);
  say(`topics: ${applied.length === 0 ? 'registry and cluster agree' : `${applied.length} change(s) applied`}${plan.replicationFactor.note ? ` (${plan.replicationFactor.note})` : ''}`);

  const children = SERVICES.map((service) => runService(service, brokers));
  let stopping = false;
  const stopAll = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping services...`);
    await Promise.all(children.map((child) => stopChild(child)));
    if (startedBroker) {
      say('stopping kafka...');
      await stopLocalBroker();
    }
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll('Ctrl-C', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
  for (const child of children) {
    child.once('exit', (code, signal) => {
      if (!stopping) void stopAll(`${child.spawnargs.at(-1)} exited (${signal ?? code})`, 1);
    });
  }
  say('order-service http://localhost:3001, inventory-service http://localhost:3002, dlq-replayer http://localhost:3003 (OpenAPI at /docs on each), notifications in .local/notification-lambda/outbox; Ctrl-C stops everything');
}

function runService(service: (typeof SERVICES)[number], brokers: string[]): ChildProcess {
  const child = spawn(process.execPath, [resolve(ROOT, 'tools/scripts/run-ts.js'), resolve(ROOT, service.entry)], {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      PORT: String(service.port),
      // Services log JSON (one object per line, for log shippers); in this terminal a person reads them.
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      // Without DLQ_REPLAYER_TOKEN the replayer runs in development mode and prints a generated token.
      ...(service.name === 'dlq-replayer' && !process.env.DLQ_REPLAYER_TOKEN ? { NODE_ENV: 'development' } : {}),
    },
    // Own process group: Ctrl-C reaches only this script, which then stops the services in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${service.name}] ${line}`));
  }
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

main().catch((error: Error) => {
  console.error(error instanceof KafkaLocalError ? `[start] kafka-local: ${error.message}` : `[start] ${error.message}`);
  process.exit(1);
});
