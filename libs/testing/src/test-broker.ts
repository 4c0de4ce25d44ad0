// The Kafka broker for e2e tests, always a real one: KAFKA_BROKERS if set; else a Testcontainers
// KafkaContainer when a Docker engine answers; else a local Apache Kafka process from
// tools/kafka-local on a free port with a throw-away data directory.
import { createScratchDir, freeBrokerPorts, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { rmSync } from 'node:fs';

export interface TestBroker {
  brokers: string[];
  kind: 'KAFKA_BROKERS' | 'testcontainers' | 'local-process';
  stop(): Promise<void>;
}

export async function provideTestBroker(log: (line: string) => void = console.log): Promise<TestBroker> {
  if (process.env.KAFKA_BROKERS) {
    return { brokers: process.env.KAFKA_BROKERS.split(','), kind: 'KAFKA_BROKERS', stop: async () => undefined };
  }
  const container = await tryTestcontainers(log);
  if (container) return container;

  log('test broker: no Docker engine answers, using a local Apache Kafka process');
  return startLocalTestBroker(log);
}

export interface LocalTestBroker extends TestBroker {
  /** Stops the broker process (SIGTERM), keeping its data, to simulate an outage. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
}

/** A local Apache Kafka process on a free port with a throw-away data directory (tools/kafka-local). */
export async function startLocalTestBroker(log: (line: string) => void = console.log): Promise<LocalTestBroker> {
  const dir = createScratchDir('kafka-test-');
  const port = await freeBrokerPorts();
  const start = () => startLocalBroker({ port, dir, heapMb: 512, log: (line) => log(`test broker: ${line}`) });
  const broker = await start();
  return {
    brokers: [broker.bootstrap],
    kind: 'local-process',
    pause: async () => void (await stopLocalBroker({ dir })),
    resume: async () => void (await start()),
    stop: async () => {
      await stopLocalBroker({ dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function tryTestcontainers(log: (line: string) => void): Promise<TestBroker | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined; // "Could not find a working container runtime strategy": no Docker engine here
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  log('test broker: Docker engine found, starting a KafkaContainer (KRaft)');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().withExposedPorts(9093).start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
    kind: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}
