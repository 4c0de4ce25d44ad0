// Routes kafkajs's own log lines through Nest's Logger so they share the service's format,
// and keeps its noisy INFO lines (joins, commits) out of normal output.
//
// kafkajs logs every error answer of the broker at ERROR ("Response GroupCoordinator(…)"), also the
// ones it retries by itself: a fresh `npm start` printed two red ERROR lines while the new broker's
// coordinator was still loading, and nothing was wrong. Such answers of a broker still starting or
// moving a coordinator or a leader are logged as warnings, saying they are retried; every other error
// answer (an unknown topic, too large a record, a refused ACL) stays an error.
import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';

/**
 * Kafka's codes a starting or failing-over cluster answers for a moment, which kafkajs retries:
 * LEADER_NOT_AVAILABLE, NOT_LEADER_FOR_PARTITION, BROKER_NOT_AVAILABLE, GROUP_LOAD_IN_PROGRESS,
 * GROUP_COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR_FOR_GROUP, FENCED_LEADER_EPOCH.
 */
const TRANSIENT_CODES = [5, 6, 8, 14, 15, 16, 74];
// The log line carries kafkajs's message, not the code: the messages from its table of codes (an
// internal module of the pinned kafkajs 2.2.4).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: { code: number; message: string }[] };
const TRANSIENT_ANSWERS = new Set(errorCodes.filter((error) => TRANSIENT_CODES.includes(error.code)).map((error) => error.message));

export function kafkaLogCreator(context: string) {
  const logger = new Logger(context);
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // Known, accepted: our producers keep a finite retry budget so a broker outage surfaces to the
      // outbox relay (which keeps the rows) instead of blocking shutdown; delivery is at-least-once
      // and consumers are idempotent, so kafkajs's exactly-once caveat does not apply.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const line = `${message} ${JSON.stringify(extra)}`;
      if (level === logLevel.ERROR && isTransientAnswer(message, extra)) logger.warn(`${line} (transient: kafkajs retries it)`);
      else if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
    };
}

function isTransientAnswer(message: string, extra: Record<string, unknown>): boolean {
  return message.startsWith('Response ') && typeof extra.error === 'string' && TRANSIENT_ANSWERS.has(extra.error);
}
