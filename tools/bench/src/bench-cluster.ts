// The one broker every measurement runs on: KAFKA_BROKERS if set, otherwise a local Apache Kafka
// process of our own (tools/kafka-local) on a free port with a scratch data directory, 1 GB heap,
// stopped and deleted at the end. Each measurement gets a fresh topic of the same layout.
import { createScratchDir, freeBrokerPorts, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { parseKafkaBrokers, waitForGroupCoordinator } from '@platform/messaging';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { rmSync } from 'node:fs';

export const PARTITIONS = 3;
const BROKER_HEAP_MB = 1024;

export interface BenchCluster {
  brokers: string[];
  /** "local Apache Kafka <pid> on localhost:<port>" or "KAFKA_BROKERS=…". */
  description: string;
  replicationFactor: number;
  /** A fresh topic with PARTITIONS partitions; its name says what it is for. */
  createTopic(purpose: string): Promise<string>;
  deleteTopic(topic: string): Promise<void>;
  /** Idempotent; safe from a SIGINT handler while a phase is still running. */
  stop(): Promise<void>;
}

export async function openBenchCluster(log: (line: string) => void): Promise<BenchCluster> {
  if (process.env.KAFKA_BROKERS) {
    const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS);
    return withAdmin(brokers, `KAFKA_BROKERS=${brokers.join(',')}`, async () => undefined);
  }
  const port = await freeBrokerPorts();
  const dir = createScratchDir('bench-');
  let stopped: Promise<void> | undefined;
  const stopBroker = () =>
    (stopped ??= stopLocalBroker({ dir })
      .then(() => log(`broker stopped, ${dir} deleted`))
      .catch((error: Error) => log(`could not stop the broker cleanly: ${error.message}`))
      .finally(() => rmSync(dir, { recursive: true, force: true })));
  try {
    const broker = await startLocalBroker({ port, dir, heapMb: BROKER_HEAP_MB, log: (line) => log(`kafka-local: ${line}`) });
    return await withAdmin([broker.bootstrap], `local Apache Kafka (pid ${broker.pid}, heap ${BROKER_HEAP_MB} MB) on ${broker.bootstrap}`, stopBroker);
  } catch (error) {
    await stopBroker();
    throw error;
  }
}

async function withAdmin(brokers: string[], description: string, stopBroker: () => Promise<void>): Promise<BenchCluster> {
  // Silent: its retries while the coordinator loads are expected; real failures surface as exceptions.
  const kafka = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING });
  // A new broker's group and transaction coordinators answer "loading" for a moment: absorb that here,
  // not in the first measured consumer.
  await waitForGroupCoordinator(kafka);
  const admin: Admin = kafka.admin();
  await admin.connect();
  const { brokers: members } = await admin.describeCluster();
  const replicationFactor = Math.min(3, members.length);
  let stopping: Promise<void> | undefined;
  let sequence = 0;
  const runId = Date.now().toString(36);
  return {
    brokers,
    description,
    replicationFactor,
    async createTopic(purpose) {
      const topic = `bench-${runId}-${++sequence}-${purpose}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor }] });
      await waitForLeaders(admin, topic);
      return topic;
    },
    async deleteTopic(topic) {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
    },
    stop() {
      stopping ??= admin
        .disconnect()
        .catch(() => undefined)
        .then(stopBroker);
      return stopping;
    },
  };
}

/**
 * kafkajs's own waitForLeaders retries only LEADER_NOT_AVAILABLE; right after a create on a busy broker
 * the metadata may still say UNKNOWN_TOPIC_OR_PARTITION, which it throws. Poll until every partition has a leader.
 */
async function waitForLeaders(admin: Admin, topic: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      if (metadata.partitions.length === PARTITIONS && metadata.partitions.every((p) => p.leader >= 0)) return;
      last = `${metadata.partitions.filter((p) => p.leader >= 0).length}/${PARTITIONS} partitions have a leader`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`topic ${topic} has no leader for every partition after ${timeoutMs / 1000} s (${last})`);
}
