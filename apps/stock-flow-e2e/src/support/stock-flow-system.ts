// The system under test: order-service and inventory-service as two processes on the e2e broker,
// each with its own fresh data directory, plus helpers to drive them over HTTP.
import { createScratchDir, freePort, requestJson, ServiceProcess, startServiceProcess, waitFor } from '@platform/testing';

export interface StockFlowSystem {
  orders: ServiceProcess;
  inventory: ServiceProcess;
  dataDir: string;
}

export async function startStockFlow(
  dataDir = createScratchDir('system-', process.env.E2E_STATE_DIR),
): Promise<StockFlowSystem> {
  const brokers = process.env.E2E_KAFKA_BROKERS;
  if (!brokers) throw new Error('E2E_KAFKA_BROKERS is not set: run through the e2e jest config (global-setup)');
  const common = { KAFKA_BROKERS: brokers, DATA_DIR: dataDir };
  const [orders, inventory] = await Promise.all([
    startServiceProcess({
      name: 'order-service',
      entry: 'apps/order-service/src/main.ts',
      port: await freePort(),
      env: { ...common, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '' },
    }),
    startServiceProcess({
      name: 'inventory-service',
      entry: 'apps/inventory-service/src/main.ts',
      port: await freePort(),
      env: { ...common, DATABASE_URL: '' },
    }),
  ]);
  return { orders, inventory, dataDir };
}

export async function stopStockFlow(system: StockFlowSystem | undefined): Promise<(number | null)[]> {
  if (!system) return [];
  return Promise.all([system.orders.stop(), system.inventory.stop()]);
}

export async function setStock(system: StockFlowSystem, sku: string, available: number): Promise<void> {
  const response = await requestJson('PUT', `${system.inventory.url}/inventory/${sku}`, { available });
  if (response.status !== 200) throw new Error(`PUT /inventory/${sku} answered ${response.status}`);
}

export async function availableStock(system: StockFlowSystem, sku: string): Promise<number | undefined> {
  const response = await requestJson('GET', `${system.inventory.url}/inventory/${sku}`);
  return response.status === 200 ? response.body.available : undefined;
}

export async function placeOrder(system: StockFlowSystem, items: { sku: string; quantity: number }[]): Promise<string> {
  const response = await requestJson('POST', `${system.orders.url}/orders`, { customerId: 'c-e2e', items });
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.orderId;
}

/** Waits until the order leaves PENDING and returns its final representation. */
export function settledOrder(system: StockFlowSystem, orderId: string) {
  return waitFor(`order ${orderId} to be settled`, async () => {
    const response = await requestJson('GET', `${system.orders.url}/orders/${orderId}`);
    return response.status === 200 && response.body.status !== 'PENDING' ? response.body : undefined;
  });
}

/** A SKU name no other test uses, so tests never share stock. */
export function uniqueSku(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
