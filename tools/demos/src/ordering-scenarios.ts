// Seed demo 3: what ordering Kafka guarantees. Kafka keeps the order of one partition as it was
// written; it cannot know the order the business meant when several producers write the same key.
//   severalProducers: two producers write one key's interleaved sequence (A: 0, 2, 4…; B: 1, 3, 5…)
//     to one partition; the consumer sees the order the writes happened to land in. Reported, not asserted.
//   keyedIdempotent: one idempotent producer, keyed: every key's sequence arrives in order, without
//     duplicates or gaps, also across a broker restart.
import { createKafkaClient } from '@platform/messaging';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { OrderingReport, SequenceChecker } from './sequence-checker';

export interface ScenarioOptions {
  brokers: string[];
  onProgress?: (phase: string, done: number, total: number) => void;
}

export async function severalProducers(options: ScenarioOptions & { events: number }): Promise<OrderingReport> {
  const kafka = createKafkaClient({ clientId: 'ordering-demo', brokers: options.brokers });
  const topic = await createDemoTopic(kafka, 'several-producers', 1);
  try {
    // Not idempotent, several requests in flight each: what an unaware service would configure.
    const [a, b] = [0, 1].map(() => kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 5, createPartitioner: Partitioners.DefaultPartitioner }));
    await Promise.all([a.connect(), b.connect()]);
    const writes: Promise<unknown>[] = [];
    for (let sequence = 0; sequence < options.events; sequence++) {
      // The business order is the sequence; each producer sends its share as soon as it can.
      const producer = sequence % 2 === 0 ? a : b;
      writes.push(producer.send({ topic, acks: 1, messages: [{ key: 'shared-key', value: String(sequence) }] }));
      if (sequence % 200 === 0) options.onProgress?.('several producers: sending', sequence, options.events);
    }
    await Promise.all(writes);
    await Promise.all([a.disconnect(), b.disconnect()]);
    return await consumeAndCheck(kafka, topic, options.events, options, new Map([['shared-key', options.events]]));
  } finally {
    await deleteDemoTopic(kafka, topic);
  }
}

export async function keyedIdempotent(
  options: ScenarioOptions & { events: number; keys: number; partitions: number; midRun?: () => Promise<void> },
): Promise<OrderingReport> {
  const kafka = createKafkaClient({ clientId: 'ordering-demo', brokers: options.brokers, retries: 30 });
  const topic = await createDemoTopic(kafka, 'keyed', options.partitions);
  try {
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const next = new Map<string, number>();
    const batchSize = 500;
    for (let sent = 0; sent < options.events; sent += batchSize) {
      const messages = Array.from({ length: Math.min(batchSize, options.events - sent) }, (_, i) => {
        const key = `key-${(sent + i) % options.keys}`;
        const sequence = next.get(key) ?? 0;
        next.set(key, sequence + 1);
        return { key, value: String(sequence) };
      });
      await producer.send({ topic, acks: -1, messages });
      if (options.midRun && sent < options.events / 2 && sent + batchSize >= options.events / 2) await options.midRun();
      options.onProgress?.('keyed producer: sending', sent + messages.length, options.events);
    }
    await producer.disconnect();
    return await consumeAndCheck(kafka, topic, options.events, options, next);
  } finally {
    await deleteDemoTopic(kafka, topic);
  }
}

async function consumeAndCheck(
  kafka: Kafka,
  topic: string,
  expected: number,
  options: ScenarioOptions,
  expectedPerKey: Map<string, number>,
): Promise<OrderingReport> {
  const checker = new SequenceChecker();
  const consumer = kafka.consumer({ groupId: `ordering-demo-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`only ${received} of ${expected} events arrived within 120 s`)), 120_000);
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) checker.record(String(message.key), Number(message.value));
          received += batch.messages.length;
          options.onProgress?.('consuming', received, expected);
          if (received >= expected) {
            clearTimeout(timer);
            done();
          }
        },
      })
      .catch(fail);
  });
  await consumer.disconnect();
  return checker.report(expectedPerKey);
}

async function createDemoTopic(kafka: Kafka, purpose: string, partitions: number): Promise<string> {
  // A throw-away topic for the demo only (not a platform topic, so not in the registry).
  const topic = `ordering-demo.${purpose}.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: -1 }] });
  await admin.disconnect();
  return topic;
}

async function deleteDemoTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
