// Jest globalSetup shared by every e2e project (point `globalSetup` here): a real broker (see
// test-broker.ts), the registry's topics on it, a folder for this run's state, and a fresh PostgreSQL
// database named after the project when the server answers.
import './register-paths';
import { createKafkaClient, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import { createScratchDir } from '@platform/kafka-local';
import { Client } from 'pg';
import { provideTestBroker, TestBroker } from './test-broker';

declare global {
  var __E2E_BROKER__: TestBroker | undefined;
}

export default async function e2eGlobalSetup(_globalConfig: unknown, project: { displayName?: { name?: string } | string }): Promise<void> {
  const started = Date.now();
  const name = typeof project.displayName === 'string' ? project.displayName : (project.displayName?.name ?? 'e2e');
  const broker = await provideTestBroker((line) => console.log(`\n[e2e] ${line}`));
  globalThis.__E2E_BROKER__ = broker;
  const kafka = createKafkaClient({ clientId: 'e2e-setup', brokers: broker.brokers });
  await provisionTopics(kafka);
  await waitForGroupCoordinator(kafka);
  process.env.E2E_KAFKA_BROKERS = broker.brokers.join(',');
  process.env.E2E_STATE_DIR = createScratchDir('e2e-run-');
  process.env.E2E_DATABASE_URL = await freshPostgresDatabase(`e2e_${name.replace(/[^a-z0-9]/gi, '_')}`.toLowerCase());
  console.log(
    `[e2e] broker ${broker.kind} at ${process.env.E2E_KAFKA_BROKERS}; PostgreSQL ${process.env.E2E_DATABASE_URL || 'not reachable (embedded PGlite only)'}; ready in ${Date.now() - started} ms`,
  );
}

async function freshPostgresDatabase(database: string): Promise<string> {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`[e2e] PostgreSQL not reachable at ${adminUrl} (${(error as Error).message})`);
    return '';
  }
  try {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${database}`);
}
