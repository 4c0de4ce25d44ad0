// plan/apply against a real broker (a local Apache Kafka process): what plan reports, that apply
// fixes it idempotently, that destructive changes need the flag, and the errors a user meets.
import { ALL_TOPICS, TOPICS } from '@platform/events';
import { createScratchDir, isPortFree, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { applyTopicPlan, createKafkaClient, formatPlan, planTopics } from '@platform/messaging';
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { rmSync } from 'node:fs';

jest.setTimeout(120_000);

describe('topics plan/apply', () => {
  const dir = createScratchDir('topics-spec-');
  let kafka: Kafka;

  beforeAll(async () => {
    let port = 0;
    do port = 20000 + Math.floor(Math.random() * 20000);
    while (!((await isPortFree(port)) && (await isPortFree(port + 10000))));
    const broker = await startLocalBroker({ port, dir });
    kafka = createKafkaClient({ clientId: 'topics-spec', brokers: [broker.bootstrap] });
  });

  afterAll(async () => {
    await stopLocalBroker({ dir });
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = () => planTopics(kafka, { replicationFactor: 1 });

  /** Config changes reach a broker's metadata a moment after the admin call returns: poll briefly. */
  async function planUntil(accept: (formatted: string) => boolean) {
    for (let attempt = 0; ; attempt++) {
      const next = await plan();
      if (accept(formatPlan(next)) || attempt === 50) return next;
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  it('plans every registry topic on an empty cluster, applies it, and then plans "no changes"', async () => {
    const first = await plan();
    expect(first.changes.map((change) => `${change.kind} ${change.topic}`)).toEqual(ALL_TOPICS.map((topic) => `create ${topic.name}`));

    await applyTopicPlan(kafka, first);

    expect(formatPlan(await plan())).toBe('no changes');
  });

  it('gives the dead-letter topics twice the broker’s record size limit and leaves the event topics at the broker’s', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [TOPICS.inventoryServiceDeadLetters, TOPICS.orderCreated].map((topic) => ({
        type: ConfigResourceTypes.TOPIC,
        name: topic.name,
        configNames: ['max.message.bytes'],
      })),
    });
    await admin.disconnect();
    const limit = (name: string) => resources.find((resource) => resource.resourceName === name)?.configEntries[0]?.configValue;
    expect(limit(TOPICS.inventoryServiceDeadLetters.name)).toBe(String(2 * 1024 * 1024));
    expect(limit(TOPICS.orderCreated.name)).toBe('1048588'); // Kafka's message.max.bytes default, 1 MiB + 12
  });

  it('reports config drift with the old and new value, and apply puts it back', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPICS.orderCreated.name, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
    });
    await admin.disconnect();

    const drift = await planUntil((text) => text !== 'no changes');
    expect(formatPlan(drift)).toBe(`~ ${TOPICS.orderCreated.name}: retention.ms 1000 → ${TOPICS.orderCreated.retentionMs}\n1 change(s)`);
    await applyTopicPlan(kafka, drift);
    expect(formatPlan(await planUntil((text) => text === 'no changes'))).toBe('no changes');
  });

  it('refuses to lower partitions unless destructive changes are allowed', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createPartitions({ topicPartitions: [{ topic: TOPICS.stockRejected.name, count: 5 }] });
    await admin.disconnect();

    const shrink = await planUntil((text) => text !== 'no changes');
    expect(formatPlan(shrink)).toContain(`! ${TOPICS.stockRejected.name}: partitions 5 → 3 needs delete and re-create`);
    await expect(applyTopicPlan(kafka, shrink)).rejects.toThrow(/refused 1 destructive change\(s\).*--allow-destructive/);
    await applyTopicPlan(kafka, shrink, { allowDestructive: true });
    expect(formatPlan(await planUntil((text) => text === 'no changes'))).toBe('no changes');
  });

  it('explains a replication factor above the broker count', async () => {
    await expect(planTopics(kafka)).rejects.toThrow(
      /replication factor 3 \(order.order-service.created\) is above the 1 broker\(s\) of this cluster; on a single-broker dev cluster use --replication-factor 1/,
    );
  });

  it('explains an unreachable cluster', async () => {
    const nowhere = createKafkaClient({ clientId: 'topics-spec', brokers: ['localhost:1'], retries: 0 });
    await expect(planTopics(nowhere)).rejects.toThrow(/^cannot reach the Kafka cluster: .*ECONNREFUSED/);
  });
});
