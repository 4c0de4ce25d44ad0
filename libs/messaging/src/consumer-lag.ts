// How far a consumer group is behind, per partition: the partition's end offset minus the group's
// committed offset (a partition the group never committed counts from the earliest retained offset).
// Used for the consumer_lag metric of each service and by the operations console.
import type { PartitionLag } from '@platform/observability';
import { Admin } from 'kafkajs';

export interface PartitionOffsets extends PartitionLag {
  /** The next offset the group will read; -1 when it never committed. */
  committed: number;
  /** The partition's end offset (high watermark). */
  end: number;
}

export type EndOffsets = { topic: string; partitions: { partition: number; high: string; low: string }[] }[];

/** Every partition's start and end offsets of `topics`: read once, then shared by all the groups asked about. */
export function readEndOffsets(admin: Admin, topics: string[]): Promise<EndOffsets> {
  return Promise.all(topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
}

export async function readGroupLag(admin: Admin, groupId: string, topics: string[], endOffsets?: EndOffsets): Promise<PartitionOffsets[]> {
  if (topics.length === 0) return [];
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics }), endOffsets ?? readEndOffsets(admin, topics)]);
  const committedAt = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.offset)] as const)));
  return ends.flatMap(({ topic, partitions }) =>
    partitions.map(({ partition, high, low }) => {
      const next = committedAt.get(`${topic}/${partition}`) ?? -1;
      const end = Number(high);
      const from = next >= 0 ? next : Number(low);
      return { group: groupId, topic, partition, committed: next, end, lag: Math.max(0, end - from) };
    }),
  );
}
