// An idle consumer and producer on a real broker, through libs/messaging: their connections' request
// queues must not re-check an empty queue every millisecond, as kafkajs 2.2.4 does on its own
// (libs/messaging kafkajs-idle-timer-fix.ts). Counted directly: every check of a request queue for
// waiting requests, over two idle seconds.
import { createKafkaClient } from '@platform/messaging';
import { waitFor } from '@platform/testing';
import { Consumer, Partitioners, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const TOPIC = `test.messaging-e2e.idle-${Date.now()}`;

// kafkajs's internal request queue: plain CommonJS, no types.
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: { checkPendingRequests(): void } };
let checks = 0;
const checkPendingRequests = RequestQueue.prototype.checkPendingRequests;
RequestQueue.prototype.checkPendingRequests = function countedCheck(this: unknown) {
  checks++;
  return checkPendingRequests.call(this);
};

describe('idle kafkajs clients made by libs/messaging', () => {
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');
  let consumer: Consumer;
  let producer: Producer;

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
  });

  it('check their request queues only when requests complete, not every millisecond, and still deliver', async () => {
    // Given a connected producer that has sent, and a consumer that joined its group and fetches
    const kafka = createKafkaClient({ clientId: 'messaging-e2e-idle', brokers: brokers() });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: 'one' }] });
    consumer = kafka.consumer({ groupId: `messaging-e2e-idle-${randomUUID()}`, maxWaitTimeInMs: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let received = 0;
    await consumer.run({ eachMessage: async () => void received++ });
    await waitFor('the consumer received the record', () => received === 1, { timeoutMs: 30_000 });

    // When nothing happens for two seconds (a window to count in, not a wait for something)
    const before = checks;
    await new Promise((done) => setTimeout(done, 2_000));
    const idleChecks = checks - before;

    // Then only completed requests (a fetch long-poll a second, heartbeats) checked a queue: a few dozen
    // at most, where kafkajs's own timer loop makes it about a thousand a second per connection.
    expect(idleChecks).toBeLessThan(100);

    // And the clients still work after the quiet: a record sent now arrives
    await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: 'two' }] });
    await waitFor('the consumer received the record sent after the idle window', () => received === 2, { timeoutMs: 15_000 });
  }, 60_000);
});
