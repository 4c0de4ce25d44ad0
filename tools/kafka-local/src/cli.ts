// npm run kafka:start | kafka:stop | kafka:status [-- --port 9092 --dir .local/kafka] [--brokers 3 | --secure]
// With --brokers N (3 or more): a local KRaft cluster of N processes on ports port..port+N-1, data in
// .local/kafka-cluster. With --secure: SASL/SCRAM and the registry's ACLs, data in .local/kafka-secure.
// stop and status look after all three, in their default directories and in --dir / KAFKA_LOCAL_DIR.
import { resolve } from 'node:path';
import { DEFAULT_CLUSTER_DIR, localClusterStatus, startLocalCluster, stopLocalCluster } from './local-cluster';
import { DEFAULT_DIR, DEFAULT_PORT, localBrokerStatus, startLocalBroker, stopLocalBroker } from './local-broker';
import { checkArguments, UsageError } from './command-line';
import { KafkaLocalError } from './prerequisites';
import { DEFAULT_SECURE_DIR, startSecureBroker } from './secure-broker';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** --dir, else KAFKA_LOCAL_DIR, else the kind's own default. */
function dirOption(fallback: string): string {
  return option('dir', process.env.KAFKA_LOCAL_DIR ?? fallback);
}

/** The directory given by --dir or KAFKA_LOCAL_DIR, if any: stop and status look there too. */
function givenDir(): string | undefined {
  const given = option('dir', process.env.KAFKA_LOCAL_DIR ?? '');
  return given ? resolve(given) : undefined;
}

/** Where a single broker may run: the plain and the secure default, and a given directory; each once. */
function singleBrokerDirs(): { dir: string; label: string }[] {
  const dirs = [
    { dir: resolve(DEFAULT_DIR), label: 'the broker' },
    { dir: resolve(DEFAULT_SECURE_DIR), label: 'the secure broker' },
  ];
  const given = givenDir();
  if (given && !dirs.some(({ dir }) => dir === given) && given !== resolve(DEFAULT_CLUSTER_DIR)) dirs.push({ dir: given, label: `the broker in ${given}` });
  return dirs;
}

/** Where a cluster may run: its default and a given directory, each once. */
function clusterDirs(): string[] {
  const given = givenDir();
  return [...new Set([resolve(DEFAULT_CLUSTER_DIR), ...(given ? [given] : [])])];
}

function integerOption(name: string, fallback: string, valid: (n: number) => boolean, rule: string): number {
  const text = option(name, fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || !valid(value)) throw new KafkaLocalError(`--${name} must be ${rule}, got "${text}"`);
  return value;
}

const USAGE = 'usage: npm run kafka:start|kafka:stop|kafka:status [-- --port 9092 --dir .local/kafka] [--brokers 3 | --secure]';

async function main(): Promise<void> {
  checkArguments(process.argv.slice(3), { values: ['port', 'dir', 'brokers'], flags: ['secure'] }, USAGE);
  const command = process.argv[2];
  const brokers = integerOption('brokers', process.env.KAFKA_LOCAL_BROKERS ?? '1', (n) => n === 1 || (n >= 3 && n <= 9), '1 (a single broker) or 3 to 9 (a cluster)');
  const secure = process.argv.includes('--secure');
  if (secure && brokers > 1) throw new KafkaLocalError('--secure runs a single broker; use it without --brokers');
  const dir = dirOption(brokers > 1 ? DEFAULT_CLUSTER_DIR : secure ? DEFAULT_SECURE_DIR : DEFAULT_DIR);
  const port = integerOption('port', process.env.KAFKA_LOCAL_PORT ?? String(DEFAULT_PORT), (n) => n >= 1 && n + brokers - 1 <= 55535, 'a port number up to 55535 (the controller uses port + 10000)');
  const log = (line: string) => console.log(`kafka-local: ${line}`);
  switch (command) {
    case 'start': {
      if (brokers > 1) {
        const cluster = await startLocalCluster({ nodes: brokers, basePort: port, dir, log });
        log(`cluster of ${brokers} ready: KAFKA_BROKERS=${cluster.bootstrap.join(',')} (data in ${cluster.dir}; replication factor 3, min.insync.replicas 2)`);
        return;
      }
      if (secure) {
        const broker = await startSecureBroker({ port, dir, log });
        log(`secure broker ready at ${broker.bootstrap} (SASL/SCRAM-SHA-512, ACLs from the registry; data in ${broker.dir})`);
        log(`passwords in ${broker.credentials.file}; a service connects with KAFKA_SASL_USERNAME=<service> KAFKA_SASL_PASSWORD=<its password>`);
        return;
      }
      const broker = await startLocalBroker({ port, dir, log });
      log(broker.alreadyRunning ? `already running (pid ${broker.pid}) at ${broker.bootstrap}` : `ready at ${broker.bootstrap} (pid ${broker.pid}, data in ${broker.dir})`);
      return;
    }
    case 'stop': {
      const stopped: string[] = [];
      for (const { dir, label } of singleBrokerDirs()) {
        const pid = await stopLocalBroker({ dir });
        if (pid) stopped.push(`${label} (pid ${pid})`);
      }
      for (const dir of clusterDirs()) {
        const nodes = await stopLocalCluster({ dir, log });
        if (nodes.length) stopped.push(`${nodes.length} cluster node(s)`);
      }
      log(stopped.length ? `stopped ${stopped.join(' and ')}` : 'not running');
      return;
    }
    case 'status': {
      for (const { dir, label } of singleBrokerDirs()) {
        const broker = localBrokerStatus({ dir });
        if (broker.pid) log(`${label} running (pid ${broker.pid}, data in ${broker.dir})`);
        else if (label !== 'the secure broker') log(`no single broker running (data in ${broker.dir})`);
      }
      for (const dir of clusterDirs()) {
        const cluster = localClusterStatus({ dir });
        for (const node of cluster.nodes) log(`cluster node ${node.nodeId} on localhost:${node.port}: ${node.pid ? `running (pid ${node.pid})` : 'stopped'}`);
      }
      return;
    }
    default:
      throw new UsageError(USAGE);
  }
}

main().catch((error: Error) => {
  console.error(error instanceof KafkaLocalError || error instanceof UsageError ? `kafka-local: ${error.message}` : error);
  process.exit(1);
});
