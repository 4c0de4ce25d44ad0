// Seed demo 1 end to end: order-service publishes OrderCreated, inventory-service reserves stock and
// answers, order-service settles the order. Two processes, a real Kafka broker, real databases.
import { createEnvelope, OrderCreatedV1, SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient, DLT_HEADERS } from '@platform/messaging';
import { recordTopic, requestJson, TopicRecorder, waitFor } from '@platform/testing';
import { Message, Partitioners } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import {
  availableStock,
  placeOrder,
  setStock,
  settledOrder,
  startStockFlow,
  stopStockFlow,
  StockFlowSystem,
  uniqueSku,
} from './support/stock-flow-system';

describe('order → inventory stock flow', () => {
  let system: StockFlowSystem | undefined;
  let deadLetters: TopicRecorder;
  const brokers = () => (process.env.E2E_KAFKA_BROKERS as string).split(',');

  beforeAll(async () => {
    deadLetters = await recordTopic(brokers(), TOPICS.inventoryServiceDeadLetters.name);
    system = await startStockFlow();
  });

  afterAll(async () => {
    await stopStockFlow(system);
    await deadLetters?.stop();
  });

  function orderCreated(orderId: string, items: { sku: string; quantity: number }[]) {
    return createEnvelope({
      definition: OrderCreatedV1,
      payload: { orderId, customerId: 'c-e2e', items },
      aggregateId: orderId,
      source: SERVICES.orderService,
    });
  }

  async function produce(topic: string, messages: Message[]): Promise<void> {
    const producer = createKafkaClient({ clientId: 'e2e-producer', brokers: brokers() }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();
  }

  const sys = () => system as StockFlowSystem;

  it('reserves stock and confirms the order (happy path)', async () => {
    // given a SKU with 10 available
    const sku = uniqueSku('happy');
    await setStock(sys(), sku, 10);
    // when an order for 3 is placed
    const orderId = await placeOrder(sys(), [{ sku, quantity: 3 }]);
    // then the order is confirmed and 7 remain
    const order = await settledOrder(sys(), orderId);
    expect(order).toEqual({ orderId, status: 'CONFIRMED', items: [{ sku, quantity: 3 }] });
    expect(await availableStock(sys(), sku)).toBe(7);
  });

  it('rejects an order larger than the stock and leaves the stock unchanged', async () => {
    const sku = uniqueSku('short');
    await setStock(sys(), sku, 2);

    const orderId = await placeOrder(sys(), [{ sku, quantity: 5 }]);

    expect(await settledOrder(sys(), orderId)).toMatchObject({ status: 'REJECTED', reason: 'INSUFFICIENT_STOCK' });
    expect(await availableStock(sys(), sku)).toBe(2);
  });

  it('rejects an order for an unknown SKU', async () => {
    const orderId = await placeOrder(sys(), [{ sku: uniqueSku('ghost'), quantity: 1 }]);

    expect(await settledOrder(sys(), orderId)).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_SKU' });
  });

  it('reserves a multi-item order all or nothing', async () => {
    // given A=5 and B=1
    const a = uniqueSku('multi-a');
    const b = uniqueSku('multi-b');
    await setStock(sys(), a, 5);
    await setStock(sys(), b, 1);
    // when an order wants 2 of each, B is short: nothing is taken, not even A
    const rejected = await placeOrder(sys(), [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 2 },
    ]);
    expect(await settledOrder(sys(), rejected)).toMatchObject({ status: 'REJECTED', reason: 'INSUFFICIENT_STOCK' });
    expect([await availableStock(sys(), a), await availableStock(sys(), b)]).toEqual([5, 1]);
    // when an order fits, every item is taken
    const confirmed = await placeOrder(sys(), [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 1 },
    ]);
    expect(await settledOrder(sys(), confirmed)).toMatchObject({ status: 'CONFIRMED' });
    expect([await availableStock(sys(), a), await availableStock(sys(), b)]).toEqual([3, 0]);
  });

  it.each([
    ['missing customerId', { items: [{ sku: 'SKU-1', quantity: 1 }] }, 'customerId'],
    ['missing items', { customerId: 'c-1' }, 'items'],
    ['empty items', { customerId: 'c-1', items: [] }, 'items must contain at least 1 elements'],
    ['zero quantity', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 0 }] }, 'quantity must not be less than 1'],
    ['fractional quantity', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 1.5 }] }, 'quantity must be an integer'],
    ['unknown property', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 1 }], coupon: 'X' }, 'property coupon should not exist'],
    ['NUL in a SKU (PostgreSQL cannot store it)', { customerId: 'c-1', items: [{ sku: 'SKU-\u0000', quantity: 1 }] }, 'body.items[0].sku must not contain the NUL character'],
  ])('answers 400 with the reason for %s', async (_case, body, reason) => {
    const response = await requestJson('POST', `${sys().orders.url}/orders`, body);

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(reason);
  });

  it('reports live and ready, with its broker, database and consumer checks', async () => {
    for (const service of [sys().orders, sys().inventory]) {
      expect((await requestJson('GET', `${service.url}/health/live`)).body).toEqual({ status: 'up' });
      expect((await requestJson('GET', `${service.url}/health/ready`)).body).toEqual({
        status: 'up',
        checks: { database: { status: 'up' }, kafka: { status: 'up' }, consumer: { status: 'up' } },
      });
    }
  });

  it('answers 400 for a body that is not JSON, and 404 for unknown ids', async () => {
    expect((await requestJson('POST', `${sys().orders.url}/orders`, '{"customerId":')).status).toBe(400);
    expect((await requestJson('GET', `${sys().orders.url}/orders/${randomUUID()}`)).status).toBe(404);
    expect((await requestJson('GET', `${sys().inventory.url}/inventory/${uniqueSku('none')}`)).status).toBe(404);
    expect((await requestJson('PUT', `${sys().inventory.url}/inventory/SKU-1`, { available: -1 })).status).toBe(400);
  });

  it('dead-letters poison messages with the reason and still processes the valid order behind them', async () => {
    // given four poison messages and then a valid OrderCreated, all with the same key (one partition)
    const sku = uniqueSku('poison');
    await setStock(sys(), sku, 4);
    const orderId = randomUUID();
    const valid = orderCreated(orderId, [{ sku, quantity: 1 }]);
    const poison = [
      { case: 'malformed', value: '{not json', fqcn: 'EventRejection.MalformedJson' },
      {
        case: 'invalid-payload',
        value: JSON.stringify({ ...valid, eventId: randomUUID(), payload: { ...valid.payload, items: [{ sku, quantity: 0 }] } }),
        fqcn: 'EventRejection.InvalidPayload',
      },
      { case: 'unknown-version', value: JSON.stringify({ ...valid, eventId: randomUUID(), version: 99 }), fqcn: 'EventRejection.UnknownEventType' },
      {
        // valid by every type check, but no database stores NUL: refused as invalid, not retried
        case: 'nul-in-sku',
        value: JSON.stringify({ ...valid, eventId: randomUUID(), payload: { ...valid.payload, items: [{ sku: `${sku}\u0000`, quantity: 1 }] } }),
        fqcn: 'EventRejection.InvalidPayload',
      },
    ];
    await produce(TOPICS.orderCreated.name, [
      ...poison.map((p) => ({ key: orderId, value: p.value, headers: { 'x-case': p.case } })),
      { key: orderId, value: JSON.stringify(valid), headers: { 'x-case': 'valid' } },
    ]);

    // then the valid order is reserved…
    await waitFor('stock to drop to 3', async () => (await availableStock(sys(), sku)) === 3);
    // …and each poison message is in inventory-service's DLQ with its origin and reason
    const letters = await waitFor('four dead letters', () => {
      const mine = deadLetters.messages.filter((message) => message.key === orderId);
      return mine.length === poison.length ? mine : undefined;
    });
    for (const expected of poison) {
      const letter = letters.find((message) => message.headers['x-case'] === expected.case);
      expect(letter?.value).toBe(expected.value);
      expect(letter?.headers).toMatchObject({
        [DLT_HEADERS.originalTopic]: TOPICS.orderCreated.name,
        [DLT_HEADERS.originalConsumerGroup]: SERVICES.inventoryService,
        [DLT_HEADERS.exceptionFqcn]: expected.fqcn,
        [DLT_HEADERS.attempts]: '1',
      });
      expect(letter?.headers[DLT_HEADERS.originalOffset]).toMatch(/^\d+$/);
      expect(letter?.headers[DLT_HEADERS.exceptionMessage]).not.toBe('');
    }
    const nul = letters.find((message) => message.headers['x-case'] === 'nul-in-sku');
    expect(nul?.headers[DLT_HEADERS.exceptionMessage]).toBe('event.payload.items[0].sku must not contain the NUL character (U+0000)');
  });

  it('dead-letters a poison record as large as the topic accepts, whole, and keeps consuming', async () => {
    // given a record that is not JSON and nearly as large as the event topic accepts (the broker's
    // 1 MiB): its dead letter, with the kafka_dlt-* headers added, is larger than that limit
    const sku = uniqueSku('large');
    await setStock(sys(), sku, 2);
    const orderId = randomUUID();
    const large = `{${'x'.repeat(1_048_000 - 1)}`;
    await produce(TOPICS.orderCreated.name, [{ key: orderId, value: large, headers: { 'x-case': 'too-large' } }]);
    await produce(TOPICS.orderCreated.name, [{ key: orderId, value: JSON.stringify(orderCreated(orderId, [{ sku, quantity: 1 }])) }]);

    // then its dead letter is in the DLQ with the whole value…
    const letter = await waitFor('the large dead letter', () => deadLetters.messages.find((message) => message.headers['x-case'] === 'too-large'));
    expect(letter.value?.length).toBe(large.length);
    expect(letter.value === large).toBe(true); // not toBe(large): a failure would print 1 MB
    expect(letter.headers[DLT_HEADERS.exceptionFqcn]).toBe('EventRejection.MalformedJson');
    // …and the consumer went on: the order behind it is reserved and the consumer is still up
    await waitFor('stock to drop to 1', async () => (await availableStock(sys(), sku)) === 1);
    const ready = await requestJson('GET', `${sys().inventory.url}/health/ready`);
    expect(ready.body).toMatchObject({ checks: { consumer: { status: 'up' } } });
  });

  it('applies an event published twice only once', async () => {
    // given an OrderCreated delivered twice (a producer retry, a replay, a duplicate upstream)
    const sku = uniqueSku('twice');
    await setStock(sys(), sku, 10);
    const marker = uniqueSku('marker');
    await setStock(sys(), marker, 1);
    const duplicate = JSON.stringify(orderCreated(randomUUID(), [{ sku, quantity: 4 }]));
    const markerOrder = randomUUID();
    await produce(TOPICS.orderCreated.name, [
      { key: markerOrder, value: duplicate },
      { key: markerOrder, value: duplicate },
      { key: markerOrder, value: JSON.stringify(orderCreated(markerOrder, [{ sku: marker, quantity: 1 }])) },
    ]);

    // then once the message behind both copies is processed, the stock went down once
    await waitFor('the marker order to be reserved', async () => (await availableStock(sys(), marker)) === 0);
    expect(await availableStock(sys(), sku)).toBe(6);
  });
});

describe('restart and shutdown', () => {
  it('stops cleanly on SIGTERM, leaves the consumer group, and keeps its data across a restart', async () => {
    // given a confirmed order
    const first = await startStockFlow();
    const sku = uniqueSku('restart');
    await setStock(first, sku, 10);
    const orderId = await placeOrder(first, [{ sku, quantity: 3 }]);
    await settledOrder(first, orderId);

    // when both services get SIGTERM
    const exitCodes = await stopStockFlow(first);

    // then they exit 0 and their consumers left their groups (no wait for a session timeout)
    expect(exitCodes).toEqual([0, 0]);
    const admin = createKafkaClient({ clientId: 'e2e-admin', brokers: [process.env.E2E_KAFKA_BROKERS as string] }).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([SERVICES.orderService, SERVICES.inventoryService]);
    await admin.disconnect();
    expect(groups.map((group) => group.members.length)).toEqual([0, 0]);

    // and after a restart on the same data, the order and the stock are still there
    const second = await startStockFlow({ dataDir: first.dataDir });
    try {
      expect((await requestJson('GET', `${second.orders.url}/orders/${orderId}`)).body.status).toBe('CONFIRMED');
      expect(await availableStock(second, sku)).toBe(7);
    } finally {
      await stopStockFlow(second);
    }
  });
});
