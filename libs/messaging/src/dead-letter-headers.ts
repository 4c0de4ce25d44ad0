// Headers of a dead letter. The original key, value and headers are kept as they were; these are
// added. Names follow Spring Kafka's DeadLetterPublishingRecoverer (kafka_dlt-*) so tools that know
// them find the origin and the reason; values are UTF-8 text (Spring writes partition, offset and
// timestamp as binary big-endian numbers), readable in any UI and in our dlq tooling.
import { IHeaders } from 'kafkajs';

export const DLT_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  attempts: 'x-attempts',
  firstFailureAt: 'x-first-failure-at',
  lastFailureAt: 'x-last-failure-at',
} as const;

const STACKTRACE_LIMIT = 4000;
const MESSAGE_LIMIT = 2000;

export interface DeadLetterCause {
  topic: string;
  partition: number;
  offset: string;
  /** The record's timestamp, ms since epoch, as kafkajs gives it. */
  timestamp: string;
  consumerGroup: string;
  error: unknown;
  attempts: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

export function deadLetterHeaders(original: IHeaders | undefined, cause: DeadLetterCause): IHeaders {
  const error = cause.error instanceof Error ? cause.error : new Error(String(cause.error));
  // Earlier dead-letter headers (a replayed message failing again) are replaced, not duplicated.
  const kept = Object.fromEntries(
    Object.entries(original ?? {}).filter(([name]) => !(Object.values(DLT_HEADERS) as string[]).includes(name)),
  );
  return {
    ...kept,
    [DLT_HEADERS.originalTopic]: cause.topic,
    [DLT_HEADERS.originalPartition]: String(cause.partition),
    [DLT_HEADERS.originalOffset]: cause.offset,
    [DLT_HEADERS.originalTimestamp]: cause.timestamp,
    [DLT_HEADERS.originalConsumerGroup]: cause.consumerGroup,
    [DLT_HEADERS.exceptionFqcn]: errorClassName(error),
    [DLT_HEADERS.exceptionMessage]: messageWithCause(error).slice(0, MESSAGE_LIMIT),
    [DLT_HEADERS.exceptionStacktrace]: (error.stack ?? '').slice(0, STACKTRACE_LIMIT),
    [DLT_HEADERS.attempts]: String(cause.attempts),
    [DLT_HEADERS.firstFailureAt]: cause.firstFailureAt.toISOString(),
    [DLT_HEADERS.lastFailureAt]: cause.lastFailureAt.toISOString(),
  };
}

/** The class name, and a distinct PascalCase name too (e.g. EventRejection.InvalidPayload). */
function errorClassName(error: Error): string {
  const className = error.constructor?.name || 'Error';
  return /^[A-Z]/.test(error.name) && error.name !== className ? `${className}.${error.name}` : className;
}

/** Wrapped errors (a query builder around a driver error) keep the driver's reason visible. */
function messageWithCause(error: Error): string {
  return error.cause instanceof Error ? `${error.message} (cause: ${error.cause.message})` : error.message;
}
