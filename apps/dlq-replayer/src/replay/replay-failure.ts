// Why one letter's replay failed, or would fail, in an operator's words. A record the target topic
// refuses as too large (a letter at the DLQ's 2 MiB, or one at an event topic's 1 MiB plus the replay
// headers) is named with its size and the topic's limit; kafkajs says only "larger than the max
// message size". A dry run predicts that refusal from the record's size and the registry's limit.
import { BROKER_MAX_MESSAGE_BYTES, findTopic, maxMessageBytesOf } from '@platform/events';
import { hasKafkaError } from '@platform/messaging';
import { recordBatchBytes, RecordToSize } from './record-size';

export function replayFailureReason(error: unknown, topic: string, record: RecordToSize | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  // Kafka error 10, MESSAGE_TOO_LARGE; kafkajs's non-retriable wrapper keeps only its message.
  const tooLarge = hasKafkaError(error, 'MESSAGE_TOO_LARGE', 10) || /larger than the max message size/.test(message);
  if (!record || !tooLarge) return message;
  return tooLargeReason(topic, recordBatchBytes(record), 'refused');
}

/** For a dry run: the reason a real replay would fail with, if the topic's limit is below the record's batch. */
export function predictedRefusal(topic: string, record: RecordToSize): string | undefined {
  const bytes = recordBatchBytes(record);
  return bytes > limitOf(topic) ? tooLargeReason(topic, bytes, 'would refuse') : undefined;
}

function tooLargeReason(topic: string, bytes: number, verb: 'refused' | 'would refuse'): string {
  return `${topic} ${verb} the record as too large: a record batch of ${bytes.toLocaleString('en')} bytes, and it accepts ${limitOf(topic).toLocaleString('en')} (max.message.bytes); resolve the letter, or replay it to a topic that takes it`;
}

function limitOf(topic: string): number {
  const registered = findTopic(topic);
  return registered ? maxMessageBytesOf(registered) : BROKER_MAX_MESSAGE_BYTES;
}
