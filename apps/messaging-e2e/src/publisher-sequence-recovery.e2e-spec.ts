// EventPublisher after its idempotent producer lost step with the broker's sequence numbers (Kafka
// error 45), on a real broker. The 14:47 fault run of 2026-11-27 met this after a leader kill: kafkajs
// never resets the sequence, so every later send failed and the outbox relay retried its rows forever.
//
// A leader kill cannot be timed to produce the desync, so this test makes the same state directly: it
// moves the client's sequence counter for the partition ahead, as a batch the broker never kept would.
// Everything else is real: the broker refuses the next batch with OUT_OF_ORDER_SEQUENCE_NUMBER.
import { createKafkaClient, EventPublisher, isOutOfOrderSequence } from '@platform/messaging';
import { recordTopic, TopicRecorder, waitFor } from '@platform/testing';

interface SequenceState {
  isInitialized(): boolean;
  updateSequence(topic: string, partition: number, increment: number): void;
}

/** Every kafkajs producer's sequence bookkeeping, in creation order. */
const sequenceStates: SequenceState[] = [];

jest.mock('kafkajs/src/producer/eosManager', () => {
  const createEosManager = jest.requireActual('kafkajs/src/producer/eosManager');
  return (...args: unknown[]) => {
    const state = createEosManager(...args);
    sequenceStates.push(state);
    return state;
  };
});

const TOPIC = `test.messaging-e2e.sequence-${Date.now()}`;

describe('EventPublisher after Kafka error 45 (out of order sequence number)', () => {
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');
  let publisher: EventPublisher;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    const kafka = createKafkaClient({ clientId: 'messaging-e2e-sequence', brokers: brokers() });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    recorder = await recordTopic(brokers(), TOPIC);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await recorder?.stop();
  });

  const send = (value: string) => publisher.publishRecords([{ topic: TOPIC, key: 'order-1', value }]);

  it('fails the send the broker refuses, then sends with a new producer id; nothing twice, nothing else lost', async () => {
    await send('before');
    const first = sequenceStates.at(-1) as SequenceState;
    expect(first.isInitialized()).toBe(true);

    // Three records the broker never kept, as far as the client now believes.
    first.updateSequence(TOPIC, 0, 3);
    const refused = await send('refused').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeDefined();
    expect(isOutOfOrderSequence(refused)).toBe(true);

    // Without the replacement every send from here on fails the same way (kafkajs keeps the counter).
    await send('after-1');
    await send('after-2');
    expect(sequenceStates.at(-1)).not.toBe(first);

    // One partition: once the last record is read, everything written before it has been read too.
    await waitFor('the last record read back', () => recorder.messages.some((message) => message.value === 'after-2'));
    expect(recorder.messages.map((message) => message.value)).toEqual(['before', 'after-1', 'after-2']);
  });
});
