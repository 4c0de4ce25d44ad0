// How EventPublisher cuts a partition's records into produce requests: in order, at most 500 records
// or about 512 KB each, so a burst never exceeds the broker's 1 MB record-batch limit; how it replaces a producer
// out of step with the broker; that one request carries every partition of a call, and calls overlap
// unless they share a partition; and that a partition kafkajs reports no answer for is sent again.
import { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, Message, RecordMetadata } from 'kafkajs';
import { chunks, EventPublisher, isOutOfOrderSequence, PartitionBatch, requestsOf, topicMessagesOf, unanswered } from './event-publisher';

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
    const producers: { sendBatch: jest.Mock; connect: jest.Mock; disconnect: jest.Mock }[] = [];
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
          sendBatch: jest.fn(async () => {
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
    expect(producers[1].sendBatch).toHaveBeenCalledTimes(1);
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
  type Batch = { topicMessages: { topic: string; messages: Message[] }[] };
  /** A producer whose sends finish only when the test says so, recording which are in flight. */
  function slowKafka(fetchTopicMetadata?: () => Promise<unknown>) {
    const inFlight: string[] = [];
    const started: string[] = [];
    const finishers: (() => void)[] = [];
    const sendBatch = jest.fn(({ topicMessages }: Batch) => {
      const label = topicMessages.flatMap(({ topic, messages }) => messages.map((m) => `${topic}/${m.partition}:${m.value}`)).join(' ');
      started.push(label);
      inFlight.push(label);
      return new Promise((done) =>
        finishers.push(() => {
          inFlight.splice(inFlight.indexOf(label), 1);
          done(topicMessages.flatMap(({ topic, messages }) => [...new Set(messages.map((m) => m.partition))].map((partition) => ({ topicName: topic, partition, errorCode: 0 }))));
        }),
      );
    });
    const kafka = {
      producer: () => ({ connect: async () => undefined, disconnect: async () => undefined, sendBatch }),
      admin: () => ({ connect: async () => undefined, disconnect: async () => undefined, fetchTopicMetadata }),
    };
    // Every promise reaction queued so far has run by the next turn of the event loop.
    const settle = () => new Promise((done) => setImmediate(done));
    return { kafka, inFlight, started, finishers, settle };
  }

  it('carry every partition of a call in one request; a call waits only for earlier calls on its partitions', async () => {
    const { kafka, inFlight, started, finishers, settle } = slowKafka();
    const publisher = new EventPublisher(kafka as never, undefined);
    const first = publisher.publishRecords([
      { topic: 't', key: null, value: 'a1', partition: 0 },
      { topic: 't', key: null, value: 'b1', partition: 1 },
    ]);
    const second = publisher.publishRecords([{ topic: 't', key: null, value: 'a2', partition: 0 }]);
    const third = publisher.publishRecords([{ topic: 't', key: null, value: 'c1', partition: 2 }]);
    await settle();
    // The first call is one request; the second waits for it (partition 0), the third does not.
    expect(inFlight).toEqual(['t/0:a1 t/1:b1', 't/2:c1']);
    finishers.shift()?.(); // the first call acknowledged
    await settle();
    expect(inFlight).toEqual(['t/2:c1', 't/0:a2']);
    finishers.splice(0).forEach((finish) => finish());
    await expect(first).resolves.toHaveLength(2);
    await expect(second).resolves.toHaveLength(1);
    await expect(third).resolves.toHaveLength(1);
    expect(started).toEqual(['t/0:a1 t/1:b1', 't/2:c1', 't/0:a2']);
  });

  it("keep the order of the calls on a shared partition, also while an earlier call waits for a topic's partitions", async () => {
    let releaseMetadata = () => undefined as void;
    const partitionsOfU = { topics: [{ name: 'u', partitions: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }] }] };
    const metadata = new Promise((done) => (releaseMetadata = () => done(partitionsOfU)));
    const { kafka, started, finishers, settle } = slowKafka(() => metadata);
    const publisher = new EventPublisher(kafka as never, undefined);
    const first = publisher.publishRecords([
      { topic: 'u', key: 'k', value: 'u1' },
      { topic: 't', key: null, value: 'a1', partition: 0 },
    ]);
    const second = publisher.publishRecords([{ topic: 't', key: null, value: 'a2', partition: 0 }]);
    await settle();
    expect(started).toEqual([]); // the second call does not overtake the first on t/0
    releaseMetadata();
    await settle();
    expect(started).toEqual(['u/0:u1 t/0:a1']);
    finishers.shift()?.();
    await settle();
    expect(started).toEqual(['u/0:u1 t/0:a1', 't/0:a2']);
    finishers.splice(0).forEach((finish) => finish());
    await expect(first).resolves.toHaveLength(2);
    await expect(second).resolves.toHaveLength(1);
  });
});

describe('a failed call', () => {
  /** A Kafka whose first producer fails the sends the test says, and later ones are fine; sends finish when released. */
  function kafkaFailingOnce() {
    const producers: { sendBatch: jest.Mock; disconnect: jest.Mock; release: (() => void)[] }[] = [];
    const kafka = {
      producer: () => {
        const first = producers.length === 0;
        const release: (() => void)[] = [];
        const producer = {
          connect: async () => undefined,
          disconnect: jest.fn(async () => undefined),
          release,
          sendBatch: jest.fn(({ topicMessages }: { topicMessages: { topic: string; messages: Message[] }[] }) => {
            const [{ topic, messages }] = topicMessages;
            if (first && messages[0].value === 'fails') return Promise.reject(new Error('Request Produce timed out'));
            return new Promise((done) => release.push(() => done([{ topicName: topic, partition: messages[0].partition, errorCode: 0 }])));
          }),
        };
        producers.push(producer);
        return producer;
      },
      admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
    };
    return { kafka, producers };
  }

  it('replaces the producer, whatever the error: its sequence numbers may no longer match what the broker wrote', async () => {
    const { kafka, producers } = kafkaFailingOnce();
    const publisher = new EventPublisher(kafka as never, undefined);

    await expect(publisher.publishRecords([{ topic: 't', key: null, value: 'fails', partition: 0 }])).rejects.toThrow('timed out');

    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    const next = publisher.publishRecords([{ topic: 't', key: null, value: 'next', partition: 0 }]);
    await new Promise((done) => setImmediate(done));
    producers[1].release.forEach((finish) => finish());
    await expect(next).resolves.toHaveLength(1);
    expect(producers[1].sendBatch).toHaveBeenCalledTimes(1);
  });

  it('lets the calls still in flight on the old producer finish before it is disconnected', async () => {
    const { kafka, producers } = kafkaFailingOnce();
    const publisher = new EventPublisher(kafka as never, undefined);
    const inFlight = publisher.publishRecords([{ topic: 't', key: null, value: 'slow', partition: 1 }]);
    await new Promise((done) => setImmediate(done));

    await expect(publisher.publishRecords([{ topic: 't', key: null, value: 'fails', partition: 0 }])).rejects.toThrow('timed out');

    expect(producers[0].disconnect).not.toHaveBeenCalled();
    producers[0].release.forEach((finish) => finish());
    await expect(inFlight).resolves.toHaveLength(1);
    expect(producers[0].disconnect).toHaveBeenCalled();
  });
});

describe('a partition kafkajs reports no answer for', () => {
  const records = [
    { topic: 't', key: null, value: 'a1', partition: 0 },
    { topic: 't', key: null, value: 'b1', partition: 1 },
    { topic: 't', key: null, value: 'b2', partition: 1 },
  ];

  /** kafkajs as its retry bug leaves it: the call succeeds with partition 0's answer only. */
  function kafkaDroppingPartition1(resend: (topic: string, partition: number) => RecordMetadata[]) {
    const send = jest.fn(async ({ topic, messages }: { topic: string; messages: Message[] }) => resend(topic, messages[0].partition as number));
    const sendBatch = jest.fn(async () => [{ topicName: 't', partition: 0, errorCode: 0 }]);
    const kafka = {
      producer: () => ({ connect: async () => undefined, disconnect: async () => undefined, sendBatch, send }),
      admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
    };
    return { kafka, send, sendBatch };
  }

  it('is sent again on its own, with its records in order', async () => {
    const { kafka, send } = kafkaDroppingPartition1((topic, partition) => [{ topicName: topic, partition, errorCode: 0 }]);
    const publisher = new EventPublisher(kafka as never, undefined);

    const answers = await publisher.publishRecords(records);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toMatchObject({ topic: 't', acks: -1, messages: [{ value: 'b1', partition: 1 }, { value: 'b2', partition: 1 }] });
    expect(answers.map((answer) => answer.partition).sort()).toEqual([0, 1]);
  });

  it('fails the call if it is still unanswered: never a success without the broker\'s word', async () => {
    const { kafka } = kafkaDroppingPartition1(() => []);
    const publisher = new EventPublisher(kafka as never, undefined);
    await expect(publisher.publishRecords(records)).rejects.toThrow('t partition 1: no answer from the broker for 2 records; not sent');
  });

  it('is found by topic and partition', () => {
    const request: PartitionBatch[] = [
      { topic: 'x', partition: 0, messages: [] },
      { topic: 'y', partition: 0, messages: [] },
      { topic: 'y', partition: 1, messages: [] },
    ];
    expect(unanswered(request, [{ topicName: 'y', partition: 0, errorCode: 0 }, { topicName: 'x', partition: 1, errorCode: 0 }])).toEqual([request[0], request[2]]);
  });
});

describe('the requests of a call', () => {
  const messages = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: null, value: `${prefix}${i}` }));

  it('hold chunk i of every partition in request i, so each partition keeps its order', () => {
    const requests = requestsOf([
      { topic: 't', partition: 0, messages: messages('a', 1_200) },
      { topic: 't', partition: 1, messages: messages('b', 10) },
    ]);
    expect(requests.map((request) => request.map((part) => `${part.partition}:${part.messages.length}`))).toEqual([['0:500', '1:10'], ['0:500'], ['0:200']]);
    expect(requests.flatMap((request) => request.filter((part) => part.partition === 0).flatMap((part) => part.messages.map((m) => m.value)))).toEqual(
      messages('a', 1_200).map((m) => m.value),
    );
  });

  it('give kafkajs one entry per topic, every record with its partition', () => {
    const entries = topicMessagesOf([
      { topic: 't', partition: 0, messages: [{ key: null, value: 'a' }] },
      { topic: 'u', partition: 0, messages: [{ key: null, value: 'c' }] },
      { topic: 't', partition: 1, messages: [{ key: null, value: 'b' }] },
    ]);
    expect(entries).toEqual([
      { topic: 't', messages: [{ key: null, value: 'a', partition: 0 }, { key: null, value: 'b', partition: 1 }] },
      { topic: 'u', messages: [{ key: null, value: 'c', partition: 0 }] },
    ]);
  });
});
