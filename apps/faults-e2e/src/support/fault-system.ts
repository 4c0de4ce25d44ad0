// The system the fault tests break: a three-broker local Kafka cluster (tools/kafka-local) on free
// ports, the registry's topics on it (replication 3, min.insync.replicas 2), and order-service,
// inventory-service (both on PostgreSQL: a kill -9 needs a database that survives it) and dlq-replayer
// as separate processes.
import { ALL_TOPICS, TOPICS } from '@platform/events';
import { createKafkaClient, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import { createScratchDir, freeBrokerPorts, LocalCluster, startClusterNode, startLocalCluster, stopClusterNode, stopLocalCluster } from '@platform/kafka-local';
import { freePort, ServiceProcess, startServiceProcess, waitFor } from '@platform/testing';
import { logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';

export const TOKEN = randomBytes(24).toString('base64url');
export const ORDERS_DATABASE = 'e2e_faults_orders';
export const INVENTORY_DATABASE = 'e2e_faults_inventory';
const NODES = 3;

export interface FaultSystem {
  cluster: LocalCluster;
  brokers: string;
  orders: ServiceProcess;
  inventory: ServiceProcess;
  replayer: ServiceProcess;
  dataDir: string;
}

export function adminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(database: string): string {
  return adminUrl().replace(/\/[^/]*$/, `/${database}`);
}

export async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function startFaultSystem(log: (line: string) => void): Promise<FaultSystem> {
  await withPostgres(adminUrl(), async (client) => {
    for (const database of [ORDERS_DATABASE, INVENTORY_DATABASE]) {
      await client.query(`drop database if exists ${database} with (force)`);
      await client.query(`create database ${database}`);
    }
  });
  const dataDir = createScratchDir('faults-');
  const cluster = await startLocalCluster({ nodes: NODES, basePort: await freeBrokerPorts(NODES), dir: `${dataDir}/kafka`, log: (line) => log(`kafka: ${line}`) });
  const brokers = cluster.bootstrap.join(',');
  const kafka = createKafkaClient({ clientId: 'faults-setup', brokers: cluster.bootstrap });
  const { plan } = await provisionTopics(kafka);
  if (plan.brokers !== NODES || plan.replicationFactor.note) throw new Error(`expected ${NODES} brokers and the registry's replication, got ${JSON.stringify(plan)}`);
  await waitForGroupCoordinator(kafka);
  const [orders, inventory, replayer] = await Promise.all([
    startOrderService(brokers, dataDir),
    startInventoryService(brokers, dataDir),
    startServiceProcess({
      name: 'dlq-replayer',
      entry: 'apps/dlq-replayer/src/main.ts',
      port: await freePort(),
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: '', DLQ_REPLAYER_TOKEN: TOKEN, NODE_ENV: 'production' },
    }),
  ]);
  return { cluster, brokers, orders, inventory, replayer, dataDir };
}

function startOrderService(brokers: string, dataDir: string): Promise<ServiceProcess> {
  return freePort().then((port) =>
    startServiceProcess({
      name: 'order-service',
      entry: 'apps/order-service/src/main.ts',
      port,
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: databaseUrl(ORDERS_DATABASE) },
    }),
  );
}

export function startInventoryService(brokers: string, dataDir: string): Promise<ServiceProcess> {
  return freePort().then((port) =>
    startServiceProcess({
      name: 'inventory-service',
      entry: 'apps/inventory-service/src/main.ts',
      port,
      env: { KAFKA_BROKERS: brokers, DATA_DIR: dataDir, DATABASE_URL: databaseUrl(INVENTORY_DATABASE) },
    }),
  );
}

export async function stopFaultSystem(system: FaultSystem | undefined, log: (line: string) => void): Promise<void> {
  if (!system) return;
  await Promise.all([system.orders.stop(), system.inventory.stop(), system.replayer.stop()]);
  await stopLocalCluster({ dir: system.cluster.dir, log: (line) => log(`kafka: ${line}`) });
  rmSync(system.dataDir, { recursive: true, force: true });
}

/** The broker leading a partition of a topic right now. */
export async function leaderOf(system: FaultSystem, topic: string, partition: number): Promise<number> {
  const admin = quietAdmin(system);
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = topics[0].partitions.find((p) => p.partitionId === partition)?.leader;
    if (leader === undefined || leader < 0) throw new Error(`${topic}[${partition}] has no leader`);
    return leader;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until every partition of every registry topic has all three replicas in sync again. */
export async function waitForFullIsr(system: FaultSystem, timeoutMs = 90_000): Promise<void> {
  const admin = quietAdmin(system);
  await admin.connect();
  try {
    await waitFor(
      'every partition back to 3 in-sync replicas',
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [...ALL_TOPICS.map((t) => t.name), '__consumer_offsets'] });
        const short = topics.flatMap((t) => t.partitions.filter((p) => p.isr.length < NODES).map((p) => `${t.name}[${p.partitionId}] isr=${p.isr.join(',')}`));
        return short.length === 0 ? true : (Promise.reject(new Error(short.slice(0, 5).join('; '))) as Promise<false>);
      },
      { timeoutMs, intervalMs: 500 },
    );
  } finally {
    await admin.disconnect();
  }
}

/** The test's own admin client: a broker it cannot reach is the point of these tests, not news. */
function quietAdmin(system: FaultSystem) {
  return createKafkaClient({ clientId: 'faults-admin', brokers: system.cluster.bootstrap, retries: 3, logLevel: logLevel.NOTHING }).admin();
}

export function killNode(system: FaultSystem, nodeId: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<number | undefined> {
  return stopClusterNode(nodeId, { dir: system.cluster.dir, signal });
}

export async function restartNode(system: FaultSystem, nodeId: number): Promise<void> {
  await startClusterNode(nodeId, { dir: system.cluster.dir });
}

/** The topic the fault tests aim at: OrderCreated, written by order-service, read by inventory-service. */
export const TARGET_TOPIC = TOPICS.orderCreated.name;
