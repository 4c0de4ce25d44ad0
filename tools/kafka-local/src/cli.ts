// npm run kafka:start | kafka:stop | kafka:status [-- --port 9092 --dir .local/kafka] [--brokers 3 | --secure]
// With --brokers N (3 or more): a local KRaft cluster of N processes on ports port..port+N-1, data in
// .local/kafka-cluster. With --secure: SASL/SCRAM and the registry's ACLs, data in .local/kafka-secure.
// stop and status look after all three.
import { DEFAULT_CLUSTER_DIR, localClusterStatus, startLocalCluster, stopLocalCluster } from './local-cluster';
import { DEFAULT_DIR, DEFAULT_PORT, localBrokerStatus, startLocalBroker, stopLocalBroker } from './local-broker';
import { KafkaLocalError } from './prerequisites';
import { DEFAULT_SECURE_DIR, startSecureBroker } from './secure-broker';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** --dir, else KAFKA_LOCAL_DIR, else the kind's own default: stop and status find what start started. */
function dirOption(fallback: string): string {
  return option('dir', process.env.KAFKA_LOCAL_DIR ?? fallback);
}

function integerOption(name: string, fallback: string, valid: (n: number) => boolean, rule: string): number {
  const text = option(name, fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || !valid(value)) throw new KafkaLocalError(`--${name} must be ${rule}, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
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
      const single = await stopLocalBroker({ dir: dirOption(DEFAULT_DIR) });
      const secured = await stopLocalBroker({ dir: dirOption(DEFAULT_SECURE_DIR) });
      const cluster = await stopLocalCluster({ dir: dirOption(DEFAULT_CLUSTER_DIR) });
      const stopped = [single ? `the broker (pid ${single})` : '', secured ? `the secure broker (pid ${secured})` : '', cluster.length ? `${cluster.length} cluster node(s)` : ''];
      log(stopped.some(Boolean) ? `stopped ${stopped.filter(Boolean).join(' and ')}` : 'not running');
      return;
    }
    case 'status': {
      const single = localBrokerStatus({ dir: dirOption(DEFAULT_DIR) });
      log(single.pid ? `broker running (pid ${single.pid}, data in ${single.dir})` : `no single broker running (data in ${single.dir})`);
      const secured = localBrokerStatus({ dir: dirOption(DEFAULT_SECURE_DIR) });
      if (secured.pid) log(`secure broker running (pid ${secured.pid}, data in ${secured.dir})`);
      const cluster = localClusterStatus({ dir: dirOption(DEFAULT_CLUSTER_DIR) });
      for (const node of cluster.nodes) log(`cluster node ${node.nodeId} on localhost:${node.port}: ${node.pid ? `running (pid ${node.pid})` : 'stopped'}`);
      return;
    }
    default:
      throw new KafkaLocalError('usage: kafka-local start|stop|status [--port 9092] [--dir .local/kafka] [--brokers 3 | --secure]');
  }
}

main().catch((error: Error) => {
  console.error(error instanceof KafkaLocalError ? `kafka-local: ${error.message}` : error);
  process.exit(1);
});
