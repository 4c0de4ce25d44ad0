// Routes kafkajs's own log lines through Nest's Logger so they share the service's format,
// and keeps its noisy INFO lines (joins, commits) out of normal output.
//
// kafkajs logs every error answer of the broker at ERROR ("Response GroupCoordinator(…)"), also the
// ones it retries by itself: a fresh `npm start` printed two red ERROR lines while the new broker's
// coordinator was still loading, and nothing was wrong. An error answer Kafka marks retriable is
// logged as a warning, saying it is retried; an error that reaches our code is still reported there.
import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';

// kafkajs's table of Kafka's error codes (an internal module of the pinned 2.2.4): the message it
// gives each code, and whether Kafka marks that error retriable.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: { message: string; retriable: boolean }[] };
const RETRIABLE_MESSAGES = new Set(errorCodes.filter((code) => code.retriable).map((code) => code.message));

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
      if (level === logLevel.ERROR && isRetriableAnswer(message, extra)) logger.warn(`${line} (retriable: kafkajs retries it)`);
      else if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
    };
}

function isRetriableAnswer(message: string, extra: Record<string, unknown>): boolean {
  return message.startsWith('Response ') && typeof extra.error === 'string' && RETRIABLE_MESSAGES.has(extra.error);
}
