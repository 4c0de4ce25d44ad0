// Routes kafkajs's own log lines through Nest's Logger so they share the service's format,
// and keeps its noisy INFO lines (joins, commits) out of normal output.
import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';

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
      if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
    };
}
