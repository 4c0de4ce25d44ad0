// Seed demo 4, the serverless consumer: the Lambda handler behind the local event-source runner, on a
// real broker. A confirmed order gets exactly one notification; a poison record is isolated by
// bisection and sent to the on-failure destination while the rest of its batch is delivered; a
// redelivered batch sends nothing twice.
import { createEnvelope, SERVICES, StockReservedV1, TOPICS } from '@platform/events';
import { createKafkaClient, DLT_HEADERS } from '@platform/messaging';
import { createScratchDir, recordTopic, ServiceProcess, startServiceProcess, TopicRecorder, waitFor } from '@platform/testing';
import { Message, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeOrder, setStock, settledOrder, startStockFlow, stopStockFlow, StockFlowSystem, uniqueSku } from './support/stock-flow-system';

describe('notification-lambda behind the local event-source runner', () => {
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');
  const stateDir = createScratchDir('notification-', process.env.E2E_STATE_DIR);
  let system: StockFlowSystem | undefined;
  let runner: ServiceProcess | undefined;
  let onFailure: TopicRecorder | undefined;

  const startRunner = () =>
    startServiceProcess({
      name: SERVICES.notificationLambda,
      entry: 'apps/notification-lambda/src/runner/main.ts',
      port: 0,
      readyLine: /event source runner ready/,
      env: { KAFKA_BROKERS: brokers().join(','), NOTIFICATION_STATE_DIR: stateDir, RUNNER_BATCH_SIZE: '10', RUNNER_MAX_RETRIES: '1', RUNNER_RETRY_DELAY_MS: '50' },
    });

  /** Notifications written by the handler's local sender, by orderId. */
  function notificationsFor(orderId: string): unknown[] {
    const outbox = join(stateDir, 'outbox');
    const files = (() => {
      try {
        return readdirSync(outbox);
      } catch {
        return [];
      }
    })();
    return files.map((file) => JSON.parse(readFileSync(join(outbox, file), 'utf8'))).filter((n) => n.orderId === orderId);
  }

  async function produce(messages: Message[]): Promise<void> {
    const producer = createKafkaClient({ clientId: 'e2e-notification', brokers: brokers() }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: TOPICS.stockReserved.name, acks: -1, messages });
    await producer.disconnect();
  }

  const reserved = (orderId: string) =>
    createEnvelope({ definition: StockReservedV1, payload: { orderId, items: [{ sku: 'N-1', quantity: 1 }] }, aggregateId: orderId, source: SERVICES.inventoryService });

  beforeAll(async () => {
    onFailure = await recordTopic(brokers(), TOPICS.notificationLambdaDeadLetters.name);
    [system, runner] = await Promise.all([startStockFlow(), startRunner()]);
  });

  afterAll(async () => {
    await runner?.stop();
    await stopStockFlow(system);
    await onFailure?.stop();
  });

  it('sends exactly one notification for a confirmed order', async () => {
    const current = system as StockFlowSystem;
    const sku = uniqueSku('notify');
    await setStock(current, sku, 5);

    const orderId = await placeOrder(current, [{ sku, quantity: 2 }]);

    expect((await settledOrder(current, orderId)).status).toBe('CONFIRMED');
    const [notification] = await waitFor('the notification', () => {
      const found = notificationsFor(orderId);
      return found.length > 0 ? found : undefined;
    });
    expect(notification).toMatchObject({ orderId, subject: `Order ${orderId} confirmed` });
    expect(notificationsFor(orderId)).toHaveLength(1);
  });

  it('isolates a poison record by bisection and delivers the rest of its batch', async () => {
    // given one batch (same key, one partition): two good records, a poison one, two good ones
    const key = randomUUID();
    const good = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await produce([
      { key, value: JSON.stringify(reserved(good[0])) },
      { key, value: JSON.stringify(reserved(good[1])) },
      { key, value: '{"type":"StockReserved","version":1', headers: { 'x-case': 'poison' } },
      { key, value: JSON.stringify(reserved(good[2])) },
      { key, value: JSON.stringify(reserved(good[3])) },
    ]);

    // then every good record is notified once and the poison one is in the on-failure destination
    await waitFor('all good records notified', () => good.every((id) => notificationsFor(id).length === 1), { timeoutMs: 30_000 });
    const letter = await waitFor('the poison record in the on-failure topic', () => onFailure?.messages.find((m) => m.headers['x-case'] === 'poison'));
    expect(letter.value).toBe('{"type":"StockReserved","version":1');
    expect(letter.headers).toMatchObject({
      [DLT_HEADERS.originalTopic]: TOPICS.stockReserved.name,
      [DLT_HEADERS.originalConsumerGroup]: SERVICES.notificationLambda,
      [DLT_HEADERS.exceptionFqcn]: 'InvalidRecordError',
    });
    expect(runner?.output()).toMatch(/bisecting a failing batch of \d+/);
    // and the runner moves past them: read again, the poison record would be isolated and sent again
    const bisections = (runner?.output().match(/bisecting a failing batch/g) ?? []).length;
    await new Promise((done) => setTimeout(done, 3_000));
    expect((runner?.output().match(/bisecting a failing batch/g) ?? []).length).toBe(bisections);
    expect(onFailure?.messages.filter((m) => m.key === key)).toHaveLength(1);
  });

  it('sends nothing twice when the batch is delivered again', async () => {
    // given a notified order whose StockReserved is published a second time (a redelivery)
    const orderId = randomUUID();
    const event = JSON.stringify(reserved(orderId));
    await produce([{ key: orderId, value: event }]);
    await waitFor('the first notification', () => notificationsFor(orderId).length === 1);
    const marker = randomUUID();

    await produce([{ key: orderId, value: event }, { key: orderId, value: JSON.stringify(reserved(marker)) }]);

    // once the record behind the copy is notified, the order still has exactly one notification
    await waitFor('the marker notification', () => notificationsFor(marker).length === 1);
    expect(notificationsFor(orderId)).toHaveLength(1);
  });
});
