// Once per e2e run: a real broker (libs/testing decides which), the registry's topics on it, and a
// fresh PostgreSQL database for order-service when the server answers (inventory-service always uses
// embedded PGlite, so one run covers both drivers).
import './register-paths';
import { createKafkaClient, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import { createScratchDir, provideTestBroker, TestBroker } from '@platform/testing';
import { Client } from 'pg';

declare global {
  var __E2E_BROKER__: TestBroker | undefined;
}

const E2E_DATABASE = 'event_bus_e2e';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const broker = await provideTestBroker((line) => console.log(`\n[e2e] ${line}`));
  globalThis.__E2E_BROKER__ = broker;
  const kafka = createKafkaClient({ clientId: 'e2e-setup', brokers: broker.brokers });
  await provisionTopics(kafka);
  await waitForGroupCoordinator(kafka);
  process.env.E2E_KAFKA_BROKERS = broker.brokers.join(',');
  // Every service data directory of this run goes below one folder, removed by global-teardown.
  process.env.E2E_STATE_DIR = createScratchDir('e2e-run-');
  process.env.E2E_ORDER_DATABASE_URL = await freshPostgresDatabase();
  console.log(
    `[e2e] broker ${broker.kind} at ${process.env.E2E_KAFKA_BROKERS}; order-service on ${process.env.E2E_ORDER_DATABASE_URL || 'embedded PGlite'}; ready in ${Date.now() - started} ms`,
  );
}

async function freshPostgresDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`[e2e] PostgreSQL not reachable at ${adminUrl} (${(error as Error).message}); order-service uses embedded PGlite too`);
    return '';
  }
  try {
    await admin.query(`drop database if exists ${E2E_DATABASE} with (force)`);
    await admin.query(`create database ${E2E_DATABASE}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${E2E_DATABASE}`);
}
