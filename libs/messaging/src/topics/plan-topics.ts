// Compares the registry with a live cluster: missing topics, too few (or too many) partitions,
// drift of the configs the registry owns. Reads only; `applyTopicPlan` makes the changes.
import { ALL_TOPICS, TopicDefinition } from '@platform/events';
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { desiredConfigs, MANAGED_CONFIGS, TopicChange, TopicPlan } from './topic-plan';

export class TopicProvisioningError extends Error {
  override name = 'TopicProvisioningError';
}

export interface PlanOptions {
  /** Use this replication factor for every topic instead of the registry's (e.g. 1 on a one-broker dev cluster). */
  replicationFactor?: number;
  /** Cap the registry's replication factor at the cluster's broker count (npm start, e2e), with a note. */
  fitToCluster?: boolean;
  topics?: readonly TopicDefinition[];
}

export async function planTopics(kafka: Kafka, options: PlanOptions = {}): Promise<TopicPlan> {
  const topics = options.topics ?? ALL_TOPICS;
  const admin = kafka.admin();
  await connectOrExplain(admin);
  try {
    const { brokers } = await admin.describeCluster();
    const replicationFor = (topic: TopicDefinition) =>
      options.replicationFactor ?? (options.fitToCluster ? Math.min(topic.replicationFactor, brokers.length) : topic.replicationFactor);
    const plan: TopicPlan = { brokers: brokers.length, replicationFactor: { registry: options.replicationFactor ?? 'per topic' }, changes: [], notes: [] };
    const tooMany = topics.filter((topic) => replicationFor(topic) > brokers.length);
    if (tooMany.length > 0) {
      throw new TopicProvisioningError(
        `replication factor ${replicationFor(tooMany[0])} (${tooMany[0].name}) is above the ${brokers.length} broker(s) of this cluster; ` +
          `on a single-broker dev cluster use --replication-factor ${brokers.length}`,
      );
    }
    if (options.fitToCluster && topics.some((topic) => replicationFor(topic) < topic.replicationFactor)) {
      plan.replicationFactor.note = `replication capped at ${brokers.length} broker(s) of this cluster (the registry asks for more)`;
      plan.notes.push(plan.replicationFactor.note);
    }

    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic.name));
    const metadata = present.length ? (await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) })).topics : [];
    const configs = present.length
      ? await admin.describeConfigs({
          includeSynonyms: false,
          resources: present.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configNames: [...MANAGED_CONFIGS] })),
        })
      : { resources: [] };

    for (const topic of topics) {
      const rf = replicationFor(topic);
      const wanted = desiredConfigs(topic, rf);
      if (!existing.has(topic.name)) {
        plan.changes.push({ kind: 'create', topic: topic.name, partitions: topic.partitions, replicationFactor: rf, configs: wanted });
        continue;
      }
      const partitions = metadata.find((t) => t.name === topic.name)?.partitions ?? [];
      plan.changes.push(...partitionChanges(topic, partitions.length, rf, wanted));
      const actualRf = partitions[0]?.replicas.length ?? 0;
      if (actualRf !== rf) plan.notes.push(`${topic.name}: replication factor is ${actualRf}, the plan wants ${rf} (changing it needs a partition reassignment; not done here)`);
      const entries = configs.resources.find((resource) => resource.resourceName === topic.name)?.configEntries ?? [];
      const drift = Object.entries(wanted)
        .map(([name, to]) => ({ name, from: entries.find((entry) => entry.configName === name)?.configValue, to }))
        .filter((entry) => entry.from !== entry.to);
      if (drift.length > 0) plan.changes.push({ kind: 'alter-config', topic: topic.name, entries: drift, configs: wanted });
    }
    const managed = new Set(topics.map((topic) => topic.name));
    const unmanaged = [...existing].filter((name) => !name.startsWith('__') && !managed.has(name));
    if (unmanaged.length > 0) plan.notes.push(`topics not in the registry (left alone): ${unmanaged.sort().join(', ')}`);
    return plan;
  } finally {
    await admin.disconnect();
  }
}

function partitionChanges(topic: TopicDefinition, current: number, replicationFactor: number, configs: Record<string, string>): TopicChange[] {
  if (current < topic.partitions) return [{ kind: 'add-partitions', topic: topic.name, from: current, to: topic.partitions }];
  if (current > topic.partitions) return [{ kind: 'recreate', topic: topic.name, from: current, to: topic.partitions, replicationFactor, configs }];
  return [];
}

async function connectOrExplain(admin: ReturnType<Kafka['admin']>): Promise<void> {
  try {
    await admin.connect();
  } catch (error) {
    throw new TopicProvisioningError(`cannot reach the Kafka cluster: ${(error as Error).message}`);
  }
}
