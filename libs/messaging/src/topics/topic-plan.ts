// The difference between the topic registry (libs/events) and a live cluster, as a list of changes
// `apply` can make, plus what it will not do without --allow-destructive and what it only reports.
import { TopicDefinition } from '@platform/events';

/** Topic configs the registry owns; anything else on a topic is left alone. */
export const MANAGED_CONFIGS = ['retention.ms', 'cleanup.policy', 'min.insync.replicas', 'max.message.bytes'] as const;

export type TopicChange =
  | { kind: 'create'; topic: string; partitions: number; replicationFactor: number; configs: Record<string, string> }
  | { kind: 'add-partitions'; topic: string; from: number; to: number }
  /** `entries` is what differs; `configs` is every managed config, all sent together (see apply). */
  | { kind: 'alter-config'; topic: string; entries: { name: string; from: string | undefined; to: string }[]; configs: Record<string, string> }
  /** Destructive: Kafka cannot lower partitions; the topic is deleted (with its data) and created again. */
  | { kind: 'recreate'; topic: string; from: number; to: number; replicationFactor: number; configs: Record<string, string> };

export interface TopicPlan {
  brokers: number;
  replicationFactor: { registry: 'per topic' | number; note?: string };
  changes: TopicChange[];
  /** Things seen and not changed: replication differences, unmanaged topics. */
  notes: string[];
}

export function isDestructive(change: TopicChange): boolean {
  return change.kind === 'recreate';
}

/**
 * The configs a topic should have, with min.insync.replicas never above the replicas it gets.
 * `max.message.bytes` only where the registry sets it (the DLQs); other topics keep the broker's.
 */
export function desiredConfigs(topic: TopicDefinition, replicationFactor: number): Record<string, string> {
  return {
    'retention.ms': String(topic.retentionMs),
    'cleanup.policy': topic.cleanupPolicy,
    'min.insync.replicas': String(Math.min(topic.minInSyncReplicas, replicationFactor)),
    ...(topic.maxMessageBytes === undefined ? {} : { 'max.message.bytes': String(topic.maxMessageBytes) }),
  };
}

export function formatPlan(plan: TopicPlan): string {
  const lines = plan.changes.map((change) => {
    switch (change.kind) {
      case 'create':
        return `+ create ${change.topic} (partitions ${change.partitions}, replication ${change.replicationFactor}, ${formatConfigs(change.configs)})`;
      case 'add-partitions':
        return `~ ${change.topic}: partitions ${change.from} → ${change.to}`;
      case 'alter-config':
        return `~ ${change.topic}: ${change.entries.map((e) => `${e.name} ${e.from ?? '(default)'} → ${e.to}`).join(', ')}`;
      case 'recreate':
        return `! ${change.topic}: partitions ${change.from} → ${change.to} needs delete and re-create (data loss; only with --allow-destructive)`;
    }
  });
  const notes = plan.notes.map((note) => `  note: ${note}`);
  const summary = plan.changes.length === 0 ? 'no changes' : `${plan.changes.length} change(s)`;
  return [...lines, ...notes, summary].join('\n');
}

function formatConfigs(configs: Record<string, string>): string {
  return Object.entries(configs)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}
