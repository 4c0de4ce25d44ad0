// ReliableKafkaServer on a real broker, through a Nest app started the way services start
// (libs/service-runtime startService): transient failures are retried, a message that keeps failing
// is dead-lettered after exactly its attempts, and neither blocks the messages behind it.
import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Module } from '@nestjs/common';
import { createKafkaClient, DLT_HEADERS, kafkaConsumerOptions, NonRetryableError, withRetryPolicy } from '@platform/messaging';
import { startService } from '@platform/service-runtime';
import { freePort, recordTopic, TopicRecorder, waitFor } from '@platform/testing';
import { Kafka, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';

// Test-only topics, created here: the registry's topics belong to the services.
const WORK_TOPIC = `test.messaging-e2e.work-${Date.now()}`;
const DEAD_LETTER_TOPIC = `test.messaging-e2e.dlq-${Date.now()}`;
const ATTEMPTS = 3;

/** Each message says how many times its handler must fail before it succeeds. */
interface WorkItem {
  id: string;
  failTimes: number;
  nonRetryable?: boolean;
}

const calls = new Map<string, number>();
const succeeded: string[] = [];

@Controller()
class FlakyHandler {
  @EventPattern(WORK_TOPIC, withRetryPolicy({ attempts: ATTEMPTS, initialDelayMs: 50, maxDelayMs: 200 }))
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    const item = JSON.parse(String(context.getMessage().value)) as WorkItem;
    const attempt = (calls.get(item.id) ?? 0) + 1;
    calls.set(item.id, attempt);
    if (item.nonRetryable) throw new NonRetryableError(`item ${item.id} can never succeed`);
    if (attempt <= item.failTimes) throw new Error(`transient failure ${attempt} of ${item.id}`);
    succeeded.push(item.id);
  }
}

@Module({ controllers: [FlakyHandler] })
class FlakyModule {}

describe('retries and dead letters (ReliableKafkaServer)', () => {
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');
  let kafka: Kafka;
  let app: INestApplication;
  let deadLetters: TopicRecorder;

  beforeAll(async () => {
    kafka = createKafkaClient({ clientId: 'messaging-e2e', brokers: brokers() });
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
    app = await startService({
      name: 'messaging-e2e',
      description: 'test service',
      module: FlakyModule,
      port: await freePort(),
      consumer: kafkaConsumerOptions({
        clientId: 'messaging-e2e',
        groupId: `messaging-e2e-${randomUUID()}`,
        brokers: brokers(),
        deadLetterTopic: DEAD_LETTER_TOPIC,
      }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await deadLetters?.stop();
  });

  async function publish(...items: WorkItem[]): Promise<void> {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // One partition, sent in order: every item queues behind the ones before it.
    await producer.send({
      topic: WORK_TOPIC,
      acks: -1,
      messages: items.map((item) => ({ key: 'same-key', value: JSON.stringify(item), headers: { 'x-test': item.id } })),
    });
    await producer.disconnect();
  }

  const deadLetterOf = (id: string) => deadLetters.messages.find((message) => message.headers['x-test'] === id);

  it('succeeds without a dead letter when the handler fails N-1 times', async () => {
    const flaky = { id: randomUUID(), failTimes: ATTEMPTS - 1 };
    await publish(flaky);

    await waitFor('the flaky item to succeed', () => succeeded.includes(flaky.id));

    expect(calls.get(flaky.id)).toBe(ATTEMPTS);
    expect(deadLetterOf(flaky.id)).toBeUndefined();
  });

  it('dead-letters after exactly N attempts, with the reason, and processes the message behind it', async () => {
    const poison = { id: randomUUID(), failTimes: Number.MAX_SAFE_INTEGER };
    const behind = { id: randomUUID(), failTimes: 0 };
    await publish(poison, behind);

    const deadLetter = await waitFor('the poison item in the DLQ', () => deadLetterOf(poison.id));
    await waitFor('the item behind it to succeed', () => succeeded.includes(behind.id));

    expect(calls.get(poison.id)).toBe(ATTEMPTS);
    expect(JSON.parse(deadLetter.value as string)).toEqual(poison);
    expect(deadLetter.key).toBe('same-key');
    expect(deadLetter.headers).toMatchObject({
      'x-test': poison.id,
      [DLT_HEADERS.originalTopic]: WORK_TOPIC,
      [DLT_HEADERS.originalPartition]: '0',
      [DLT_HEADERS.attempts]: String(ATTEMPTS),
      [DLT_HEADERS.exceptionFqcn]: 'Error',
      [DLT_HEADERS.exceptionMessage]: `transient failure ${ATTEMPTS} of ${poison.id}`,
    });
    expect(deadLetter.headers[DLT_HEADERS.originalConsumerGroup]).toMatch(/^messaging-e2e-/);
    expect(deadLetter.headers[DLT_HEADERS.exceptionStacktrace]).toContain('FlakyHandler.handle');
    expect(Date.parse(deadLetter.headers[DLT_HEADERS.lastFailureAt])).toBeGreaterThan(
      Date.parse(deadLetter.headers[DLT_HEADERS.firstFailureAt]),
    );
  });

  it('dead-letters a non-retryable failure at once', async () => {
    const hopeless = { id: randomUUID(), failTimes: 0, nonRetryable: true };
    await publish(hopeless);

    const deadLetter = await waitFor('the hopeless item in the DLQ', () => deadLetterOf(hopeless.id));

    expect(calls.get(hopeless.id)).toBe(1);
    expect(deadLetter.headers).toMatchObject({ [DLT_HEADERS.attempts]: '1', [DLT_HEADERS.exceptionFqcn]: 'NonRetryableError' });
  });
});
