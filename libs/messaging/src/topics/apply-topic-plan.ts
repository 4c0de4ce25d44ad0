// Makes the changes of a plan, idempotently: creating what is missing, adding partitions and
// setting the registry's configs. A destructive change (re-creating a topic to lower its partitions)
// is refused unless allowDestructive is set.
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { TopicProvisioningError } from './plan-topics';
import { isDestructive, TopicChange, TopicPlan } from './topic-plan';

export interface ApplyOptions {
  allowDestructive?: boolean;
}

export async function applyTopicPlan(kafka: Kafka, plan: TopicPlan, options: ApplyOptions = {}): Promise<TopicChange[]> {
  const refused = plan.changes.filter((change) => isDestructive(change) && !options.allowDestructive);
  const changes = plan.changes.filter((change) => !refused.includes(change));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const recreated = changes.filter((change) => change.kind === 'recreate');
    if (recreated.length > 0) {
      await admin.deleteTopics({ topics: recreated.map((change) => change.topic), timeout: 30_000 });
      await waitUntilGone(admin, recreated.map((change) => change.topic));
    }
    const creations = changes.filter((change) => change.kind === 'create' || change.kind === 'recreate');
    if (creations.length > 0) {
      await admin.createTopics({
        // kafkajs's own wait retries only "leader not available"; a topic re-created a moment after
        // its deletion may answer "unknown topic" first, so we wait ourselves.
        waitForLeaders: false,
        topics: creations.map((change) => ({
          topic: change.topic,
          numPartitions: change.kind === 'create' ? change.partitions : change.to,
          replicationFactor: change.replicationFactor,
          configEntries: Object.entries(change.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(admin, creations.map((change) => change.topic));
    }
    const growth = changes.filter((change) => change.kind === 'add-partitions');
    if (growth.length > 0) {
      await admin.createPartitions({ topicPartitions: growth.map((change) => ({ topic: change.topic, count: change.to })) });
    }
    for (const change of changes) {
      if (change.kind !== 'alter-config') continue;
      // AlterConfigs (kafkajs has no incremental variant) replaces all of a topic's dynamic configs:
      // send every managed one, or those not drifting would fall back to the broker default.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: change.topic,
            configEntries: Object.entries(change.configs).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    }
    if (refused.length > 0) {
      throw new TopicProvisioningError(
        `refused ${refused.length} destructive change(s) (${refused.map((change) => change.topic).join(', ')}); re-run with --allow-destructive to delete and re-create them`,
      );
    }
    return changes;
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: ReturnType<Kafka['admin']>, topics: string[]): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new TopicProvisioningError(`no leaders for ${topics.join(', ')} after creating them: ${(lastError as Error)?.message ?? 'timed out'}`);
}

async function waitUntilGone(admin: ReturnType<Kafka['admin']>, topics: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const existing = new Set(await admin.listTopics());
    if (topics.every((topic) => !existing.has(topic))) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new TopicProvisioningError(`topics still present after delete: ${topics.join(', ')}`);
}
