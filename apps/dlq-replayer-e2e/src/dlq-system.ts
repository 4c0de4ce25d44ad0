// The system for the replayer tests: order-service, inventory-service on a PostgreSQL database of its
// own (so the test can make it unreachable, the way a production outage would), and dlq-replayer.
import { SERVICES } from '@platform/events';
import { createScratchDir, freePort, requestJson, ServiceProcess, startServiceProcess } from '@platform/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TOKEN = randomBytes(24).toString('base64url');
const INVENTORY_DATABASE = 'e2e_dlq_inventory';

export interface DlqSystem {
  orders: ServiceProcess;
  inventory: ServiceProcess;
  replayer: ServiceProcess;
  stop(): Promise<void>;
}

function adminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function startDlqSystem(options: { maxReplays: number }): Promise<DlqSystem> {
  if (!process.env.E2E_DATABASE_URL) throw new Error('these tests need PostgreSQL (TEST_POSTGRES_URL)');
  await admin(async (client) => {
    await client.query(`drop database if exists ${INVENTORY_DATABASE} with (force)`);
    await client.query(`create database ${INVENTORY_DATABASE}`);
  });
  const brokers = process.env.E2E_KAFKA_BROKERS as string;
  const dataDir = createScratchDir('dlq-', process.env.E2E_STATE_DIR);
  const [orders, inventory, replayer] = await Promise.all([
    startServiceProcess({
      name: SERVICES.orderService,
      entry: 'apps/order-service/src/main.ts',
      port: await freePort(),
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: process.env.E2E_DATABASE_URL },
    }),
    startServiceProcess({
      name: SERVICES.inventoryService,
      entry: 'apps/inventory-service/src/main.ts',
      port: await freePort(),
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: adminUrl().replace(/\/[^/]*$/, `/${INVENTORY_DATABASE}`) },
    }),
    startServiceProcess({
      name: SERVICES.dlqReplayer,
      entry: 'apps/dlq-replayer/src/main.ts',
      port: await freePort(),
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: '', DLQ_REPLAYER_TOKEN: TOKEN, DLQ_MAX_REPLAYS: String(options.maxReplays), NODE_ENV: 'production' },
    }),
  ]);
  return {
    orders,
    inventory,
    replayer,
    stop: async () => void (await Promise.all([orders.stop(), inventory.stop(), replayer.stop()])),
  };
}

/** Makes inventory-service's database refuse connections and drops the ones it has: a database outage. */
export async function cutInventoryDatabase(): Promise<void> {
  await admin(async (client) => {
    await client.query(`alter database ${INVENTORY_DATABASE} allow_connections false`);
    await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [INVENTORY_DATABASE]);
  });
}

export async function restoreInventoryDatabase(): Promise<void> {
  await admin((client) => client.query(`alter database ${INVENTORY_DATABASE} allow_connections true`));
}

export function api(system: DlqSystem, method: string, path: string, body?: unknown) {
  return requestJson(method, `${system.replayer.url}${path}`, body, { authorization: `Bearer ${TOKEN}`, 'x-actor': 'e2e' });
}
