// Metrics, traces, logs and health of the running services, on a real broker: the numbers move when
// orders flow, one order is one trace from POST /orders to its settlement, every log line about an
// event carries its ids, and readiness reflects the dependencies.
import { TOPICS } from '@platform/events';
import { createKafkaClient } from '@platform/messaging';
import { flowStartedAtOf } from '@platform/observability';
import { metricValue as metric, recordTopic, requestJson, TopicRecorder, waitFor } from '@platform/testing';
import { Partitioners } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { placeOrder, setStock, settledOrder, startStockFlow, StockFlowSystem, stopStockFlow, uniqueSku } from './support/stock-flow-system';

function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];
}

describe('observability', () => {
  let system: StockFlowSystem;
  let created: TopicRecorder;
  let reserved: TopicRecorder;

  beforeAll(async () => {
    system = await startStockFlow();
    const brokers = system.options.brokers.split(',');
    [created, reserved] = await Promise.all([recordTopic(brokers, TOPICS.orderCreated.name), recordTopic(brokers, TOPICS.stockReserved.name)]);
  });

  afterAll(async () => {
    await Promise.all([created?.stop(), reserved?.stop()]);
    expect(await stopStockFlow(system)).toEqual([0, 0]);
  });

  it('is ready when broker and database answer, and serves /metrics in Prometheus text format', async () => {
    for (const service of [system.orders, system.inventory]) {
      expect((await requestJson('GET', `${service.url}/health/ready`)).status).toBe(200);
      const response = await fetch(`${service.url}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toContain('# TYPE process_cpu_seconds_total counter');
      expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="(order|inventory)-service"\} \d+/m);
    }
  });

  it('moves the event-flow, business and HTTP metrics when orders flow', async () => {
    // given the counters before
    const orders = system.orders.url;
    const inventory = system.inventory.url;
    const consumedLabels = { topic: TOPICS.orderCreated.name, group: 'inventory-service', outcome: 'processed' };
    const before = {
      placed: await metric(orders, 'orders_placed_total'),
      confirmed: await metric(orders, 'orders_settled_total', { status: 'CONFIRMED' }),
      endToEnd: await metric(orders, 'order_end_to_end_seconds_count'),
      produced: await metric(orders, 'eventbus_messages_produced_total', { topic: TOPICS.orderCreated.name, outcome: 'ok' }),
      consumed: await metric(inventory, 'eventbus_messages_consumed_total', consumedLabels),
      handled: await metric(inventory, 'eventbus_handler_duration_seconds_count', { ...consumedLabels }),
      batched: await metric(inventory, 'eventbus_handler_batch_size_sum', { topic: TOPICS.orderCreated.name, group: 'inventory-service' }),
      flowAged: await metric(inventory, 'eventbus_flow_age_seconds_count', { topic: TOPICS.orderCreated.name, group: 'inventory-service' }),
      answersAged: await metric(orders, 'eventbus_flow_age_seconds_count', { topic: TOPICS.stockReserved.name, group: 'order-service' }),
      http: await metric(orders, 'http_requests_total', { method: 'POST', route: '/orders', status: '202' }),
    };
    // when five orders are placed and settled
    const sku = uniqueSku('METRICS');
    await setStock(system, sku, 100);
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => placeOrder(system, [{ sku, quantity: 1 }])));
    await Promise.all(ids.map((id) => settledOrder(system, id)));
    // then every counter moved by five
    expect(await metric(orders, 'orders_placed_total')).toBe(before.placed + 5);
    expect(await metric(orders, 'orders_settled_total', { status: 'CONFIRMED' })).toBe(before.confirmed + 5);
    expect(await metric(orders, 'order_end_to_end_seconds_count')).toBe(before.endToEnd + 5);
    expect(await metric(orders, 'order_end_to_end_seconds_sum')).toBeGreaterThan(0);
    expect(await metric(orders, 'eventbus_messages_produced_total', { topic: TOPICS.orderCreated.name, outcome: 'ok' })).toBe(before.produced + 5);
    expect(await metric(inventory, 'eventbus_messages_consumed_total', consumedLabels)).toBe(before.consumed + 5);
    // inventory-service takes OrderCreated in batches: one to five handler calls for five messages
    const handled = (await metric(inventory, 'eventbus_handler_duration_seconds_count', consumedLabels)) - before.handled;
    expect(handled).toBeGreaterThanOrEqual(1);
    expect(handled).toBeLessThanOrEqual(5);
    const batchLabels = { topic: TOPICS.orderCreated.name, group: 'inventory-service' };
    expect((await metric(inventory, 'eventbus_handler_batch_size_sum', batchLabels)) - before.batched).toBe(5);
    expect(await metric(orders, 'http_requests_total', { method: 'POST', route: '/orders', status: '202' })).toBe(before.http + 5);
    // the age of each flow (since its POST /orders) is measured at both hops: OrderCreated, and the answer back
    // (a message's effect is visible a moment before its handler returns: wait for the observations)
    await waitFor('flow age of the five orders', async () => (await metric(inventory, 'eventbus_flow_age_seconds_count', batchLabels)) === before.flowAged + 5);
    await waitFor('flow age of the five answers', async () => (await metric(orders, 'eventbus_flow_age_seconds_count', { topic: TOPICS.stockReserved.name, group: 'order-service' })) === before.answersAged + 5);
    // and the outbox drains, and the consumers catch up (lag per partition, for each of their topics)
    await waitFor('outbox backlogs at 0', async () => (await metric(orders, 'eventbus_outbox_backlog')) === 0 && (await metric(inventory, 'eventbus_outbox_backlog')) === 0);
    await waitFor('inventory-service lag 0', async () => (await metric(inventory, 'eventbus_consumer_lag', { group: 'inventory-service', topic: TOPICS.orderCreated.name })) === 0);
    const lagText = await (await fetch(`${inventory}/metrics`)).text();
    for (let partition = 0; partition < TOPICS.orderCreated.partitions; partition++) {
      expect(lagText).toContain(`eventbus_consumer_lag{group="inventory-service",topic="${TOPICS.orderCreated.name}",partition="${partition}"`);
    }
  });

  it('counts a dead letter by reason, and the consumer keeps going', async () => {
    // given a poison message on order.order-service.created
    const labels = { topic: TOPICS.orderCreated.name, group: 'inventory-service', reason: 'EventRejection.MalformedJson' };
    const before = await metric(system.inventory.url, 'eventbus_dead_letters_total', labels);
    const producer = createKafkaClient({ clientId: 'e2e-poison', brokers: system.options.brokers.split(',') }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: TOPICS.orderCreated.name, messages: [{ key: 'poison', value: '{"broken":' }] });
    await producer.disconnect();
    // then the dead-letter counter moves, and the next order still goes through
    await waitFor('dead letter counted', async () => (await metric(system.inventory.url, 'eventbus_dead_letters_total', labels)) === before + 1);
    expect(await metric(system.inventory.url, 'eventbus_messages_consumed_total', { topic: TOPICS.orderCreated.name, outcome: 'dead_lettered' })).toBeGreaterThanOrEqual(1);
    const sku = uniqueSku('AFTER-POISON');
    await setStock(system, sku, 1);
    expect((await settledOrder(system, await placeOrder(system, [{ sku, quantity: 1 }]))).status).toBe('CONFIRMED');
  });

  it('makes one order one trace: the caller’s traceparent, and when order-service received the request, are carried through OrderCreated and StockReserved', async () => {
    // given a caller that starts a trace
    const traceId = randomBytes(16).toString('hex');
    const sku = uniqueSku('TRACE');
    await setStock(system, sku, 5);
    // when it places an order with its traceparent
    const sentAt = Date.now();
    const response = await requestJson('POST', `${system.orders.url}/orders`, { customerId: 'c-trace', items: [{ sku, quantity: 1 }] }, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      // baggage from outside is not taken: it would ride along in every event's headers
      baggage: 'flow.started_at=1000, tenant=from-outside',
    });
    const answeredAt = Date.now();
    expect(response.status).toBe(202);
    const orderId: string = response.body.orderId;
    await settledOrder(system, orderId);
    // then both events of the order carry that trace id in their traceparent header
    const orderCreated = await waitFor('OrderCreated recorded', () => created.messages.find((m) => m.key === orderId));
    const stockReserved = await waitFor('StockReserved recorded', () => reserved.messages.find((m) => m.key === orderId));
    expect(traceIdOf(orderCreated.headers.traceparent)).toBe(traceId);
    expect(traceIdOf(stockReserved.headers.traceparent)).toBe(traceId);
    // and each hop is a span of its own (a different parent span id)
    expect(orderCreated.headers.traceparent).not.toBe(stockReserved.headers.traceparent);
    // and both carry the moment order-service received the request (baggage), the start of the flow
    const receivedAt = flowStartedAtOf(orderCreated.headers.baggage);
    expect(receivedAt).toBeGreaterThanOrEqual(sentAt);
    expect(receivedAt).toBeLessThanOrEqual(answeredAt);
    expect(flowStartedAtOf(stockReserved.headers.baggage)).toBe(receivedAt);
    expect(`${orderCreated.headers.baggage} ${stockReserved.headers.baggage}`).not.toContain('tenant');

    // and the JSON log lines about it, in both services, carry eventId, correlationId and that trace id
    const linesAbout = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((record) => record.correlationId === orderId);
    const inventoryLines = await waitFor('inventory-service log lines', () => linesAbout(system.inventory.output()).find((r) => /reserved/.test(r.msg)));
    const orderLines = await waitFor('order-service log lines', () => linesAbout(system.orders.output()).find((r) => /CONFIRMED/.test(r.msg)));
    const envelope = JSON.parse(orderCreated.value as string);
    expect(inventoryLines).toMatchObject({ level: 'info', service: 'inventory-service', eventId: envelope.eventId, traceId });
    expect(orderLines).toMatchObject({ level: 'info', service: 'order-service', eventId: JSON.parse(stockReserved.value as string).eventId, traceId });
  });
});
