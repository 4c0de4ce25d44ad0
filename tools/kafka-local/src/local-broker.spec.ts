// The local broker as users run it: a real Apache Kafka process. Checks the one-line errors, the
// clean SIGTERM stop, and that a second start keeps topics and messages.
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { kafkaOptsFromEnv, newClusterId, startLocalBroker, stopLocalBroker } from './local-broker';
import { freeBrokerPorts } from './free-ports';
import { createScratchDir } from './scratch-dir';

jest.setTimeout(120_000);


describe('newClusterId', () => {
  it('never starts with "-", which the storage tool would take for an option', () => {
    // 0xf8 as the first byte encodes as "-" in base64url; the next draw is used instead.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    expect(newClusterId(() => draws.shift() as Buffer)).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
  });
});

describe('kafkaOptsFromEnv', () => {
  it('passes KAFKA_OPTS to the JVM as kafka-run-class.sh does, one option per word', () => {
    expect(kafkaOptsFromEnv({})).toEqual([]);
    expect(kafkaOptsFromEnv({ KAFKA_OPTS: '  -Dcom.sun.management.jmxremote.port=19999\n -Dcom.sun.management.jmxremote.ssl=false ' })).toEqual([
      '-Dcom.sun.management.jmxremote.port=19999',
      '-Dcom.sun.management.jmxremote.ssl=false',
    ]);
  });
});

describe('local broker', () => {
  const dir = createScratchDir('kafka-local-spec-');

  afterAll(async () => {
    await stopLocalBroker({ dir }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a port that is taken, in one line', async () => {
    const port = await freeBrokerPorts();
    const squatter: Server = createServer().listen(port, '127.0.0.1');
    await new Promise((done) => squatter.once('listening', done));
    try {
      await expect(startLocalBroker({ port, dir })).rejects.toThrow(
        `port ${port} (Kafka client listener) is already taken by another process; stop it or choose another port with --port`,
      );
    } finally {
      squatter.close();
    }
  });

  it('says Java 17+ is required when java cannot be run', async () => {
    const javaHome = process.env.JAVA_HOME;
    process.env.JAVA_HOME = '/nonexistent-jdk';
    try {
      await expect(startLocalBroker({ port: await freeBrokerPorts(), dir })).rejects.toThrow(/^Java 17\+ is required/);
    } finally {
      if (javaHome === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = javaHome;
    }
  });

  it('starts, stops on SIGTERM, and keeps topics and messages across a restart', async () => {
    const port = await freeBrokerPorts();
    const first = await startLocalBroker({ port, dir });
    expect(first).toMatchObject({ bootstrap: `localhost:${port}`, alreadyRunning: false });
    expect(await startLocalBroker({ port, dir })).toMatchObject({ pid: first.pid, alreadyRunning: true });

    const kafka = new Kafka({ clientId: 'kafka-local-spec', brokers: [first.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'spec.kafka-local.kept', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'spec.kafka-local.kept', acks: -1, messages: [{ key: 'k', value: 'survives restarts' }] });
    await producer.disconnect();

    expect(await stopLocalBroker({ dir })).toBe(first.pid);
    expect(() => process.kill(first.pid, 0)).toThrow();

    const second = await startLocalBroker({ port, dir });
    expect(second.alreadyRunning).toBe(false);
    const reader = new Kafka({ clientId: 'kafka-local-spec', brokers: [second.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await reader.connect();
    const offsets = await reader.fetchTopicOffsets('spec.kafka-local.kept');
    await reader.disconnect();
    expect(offsets).toEqual([expect.objectContaining({ partition: 0, high: '1', low: '0' })]);
  });
});
