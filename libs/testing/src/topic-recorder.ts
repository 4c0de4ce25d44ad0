// Records every message of a topic from the beginning, with a consumer group of its own (so it never
// takes partitions from the services under test). Tests then waitFor() a condition on `messages`.
import { createKafkaClient } from '@platform/messaging';
import { IHeaders } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface RecordedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface TopicRecorder {
  messages: RecordedMessage[];
  stop(): Promise<void>;
}

/** `groupId` defaults to a group of its own; pass a registry group to read as that consumer would. */
export async function recordTopic(brokers: string[], topic: string, groupId = `e2e-recorder-${randomUUID()}`): Promise<TopicRecorder> {
  const consumer = createKafkaClient({ clientId: 'e2e-recorder', brokers }).consumer({
    groupId,
    maxWaitTimeInMs: 200,
  });
  const messages: RecordedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined: () => void = () => undefined;
  const hasJoined = new Promise<void>((done) => (joined = done));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      messages.push({
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: decodeHeaders(message.headers),
      });
    },
  });
  await hasJoined;
  return { messages, stop: () => consumer.disconnect() };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value ?? '')]),
  );
}
