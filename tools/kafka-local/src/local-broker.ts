// Starts and stops a real Apache Kafka broker (KRaft, a single node or one node of a local cluster) as
// a local Java process, without Docker. State lives in one directory (default .local/kafka): a second start keeps topics and data.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BrokerLayout, brokerLayout, BrokerSecurity, log4jProperties, NodeRole, serverProperties, SINGLE_NODE } from './broker-files';
import { kafkaVersion, resolveClasspath } from './kafka-classpath';
import { assertPortFree, checkJava, javaCommand, KafkaLocalError } from './prerequisites';

export interface LocalBrokerOptions {
  /** Client port; the controller listens on port + 10000. */
  port?: number;
  /** State directory; default .local/kafka under the current directory. */
  dir?: string;
  heapMb?: number;
  log?: (line: string) => void;
  /** How long to wait for the broker to accept clients. */
  startTimeoutMs?: number;
  /** This node's place in a cluster (tools/kafka-local local-cluster.ts); a standalone node by default. */
  role?: NodeRole;
  /** The cluster id to format new storage with; every node of a cluster shares one. */
  clusterId?: string;
  /** The secure profile: SASL/SCRAM users (created at format time) and ACLs enforced. */
  security?: BrokerSecurity & { users: Record<string, string> };
}

export interface LocalBroker {
  bootstrap: string;
  pid: number;
  dir: string;
  alreadyRunning: boolean;
}

export const DEFAULT_PORT = 9092;
export const DEFAULT_DIR = join('.local', 'kafka');

export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const launched = await launchLocalBroker(options);
  if ('alreadyRunning' in launched) return launched;
  await launched.ready;
  return launched.broker;
}

/** KAFKA_OPTS, split on whitespace (no quoting: JVM options do not need it). */
export function kafkaOptsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KAFKA_OPTS ?? '').split(/\s+/).filter(Boolean);
}

const KAFKA_GC_OPTIONS = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent'];

/** A broker process spawned and not yet known to be ready. */
export interface LaunchedBroker {
  broker: LocalBroker;
  /** Resolves once the broker accepts clients; rejects with the reason if it exits first. */
  ready: Promise<void>;
}

/**
 * Prepares and spawns a broker without waiting for it: the nodes of a cluster must all be running
 * before any of them can elect a controller and open its client port.
 */
export async function launchLocalBroker(options: LocalBrokerOptions = {}): Promise<LaunchedBroker | LocalBroker> {
  const port = options.port ?? DEFAULT_PORT;
  const controllerPort = port + 10000;
  const layout = brokerLayout(resolve(options.dir ?? DEFAULT_DIR));
  const log = options.log ?? (() => undefined);
  const role = options.role ?? SINGLE_NODE;

  const running = readRunningPid(layout);
  if (running) {
    if (await canConnect(port)) {
      return { bootstrap: `localhost:${port}`, pid: running, dir: layout.root, alreadyRunning: true };
    }
    throw new KafkaLocalError(
      `a broker from ${layout.root} is running (pid ${running}) but not on port ${port}; stop it first with npm run kafka:stop`,
    );
  }
  checkJava();
  await assertPortFree(port, 'Kafka client listener');
  await assertPortFree(controllerPort, 'Kafka controller listener');
  const classpath = await resolveClasspath(log);

  for (const dir of [layout.dataDir, layout.logsDir, dirname(layout.configFile)]) mkdirSync(dir, { recursive: true });
  // The secure profile's config holds the admin password: readable by this user only.
  writeFileSync(layout.configFile, serverProperties(layout, { port, controllerPort }, role, options.security), { mode: 0o600 });
  writeFileSync(layout.log4jFile, log4jProperties(layout));
  if (!existsSync(join(layout.dataDir, 'meta.properties'))) {
    log(`formatting new KRaft storage in ${layout.dataDir}${options.security ? ' with SCRAM users' : ''}`);
    await formatStorage(classpath, layout, options.clusterId ?? newClusterId(), !role.voters, options.security);
  }

  const out = openSync(layout.stdoutFile, 'a');
  const heapMb = options.heapMb ?? 512;
  const child = spawn(
    javaCommand(),
    [
      // The whole heap from the start, as kafka-server-start.sh does (-Xms1G -Xmx1G). Started small,
      // the heap stayed near 310 MB under load with 175 MB of it live, over G1's 35% threshold, so
      // every other young collection began a marking cycle and its extra pause of about 10 ms.
      `-Xms${heapMb}m`,
      `-Xmx${heapMb}m`,
      // Kafka's own launcher (kafka-run-class.sh) sets these: G1 aiming at 20 ms pauses instead of its
      // default 200 ms, which a broker's clients would see as latency spikes.
      ...KAFKA_GC_OPTIONS,
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${layout.log4jFile}`,
      `-Dkafka.logs.dir=${layout.logsDir}`,
      // Extra JVM options, as kafka-run-class.sh takes them: e.g. JMX for a look at request metrics.
      ...kafkaOptsFromEnv(),
      '-cp',
      classpath,
      'kafka.Kafka',
      layout.configFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  if (!child.pid) throw new KafkaLocalError('could not spawn java');
  writeFileSync(layout.pidFile, String(child.pid));
  log(`started Apache Kafka ${kafkaVersion()} node ${role.nodeId} (pid ${child.pid}), waiting for localhost:${port}...`);

  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = Promise.race([
    waitUntilConnectable(port, options.startTimeoutMs ?? 60_000).then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
  ]).then((outcome) => {
    if (outcome === 'ready') return;
    rmSync(layout.pidFile, { force: true });
    throw new KafkaLocalError(`the broker exited during start-up; see ${join(layout.logsDir, 'server.log')}: ${lastError(layout)}`);
  });
  return { broker: { bootstrap: `localhost:${port}`, pid: child.pid, dir: layout.root, alreadyRunning: false }, ready };
}

export interface StopBrokerOptions {
  dir?: string;
  timeoutMs?: number;
  signal?: 'SIGTERM' | 'SIGKILL';
  /**
   * Asked while waiting: why the broker can no longer finish a clean shutdown, if it cannot. It is then
   * killed at once instead of waited for (a cluster node whose quorum has gone would wait five minutes).
   */
  cannotFinish?: () => string | undefined;
  log?: (line: string) => void;
}

/** Sends SIGTERM (or SIGKILL, to simulate a crash) and waits for the exit; SIGKILL after the timeout. */
export async function stopLocalBroker(options: StopBrokerOptions = {}): Promise<number | undefined> {
  const layout = brokerLayout(resolve(options.dir ?? DEFAULT_DIR));
  const pid = readRunningPid(layout);
  if (!pid) {
    rmSync(layout.pidFile, { force: true });
    return undefined;
  }
  process.kill(pid, options.signal ?? 'SIGTERM');
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let killed = false;
  while (isAlive(pid) && Date.now() < deadline) {
    const reason = killed ? undefined : options.cannotFinish?.();
    if (reason !== undefined) {
      process.kill(pid, 'SIGKILL');
      options.log?.(`broker pid ${pid} killed: ${reason}`);
      killed = true;
    }
    await sleep(100);
  }
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    throw new KafkaLocalError(`broker pid ${pid} did not stop within the timeout after SIGTERM and was killed`);
  }
  rmSync(layout.pidFile, { force: true });
  return pid;
}

/**
 * The broker's log from a byte offset on (from its start if the file has rolled over since); empty if
 * there is none or it cannot be read right now (it may be rolling over).
 */
export function brokerLogSince(dir: string, offset: number): string {
  try {
    const text = readFileSync(join(brokerLayout(resolve(dir)).logsDir, 'server.log'));
    return text.subarray(text.length >= offset ? offset : 0).toString('utf8');
  } catch {
    return '';
  }
}

/** The size of the broker's log now (0 if there is none): an offset for brokerLogSince. */
export function brokerLogSize(dir: string): number {
  try {
    return statSync(join(brokerLayout(resolve(dir)).logsDir, 'server.log')).size;
  } catch {
    return 0;
  }
}

export function localBrokerStatus(options: { dir?: string } = {}): { pid?: number; dir: string } {
  const layout = brokerLayout(resolve(options.dir ?? DEFAULT_DIR));
  return { pid: readRunningPid(layout), dir: layout.root };
}

async function formatStorage(
  classpath: string,
  layout: BrokerLayout,
  clusterId: string,
  standalone: boolean,
  security?: LocalBrokerOptions['security'],
): Promise<void> {
  const users = security ? { [security.adminUser]: security.adminPassword, ...security.users } : {};
  try {
    await promisify(execFile)(javaCommand(), [
      `-Dlog4j2.configurationFile=${layout.log4jFile}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      layout.configFile,
      // A single node is its own controller quorum; a cluster's nodes share the static quorum in their config.
      ...(standalone ? ['--standalone'] : []),
      ...Object.entries(users).flatMap(([name, password]) => ['--add-scram', `SCRAM-SHA-512=[name=${name},password=${password}]`]),
    ]);
  } catch (error) {
    throw new KafkaLocalError(`formatting KRaft storage failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding. Like Kafka's own Uuid.randomUuid,
 * never one starting with "-": the storage tool would read it as an option (1 in 64 ids).
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function readRunningPid(layout: BrokerLayout): number | undefined {
  if (!existsSync(layout.pidFile)) return undefined;
  const pid = Number(readFileSync(layout.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

async function waitUntilConnectable(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    await sleep(200);
  }
  throw new KafkaLocalError(`the broker did not accept connections on port ${port} within ${timeoutMs / 1000} s`);
}

function lastError(layout: BrokerLayout): string {
  const file = join(layout.logsDir, 'server.log');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const out = existsSync(layout.stdoutFile) ? readFileSync(layout.stdoutFile, 'utf8').split('\n') : [];
  return [...lines, ...out].filter((line) => /ERROR|Exception/.test(line)).slice(-1)[0] ?? 'no error logged';
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
