// Batch delivery (withBatchDelivery) on a real broker, through a Nest app started the way services
// start: a backlog arrives in batches, in offset order, each message once; a poison message in a
// batch sends the batch one message at a time, so it alone is dead-lettered with the reason and the
// others are applied; offsets are committed behind the work.
import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { createKafkaClient, DLT_HEADERS, EventBatchContext, kafkaConsumerOptions, NonRetryableError, withBatchDelivery } from '@platform/messaging';
import { startService } from '@platform/service-runtime';
import { freePort, recordTopic, TopicRecorder, waitFor } from '@platform/testing';
import { Kafka, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const WORK_TOPIC = `test.messaging-e2e.batch-work-${Date.now()}`;
const DEAD_LETTER_TOPIC = `test.messaging-e2e.batch-dlq-${Date.now()}`;
const GROUP = `messaging-e2e-batch-${randomUUID()}`;
const MAX_BATCH = 50;

interface WorkItem {
  run: string;
  seq: number;
  poison?: boolean;
}

/** Every call of the handler: the sequence numbers it was given, and whether it failed. */
const calls: { seqs: number[]; failed: boolean }[] = [];
const applied: WorkItem[] = [];

@Controller()
class BatchHandler {
  @EventPattern(WORK_TOPIC, withBatchDelivery({ maxBatchSize: MAX_BATCH, attempts: 2, initialDelayMs: 50 }))
  async handle(@Ctx() batch: EventBatchContext): Promise<void> {
    const items = batch.getMessages().map(({ message }) => JSON.parse(String(message.value)) as WorkItem);
    const poison = items.find((item) => item.poison);
    calls.push({ seqs: items.map((item) => item.seq), failed: Boolean(poison) });
    // All or nothing, like a transaction: a failing batch applies none of its items.
    if (poison) throw new NonRetryableError(`item ${poison.seq} is poison`);
    applied.push(...items);
  }
}

@Module({ controllers: [BatchHandler] })
class BatchModule {}

describe('batch delivery (ReliableKafkaServer, withBatchDelivery)', () => {
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');
  let kafka: Kafka;
  let app: INestApplication | undefined;
  let deadLetters: TopicRecorder;

  beforeAll(async () => {
    kafka = createKafkaClient({ clientId: 'messaging-e2e-batch', brokers: brokers() });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: WORK_TOPIC, numPartitions: 1 },
        { topic: DEAD_LETTER_TOPIC, numPartitions: 1 },
      ],
    });
    await admin.disconnect();
    deadLetters = await recordTopic(brokers(), DEAD_LETTER_TOPIC);
  });

  afterAll(async () => {
    await app?.close();
    await deadLetters?.stop();
  });

  async function publish(items: WorkItem[]): Promise<void> {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: WORK_TOPIC, acks: -1, messages: items.map((item) => ({ key: 'k', value: JSON.stringify(item) })) });
    await producer.disconnect();
  }

  const itemsOf = (run: string, count: number, poisonAt?: number): WorkItem[] =>
    Array.from({ length: count }, (_, seq) => ({ run, seq, ...(seq === poisonAt ? { poison: true } : {}) }));
  const appliedSeqs = (run: string) => applied.filter((item) => item.run === run).map((item) => item.seq);

  it('hands a backlog over in batches of at most maxBatchSize, in order, each message once', async () => {
    // given a backlog published before the consumer starts
    const run = randomUUID();
    await publish(itemsOf(run, 400));

    // when the service starts
    app = await startService({
      name: 'messaging-e2e-batch',
      description: 'test service',
      module: BatchModule,
      port: await freePort(),
      consumer: kafkaConsumerOptions({ clientId: 'messaging-e2e-batch', groupId: GROUP, brokers: brokers(), deadLetterTopic: DEAD_LETTER_TOPIC }),
    });

    // then every item is applied once, in order, by calls of more than one message and at most MAX_BATCH
    await waitFor('400 items applied', () => appliedSeqs(run).length >= 400);
    expect(appliedSeqs(run)).toEqual(itemsOf(run, 400).map((item) => item.seq));
    const sizes = calls.map((call) => call.seqs.length);
    expect(Math.max(...sizes)).toBe(MAX_BATCH);
    expect(calls.length).toBeLessThan(400 / 2);
  });

  it('dead-letters the poison message of a batch alone, with the reason, and applies the rest in order', async () => {
    const run = randomUUID();
    calls.length = 0;
    await publish(itemsOf(run, 120, 70));

    const deadLetter = await waitFor('the poison item in the DLQ', () =>
      deadLetters.messages.find((message) => (JSON.parse(String(message.value)) as WorkItem).run === run),
    );
    await waitFor('the other 119 items applied', () => appliedSeqs(run).length >= 119);

    expect(appliedSeqs(run)).toEqual(itemsOf(run, 120).map((item) => item.seq).filter((seq) => seq !== 70));
    expect(JSON.parse(String(deadLetter.value))).toMatchObject({ seq: 70, poison: true });
    expect(deadLetter.headers).toMatchObject({
      [DLT_HEADERS.originalTopic]: WORK_TOPIC,
      [DLT_HEADERS.attempts]: '1',
      [DLT_HEADERS.exceptionFqcn]: 'NonRetryableError',
      [DLT_HEADERS.exceptionMessage]: 'item 70 is poison',
    });
    // the poison was met in a batch, and then alone
    expect(calls.some((call) => call.failed && call.seqs.length > 1)).toBe(true);
    expect(calls.filter((call) => call.seqs.includes(70)).at(-1)?.seqs).toEqual([70]);
  });

  it('commits the offsets of what it applied: the group has no lag left', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [end] = await admin.fetchTopicOffsets(WORK_TOPIC);
      const committed = await waitFor('the group to commit up to the end', async () => {
        const [{ partitions }] = await admin.fetchOffsets({ groupId: GROUP, topics: [WORK_TOPIC] });
        return partitions[0].offset === end.offset ? partitions[0].offset : undefined;
      });
      expect(committed).toBe(end.offset);
    } finally {
      await admin.disconnect();
    }
  });
});
