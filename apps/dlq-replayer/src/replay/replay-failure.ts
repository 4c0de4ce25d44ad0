// Why one letter's replay failed, in an operator's words. A record the target topic refuses as too
// large (a letter at the DLQ's 2 MiB, or one at an event topic's 1 MiB plus the replay headers) is
// named with its size and the topic's limit; kafkajs says only "larger than the max message size".
import { findTopic } from '@platform/events';

/** Kafka's message.max.bytes default: what an event topic without its own limit accepts. */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface ReplayedRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function replayFailureReason(error: unknown, topic: string, record: ReplayedRecord | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!record || !isTooLarge(error)) return message;
  const limit = findTopic(topic)?.maxMessageBytes ?? BROKER_DEFAULT_MAX_MESSAGE_BYTES;
  return `${topic} refused the record as too large: ${recordBytes(record).toLocaleString('en')} bytes of key, value and headers, and it accepts ${limit.toLocaleString('en')} per batch (max.message.bytes); resolve the letter, or replay it to a topic that takes it`;
}

function isTooLarge(error: unknown): boolean {
  for (let cause = error as { type?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined; cause; ) {
    if (cause.type === 'MESSAGE_TOO_LARGE' || /larger than the max message size/.test(cause.message ?? '')) return true;
    cause = (cause.cause ?? cause.originalError) as typeof cause;
  }
  return false;
}

function recordBytes({ key, value, headers }: ReplayedRecord): number {
  const text = (s: string) => Buffer.byteLength(s);
  return (key === null ? 0 : text(key)) + (value?.length ?? 0) + Object.entries(headers).reduce((sum, [name, v]) => sum + text(name) + text(v), 0);
}
