// The system a load test runs against, started fresh for the run so its numbers depend on nothing left
// over: a local Kafka broker (tools/kafka-local; or KAFKA_BROKERS) with the registry's topics at the
// requested partition count, order-service (http mode) and N inventory-service instances as separate
// processes on fresh PostgreSQL databases (embedded PGlite when no server answers), logging at warn.
import { ALL_TOPICS } from '@platform/events';
import { createScratchDir, freeBrokerPorts, freePort, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { createKafkaClient, waitForGroupCoordinator } from '@platform/messaging';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { LoadOptions } from './load-options';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface RunningProcess {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
  output(): string;
}

export interface LoadSystem {
  brokers: string[];
  brokerPid?: number;
  orders?: RunningProcess;
  inventories: RunningProcess[];
  database: string;
  stop(): Promise<void>;
}

// Ctrl-C and SIGTERM stop every system of this process (services, broker, databases) before it exits,
// also one still starting: that start-up finishes (or fails), then stops what it started. The broker
// runs in a process group of its own and would otherwise outlive us.
const live = new Set<LoadSystem>();
let startsUnderWay = 0;
let interruptedWith: number | undefined;
let signalsHandled = false;

function handleSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  const interrupt = (code: number) => {
    if (interruptedWith !== undefined) return;
    interruptedWith = code;
    process.stderr.write(`\ninterrupted: stopping the system${startsUnderWay > 0 ? ' once its start-up is done' : ''}…\n`);
    void Promise.all([...live].map((system) => system.stop())).then(() => {
      if (startsUnderWay === 0) process.exit(code);
    });
  };
  process.once('SIGINT', () => interrupt(130));
  process.once('SIGTERM', () => interrupt(143));
}

/** The end of a run: stops the system and exits with the run's code (or the signal's, if one came). */
export async function stopAndExit(system: LoadSystem, code: number): Promise<never> {
  await system.stop();
  process.exit(interruptedWith ?? code);
}

/** A fresh system; its stop() runs once however often it is called (the end of a run, a signal). */
export async function startLoadSystem(options: LoadOptions, log: (line: string) => void): Promise<LoadSystem> {
  handleSignals();
  startsUnderWay++;
  let started: LoadSystem;
  try {
    started = await startUnwatched(options, log);
  } finally {
    startsUnderWay--;
  }
  let stopping: Promise<void> | undefined;
  const system: LoadSystem = {
    ...started,
    stop: () => {
      stopping ??= started.stop().finally(() => live.delete(system));
      return stopping;
    },
  };
  live.add(system);
  if (interruptedWith !== undefined) await stopAndExit(system, interruptedWith);
  return system;
}

async function startUnwatched(options: LoadOptions, log: (line: string) => void): Promise<LoadSystem> {
  const dir = createScratchDir('loadtest-');
  const external = process.env.KAFKA_BROKERS?.split(',');
  const broker = external ? undefined : await startLocalBroker({ port: await freeBrokerPorts(), dir: `${dir}/kafka`, heapMb: 1024, log: (line) => log(`kafka: ${line}`) });
  try {
    return await startOnBroker(options, log, dir, external ?? [broker?.bootstrap as string], broker?.pid);
  } catch (error) {
    // Never leave the broker behind when a later step fails (topics, databases, services).
    if (broker) await stopLocalBroker({ dir: `${dir}/kafka` }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startOnBroker(options: LoadOptions, log: (line: string) => void, dir: string, brokers: string[], brokerPid: number | undefined): Promise<LoadSystem> {
  const external = brokerPid === undefined;
  const kafka = createKafkaClient({ clientId: 'loadtest-setup', brokers });
  if (!external) await createTopics(kafka, options.partitions);
  else log(`KAFKA_BROKERS set: using its topics as they are (--partitions ignored)`);
  await waitForGroupCoordinator(kafka);

  // Databases of this run only: a process left over from another run can never touch them.
  const runId = randomBytes(4).toString('hex');
  const ordersDb = `loadtest_${runId}_orders`;
  const inventoryDb = `loadtest_${runId}_inventory`;
  const postgres = await freshDatabases([ordersDb, inventoryDb]);
  const database = postgres ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite (no PostgreSQL server answered)';
  const env = (databaseName: string) => ({
    KAFKA_BROKERS: brokers.join(','),
    DATA_DIR: dir,
    DATABASE_URL: postgres ? postgres.replace(/\/[^/]*$/, `/${databaseName}`) : '',
    // Per-message info lines cost CPU that the benchmark would then measure.
    LOG_LEVEL: 'warn',
    // The load is the point: order-service's own POST /orders rate limit must not shape it.
    ORDERS_RATE_LIMIT: process.env.ORDERS_RATE_LIMIT ?? '1000000',
  });
  const inventories = await Promise.all(
    Array.from({ length: options.consumers }, async (_, index) =>
      spawnService(`inventory-service-${index + 1}`, 'apps/inventory-service/src/main.ts', await freePort(), env(inventoryDb)),
    ),
  );
  const orders = options.mode === 'http' ? spawnService('order-service', 'apps/order-service/src/main.ts', await freePort(), env(ordersDb)) : undefined;
  const stop = async () => {
    await Promise.all([...inventories, ...(orders ? [orders] : [])].map((service) => stopProcess(service.child)));
    if (!external) await stopLocalBroker({ dir: `${dir}/kafka` });
    if (postgres) await dropDatabases(postgres, [ordersDb, inventoryDb]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([...inventories, ...(orders ? [orders] : [])].map((service) => waitReady(service)));
  } catch (error) {
    await stop(); // never leave processes behind: they would keep polling and publishing
    throw error;
  }
  log(`system ready: broker ${brokers.join(',')}, ${options.partitions} partitions, ${options.consumers} inventory instance(s), ${database}`);
  return { brokers, brokerPid, orders, inventories, database, stop };
}

async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

async function createTopics(kafka: ReturnType<typeof createKafkaClient>, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: ALL_TOPICS.map((topic) => ({ topic: topic.name, numPartitions: topic.kind === 'events' ? partitions : topic.partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

async function freshDatabases(names: string[]): Promise<string | undefined> {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  try {
    for (const name of names) {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    }
    return adminUrl;
  } finally {
    await admin.end();
  }
}

function spawnService(name: string, entry: string, port: number, env: Record<string, string>): RunningProcess {
  // LOADTEST_CPU_PROFILE_DIR=<dir>: each service writes a V8 CPU profile there when it stops (open it
  // in Chrome DevTools). Node refuses --cpu-prof in NODE_OPTIONS, hence this switch.
  const profileDir = process.env.LOADTEST_CPU_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profiling, resolve(ROOT, 'tools/scripts/run-ts.js'), resolve(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, pid: child.pid as number, url: `http://127.0.0.1:${port}`, child, output: () => output };
}

async function waitReady(service: RunningProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited during start-up:\n${service.output().slice(-2000)}`);
    const ready = await fetch(`${service.url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${service.name} not ready within ${timeoutMs / 1000} s:\n${service.output().slice(-2000)}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
