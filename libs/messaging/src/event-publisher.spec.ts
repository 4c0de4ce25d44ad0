// How EventPublisher cuts a partition's records into produce requests: in order, at most 500 records
// or about 512 KB each, so a burst never exceeds the broker's 1 MB record-batch limit; how it replaces a producer
// out of step with the broker; and that its sends overlap across partitions but never within one.
import { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { chunks, EventPublisher, isOutOfOrderSequence } from './event-publisher';

const record = (bytes: number, i = 0) => ({ key: `k${i}`, value: 'x'.repeat(bytes) });

describe('chunks', () => {
  it('keeps order and cuts at 500 records', () => {
    const messages = Array.from({ length: 1201 }, (_, i) => record(10, i));
    const cut = chunks(messages);
    expect(cut.map((c) => c.length)).toEqual([500, 500, 201]);
    expect(cut.flat()).toEqual(messages);
  });

  it('cuts at about 512 KB, and sends an oversized record on its own', () => {
    expect(chunks(Array.from({ length: 9 }, (_, i) => record(100_000, i))).map((c) => c.length)).toEqual([5, 4]);
    expect(chunks([record(10), record(2_000_000), record(10)]).map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('gives nothing for nothing', () => {
    expect(chunks([])).toEqual([]);
  });
});

describe('a producer out of step with the broker', () => {
  // As kafkajs builds it from the broker's error code 45.
  const outOfOrder = () =>
    new KafkaJSProtocolError(Object.assign(new Error('The broker received an out of order sequence number'), { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false }));

  const record = { topic: 'a.b.c', key: 'k', value: 'v', partition: 0 };

  /**
   * A Kafka whose first producer is out of step (every send fails with error 45) and later ones are
   * fine; `replacementConnectsLater`: they connect a moment later and, like kafkajs, refuse a send before.
   */
  function fakeKafka({ replacementConnectsLater = false } = {}) {
    const producers: { send: jest.Mock; connect: jest.Mock; disconnect: jest.Mock }[] = [];
    const adminDisconnect = jest.fn(async () => undefined);
    const kafka = {
      producer: () => {
        const failing = producers.length === 0;
        let connected = failing || !replacementConnectsLater;
        const producer = {
          connect: jest.fn(async () => {
            if (!connected) await new Promise((done) => setTimeout(done, 20));
            connected = true;
          }),
          disconnect: jest.fn(async () => undefined),
          send: jest.fn(async () => {
            if (failing) throw outOfOrder();
            if (!connected) throw new Error('The producer is disconnected');
            return [{ topicName: 'a.b.c', partition: 0, errorCode: 0 }];
          }),
        };
        producers.push(producer);
        return producer;
      },
      admin: () => ({ connect: async () => undefined, disconnect: adminDisconnect, fetchTopicMetadata: async () => ({ topics: [{ partitions: [{ partitionId: 0, leader: 1 }] }] }) }),
    };
    return { kafka, producers, adminDisconnect };
  }

  it('is recognised on the error or inside the retry error that wraps it', () => {
    expect(isOutOfOrderSequence(outOfOrder())).toBe(true);
    expect(isOutOfOrderSequence(new KafkaJSNumberOfRetriesExceeded(outOfOrder(), { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(isOutOfOrderSequence(new Error('connection refused'))).toBe(false);
    expect(isOutOfOrderSequence(undefined)).toBe(false);
  });

  it('is replaced by a new producer (new producer id): the failed send fails, the next one goes out', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new EventPublisher(kafka as never, undefined);
    await expect(publisher.publishRecords([record])).rejects.toThrow('out of order sequence number');
    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    await expect(publisher.publishRecords([record])).resolves.toHaveLength(1);
    expect(producers[1].connect).toHaveBeenCalled();
    expect(producers[1].send).toHaveBeenCalledTimes(1);
  });

  it('lets a send queued behind the failed one wait until the new producer has connected', async () => {
    const { kafka } = fakeKafka({ replacementConnectsLater: true });
    const publisher = new EventPublisher(kafka as never, undefined);
    const failed = publisher.publishRecords([record]);
    const queued = publisher.publishRecords([record]);
    await expect(failed).rejects.toThrow('out of order sequence number');
    await expect(queued).resolves.toHaveLength(1);
  });

  it('still closes its admin and the new producer on stop, also before the next send', async () => {
    const { kafka, producers, adminDisconnect } = fakeKafka();
    const publisher = new EventPublisher(kafka as never, undefined);
    await expect(publisher.publishRecords([record])).rejects.toThrow('out of order sequence number');
    await publisher.disconnect();
    expect(producers[1].disconnect).toHaveBeenCalled();
    expect(adminDisconnect).toHaveBeenCalled();
  });
});

describe('sends in flight', () => {
  /** A producer whose sends finish only when the test says so, recording which are in flight. */
  function slowKafka() {
    const inFlight: string[] = [];
    const started: string[] = [];
    const finishers: (() => void)[] = [];
    const send = jest.fn(({ topic, messages }: { topic: string; messages: { partition: number; value: string }[] }) => {
      const label = `${topic}/${messages[0].partition}:${messages.map((m) => m.value).join(',')}`;
      started.push(label);
      inFlight.push(label);
      return new Promise((done) =>
        finishers.push(() => {
          inFlight.splice(inFlight.indexOf(label), 1);
          done(messages.map(() => ({ topicName: topic, partition: messages[0].partition, errorCode: 0 })));
        }),
      );
    });
    const kafka = {
      producer: () => ({ connect: async () => undefined, disconnect: async () => undefined, send }),
      admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
    };
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { kafka, inFlight, started, finishers, settle };
  }

  it('overlap across partitions, never within one: a partition keeps its order across calls', async () => {
    const { kafka, inFlight, started, finishers, settle } = slowKafka();
    const publisher = new EventPublisher(kafka as never, undefined);
    const first = publisher.publishRecords([
      { topic: 't', key: null, value: 'a1', partition: 0 },
      { topic: 't', key: null, value: 'b1', partition: 1 },
    ]);
    const second = publisher.publishRecords([{ topic: 't', key: null, value: 'a2', partition: 0 }]);
    await settle();
    // Both partitions of the first call are in flight together; the second call's waits for a1.
    expect(inFlight).toEqual(['t/0:a1', 't/1:b1']);
    finishers.shift()?.(); // a1 acknowledged
    await settle();
    expect(inFlight).toEqual(['t/1:b1', 't/0:a2']);
    finishers.splice(0).forEach((finish) => finish());
    await expect(first).resolves.toHaveLength(2);
    await expect(second).resolves.toHaveLength(1);
    expect(started).toEqual(['t/0:a1', 't/1:b1', 't/0:a2']);
  });
});
