// Why one letter's replay failed, in an operator's words. A record the target topic refuses as too
// large (a letter at the DLQ's 2 MiB, or one at an event topic's 1 MiB plus the replay headers) is
// named with its size and the topic's limit; kafkajs says only "larger than the max message size".
import { BROKER_MAX_MESSAGE_BYTES, findTopic, maxMessageBytesOf } from '@platform/events';
import { hasKafkaError } from '@platform/messaging';

export interface ReplayedRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function replayFailureReason(error: unknown, topic: string, record: ReplayedRecord | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  // Kafka error 10, MESSAGE_TOO_LARGE; kafkajs's non-retriable wrapper keeps only its message.
  const tooLarge = hasKafkaError(error, 'MESSAGE_TOO_LARGE', 10) || /larger than the max message size/.test(message);
  if (!record || !tooLarge) return message;
  const registered = findTopic(topic);
  const limit = registered ? maxMessageBytesOf(registered) : BROKER_MAX_MESSAGE_BYTES;
  return `${topic} refused the record as too large: ${recordBytes(record).toLocaleString('en')} bytes of key, value and headers, and it accepts ${limit.toLocaleString('en')} per batch (max.message.bytes); resolve the letter, or replay it to a topic that takes it`;
}

function recordBytes({ key, value, headers }: ReplayedRecord): number {
  const text = (s: string) => Buffer.byteLength(s);
  return (key === null ? 0 : text(key)) + (value?.length ?? 0) + Object.entries(headers).reduce((sum, [name, v]) => sum + text(name) + text(v), 0);
}
