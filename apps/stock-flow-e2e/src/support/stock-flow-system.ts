// The system under test: order-service and inventory-service as two processes on a real broker,
// each with its own data, plus helpers to drive them over HTTP.
import { createScratchDir, freePort, requestJson, ServiceProcess, startServiceProcess, waitFor } from '@platform/testing';

export interface StockFlowOptions {
  /** Reuse a previous system's data (restart). */
  dataDir?: string;
  brokers?: string;
  /** inventory-service on PostgreSQL instead of embedded PGlite (crash tests: kill -9 needs a server database). */
  inventoryOnPostgres?: boolean;
}

export interface StockFlowSystem {
  orders: ServiceProcess;
  inventory: ServiceProcess;
  dataDir: string;
  options: Required<Pick<StockFlowOptions, 'brokers'>> & StockFlowOptions;
}

export async function startStockFlow(options: StockFlowOptions = {}): Promise<StockFlowSystem> {
  const brokers = options.brokers ?? process.env.E2E_KAFKA_BROKERS;
  if (!brokers) throw new Error('E2E_KAFKA_BROKERS is not set: run through the e2e jest config (libs/testing e2e-global-setup)');
  const dataDir = options.dataDir ?? createScratchDir('system-', process.env.E2E_STATE_DIR);
  const resolved = { ...options, brokers, dataDir };
  // order-service on the run's PostgreSQL database when there is one, inventory-service on PGlite by
  // default: one run covers both drivers.
  const [orders, inventory] = await Promise.all([
    startServiceProcess({
      name: 'order-service',
      entry: 'apps/order-service/src/main.ts',
      port: await freePort(),
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '' },
    }),
    startInventory(resolved),
  ]);
  return { orders, inventory, dataDir, options: resolved };
}

export async function startInventory(options: StockFlowOptions & { brokers: string; dataDir: string }): Promise<ServiceProcess> {
  const databaseUrl = options.inventoryOnPostgres ? process.env.E2E_DATABASE_URL : '';
  if (options.inventoryOnPostgres && !databaseUrl) throw new Error('this test needs PostgreSQL (TEST_POSTGRES_URL)');
  return startServiceProcess({
    name: 'inventory-service',
    entry: 'apps/inventory-service/src/main.ts',
    port: await freePort(),
    env: { KAFKA_BROKERS: options.brokers, DATA_DIR: options.dataDir, DATABASE_URL: databaseUrl ?? '' },
  });
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

export async function orderStatus(system: StockFlowSystem, orderId: string) {
  const response = await requestJson('GET', `${system.orders.url}/orders/${orderId}`);
  if (response.status !== 200) throw new Error(`GET /orders/${orderId} answered ${response.status}`);
  return response.body as { orderId: string; status: string; items: { sku: string; quantity: number }[]; reason?: string };
}

/** Waits until the order leaves PENDING and returns its final representation. */
export function settledOrder(system: StockFlowSystem, orderId: string, timeoutMs = 15_000) {
  return waitFor(
    `order ${orderId} to be settled`,
    async () => {
      const order = await orderStatus(system, orderId);
      return order.status !== 'PENDING' ? order : undefined;
    },
    { timeoutMs },
  );
}

/** A SKU name no other test uses, so tests never share stock. */
export function uniqueSku(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
