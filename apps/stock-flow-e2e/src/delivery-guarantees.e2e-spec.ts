// Nothing lost, nothing applied twice, under the failures the platform must survive: inventory-service
// killed with kill -9 in the middle of a burst, and the broker down while orders keep arriving.
import { LocalTestBroker, requestJson, startLocalTestBroker, waitFor } from '@platform/testing';
import { createKafkaClient, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import {
  availableStock,
  orderStatus,
  placeOrder,
  setStock,
  settledOrder,
  startInventory,
  startStockFlow,
  stopStockFlow,
  StockFlowSystem,
  uniqueSku,
} from './support/stock-flow-system';

/** Runs `task` over `items` with at most `concurrency` in flight. */
async function inParallel<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]);
      }
    }),
  );
  return results;
}

describe('delivery guarantees', () => {
  let system: StockFlowSystem | undefined;

  afterEach(async () => {
    await stopStockFlow(system);
    system = undefined;
  });

  it('kill -9 of inventory-service with 2,000 orders in flight loses none and decrements none twice', async () => {
    // given three SKUs whose stock runs out part-way, so orders end both CONFIRMED and REJECTED
    system = await startStockFlow({ inventoryOnPostgres: true });
    const current = system;
    const initial = new Map([uniqueSku('k9-a'), uniqueSku('k9-b'), uniqueSku('k9-c')].map((sku) => [sku, 1200]));
    for (const [sku, available] of initial) await setStock(current, sku, available);
    const skus = [...initial.keys()];
    const orders = Array.from({ length: 2000 }, (_, i) => [
      { sku: skus[i % 3], quantity: 1 + (i % 3) },
      ...(i % 4 === 0 ? [{ sku: skus[(i + 1) % 3], quantity: 1 }] : []),
    ]);

    // when the orders are posted and inventory-service is killed -9 once a few hundred are settled
    const posting = inParallel(orders, 16, (items) => placeOrder(current, items));
    const ids: string[] = [];
    await waitFor(
      'a few hundred orders settled before the kill',
      async () => {
        const probe = await inventorySnapshot(current, skus);
        return [...initial].reduce((sum, [sku, start]) => sum + start - (probe.get(sku) ?? start), 0) >= 400;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(await current.inventory.stop('SIGKILL')).toBeNull();
    const atKill = await inventorySnapshot(current, skus).catch(() => undefined);
    ids.push(...(await posting));
    console.log(`[kill -9] inventory-service killed; all ${ids.length} orders accepted afterwards, restarting it (${atKill ? 'unexpected: still answering' : 'down'})`);
    current.inventory = await startInventory(current.options as Required<typeof current.options>);

    // then every order ends CONFIRMED or REJECTED…
    const settled = await inParallel(ids, 16, (id) => settledOrder(current, id, 120_000));
    expect(settled.filter((order) => !['CONFIRMED', 'REJECTED'].includes(order.status))).toEqual([]);
    // …and each SKU went down by exactly the quantities of the confirmed orders
    const confirmedBySku = new Map(skus.map((sku) => [sku, 0]));
    for (const order of settled.filter((o) => o.status === 'CONFIRMED')) {
      for (const item of order.items) confirmedBySku.set(item.sku, (confirmedBySku.get(item.sku) ?? 0) + item.quantity);
    }
    const final = await inventorySnapshot(current, skus);
    for (const sku of skus) {
      expect({ sku, decrement: (initial.get(sku) ?? 0) - (final.get(sku) ?? 0) }).toEqual({ sku, decrement: confirmedBySku.get(sku) });
    }
    expect(settled.some((order) => order.status === 'REJECTED')).toBe(true);
    expect(settled.some((order) => order.status === 'CONFIRMED')).toBe(true);
  });

  it('publishes every order accepted while the broker was down for 10 s, once it is back', async () => {
    // given the system on a broker of its own, which this test stops and starts
    const broker: LocalTestBroker = await startLocalTestBroker((line) => console.log(`[outage] ${line}`));
    try {
      const kafka = createKafkaClient({ clientId: 'e2e-outage', brokers: broker.brokers });
      await provisionTopics(kafka);
      await waitForGroupCoordinator(kafka);
      system = await startStockFlow({ brokers: broker.brokers.join(',') });
      const current = system;
      const sku = uniqueSku('outage');
      await setStock(current, sku, 1000);
      const before = await placeOrder(current, [{ sku, quantity: 1 }]);
      await settledOrder(current, before);

      // when the broker is down for 10 s while orders keep coming
      await broker.pause();
      const accepted: string[] = [];
      const downUntil = Date.now() + 10_000;
      while (Date.now() < downUntil) {
        accepted.push(await placeOrder(current, [{ sku, quantity: 2 }]));
        await new Promise((done) => setTimeout(done, 250)); // the arrival rate of the load, not a wait for a condition
      }
      expect((await orderStatus(current, accepted[0])).status).toBe('PENDING');
      const notReady = await requestJson('GET', `${current.orders.url}/health/ready`);
      expect(notReady.status).toBe(503);
      expect(notReady.body.checks).toMatchObject({ kafka: { status: 'down' }, database: { status: 'up' } });
      await broker.resume();

      // then every accepted order is published and processed
      const settled = await inParallel(accepted, 8, (id) => settledOrder(current, id, 120_000));
      expect(settled.map((order) => order.status)).toEqual(accepted.map(() => 'CONFIRMED'));
      expect(await availableStock(current, sku)).toBe(1000 - 1 - 2 * accepted.length);
      expect((await requestJson('GET', `${current.orders.url}/health/ready`)).status).toBe(200);
    } finally {
      await stopStockFlow(system);
      system = undefined;
      await broker.stop();
    }
  });
});

async function inventorySnapshot(system: StockFlowSystem, skus: string[]): Promise<Map<string, number>> {
  const values = await Promise.all(skus.map((sku) => availableStock(system, sku)));
  return new Map(skus.map((sku, i) => [sku, values[i] ?? 0]));
}
