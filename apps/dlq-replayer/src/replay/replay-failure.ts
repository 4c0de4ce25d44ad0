// Why one letter's replay failed, in an operator's words. A record the target topic refuses as too
// large (a letter at the DLQ's 2 MiB, or one at an event topic's 1 MiB plus the replay headers) is
// named with its size and the topic's limit; kafkajs says only "larger than the max message size".
import { BROKER_MAX_MESSAGE_BYTES, findTopic, maxMessageBytesOf } from '@platform/events';
import { hasKafkaError } from '@platform/messaging';
import { IHeaders } from 'kafkajs';

export interface ReplayedRecord {
  key: Buffer | string | null;
  value: Buffer | null;
  headers: IHeaders;
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
  let total = bytes(key) + bytes(value);
  for (const [name, values] of Object.entries(headers)) {
    // A header sent more than once (an array) carries its name each time.
    for (const one of [values ?? null].flat()) total += bytes(name) + bytes(one);
  }
  return total;
}

function bytes(data: Buffer | string | null): number {
  return data === null ? 0 : Buffer.byteLength(data);
}
