// What the operations console shows of the cluster, read with Kafka's admin API on demand: brokers,
// topics with partitions, leaders, ISR and offsets, the message rate of each topic (from the change
// of its end offsets between two looks), and consumer groups with members and lag per partition.
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ALL_TOPICS, ConsumerGroupDefinition, findTopic, SERVICES } from '@platform/events';
import { createKafkaClient, PartitionOffsets, readEndOffsets, readGroupLag } from '@platform/messaging';
import { Admin, AssignerProtocol } from 'kafkajs';
import { DLQ_REPLAYER_CONFIG } from '../config/config.tokens';
import { DlqReplayerConfig } from '../config/dlq-replayer.config';

export interface TopicView {
  name: string;
  owner: string | null;
  kind: string | null;
  partitions: { partition: number; leader: number; replicas: number[]; isr: number[]; start: number; end: number }[];
  /** Messages retained: the sum over partitions of end minus start offset. */
  messages: number;
  /** Messages written per second, over the last few seconds; null until two looks exist. */
  ratePerSecond: number | null;
}

export interface GroupView {
  group: string;
  state: string;
  registry: (ConsumerGroupDefinition & { topics: string[] }) | null;
  members: { memberId: string; clientId: string; host: string; assignment: Record<string, number[]> }[];
  partitions: PartitionOffsets[];
  totalLag: number;
}

/** How far back the rate looks: long enough to smooth bursts, short enough to follow a load test. */
const RATE_WINDOW_MS = 10_000;

@Injectable()
export class ClusterService implements OnApplicationShutdown {
  private readonly admin: Admin;
  private connected?: Promise<void>;
  private readonly endOffsetSamples = new Map<string, { at: number; sum: number }[]>();

  constructor(@Inject(DLQ_REPLAYER_CONFIG) config: DlqReplayerConfig) {
    this.admin = createKafkaClient({ clientId: `${SERVICES.dlqReplayer}-console`, brokers: config.kafkaBrokers, retries: 2 }).admin();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }

  async overview(): Promise<{ clusterId: string; controller: number | null; brokers: { nodeId: number; host: string; port: number }[]; topics: TopicView[] }> {
    const admin = await this.ready();
    const [cluster, names] = await Promise.all([admin.describeCluster(), this.topicNames()]);
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
    const topics = await Promise.all(
      metadata.map(async (topic): Promise<TopicView> => {
        const offsets = new Map((await admin.fetchTopicOffsets(topic.name)).map((p) => [p.partition, p]));
        const partitions = topic.partitions
          .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr, start: Number(offsets.get(p.partitionId)?.low ?? 0), end: Number(offsets.get(p.partitionId)?.high ?? 0) }))
          .sort((a, b) => a.partition - b.partition);
        const registry = findTopic(topic.name);
        return {
          name: topic.name,
          owner: registry?.owner ?? null,
          kind: registry?.kind ?? null,
          partitions,
          messages: partitions.reduce((sum, p) => sum + (p.end - p.start), 0),
          ratePerSecond: this.rate(topic.name, partitions.reduce((sum, p) => sum + p.end, 0)),
        };
      }),
    );
    return { clusterId: cluster.clusterId, controller: cluster.controller, brokers: cluster.brokers, topics: topics.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  async groups(): Promise<GroupView[]> {
    const admin = await this.ready();
    const [{ groups: listed }, topics] = await Promise.all([admin.listGroups(), this.topicNames()]);
    const ids = [...new Set([...listed.map((g) => g.groupId), ...registryGroups().keys()])].sort();
    const [{ groups: described }, ends] = await Promise.all([admin.describeGroups(ids), readEndOffsets(admin, topics)]);
    return Promise.all(
      described.map(async (group): Promise<GroupView> => {
        const members = group.members.map((member) => ({
          memberId: member.memberId,
          clientId: member.clientId,
          host: member.clientHost,
          assignment: decodeAssignment(member.memberAssignment),
        }));
        const registry = registryGroups().get(group.groupId) ?? null;
        const offsets = await readGroupLag(admin, group.groupId, topics, ends).catch(() => [] as PartitionOffsets[]);
        // Topics the group reads: the registry's, those assigned to a member, and those it ever committed on.
        const reads = new Set([...(registry?.topics ?? []), ...members.flatMap((m) => Object.keys(m.assignment)), ...offsets.filter((p) => p.committed >= 0).map((p) => p.topic)]);
        const partitions = offsets.filter((p) => reads.has(p.topic)).sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
        return { group: group.groupId, state: group.state, registry, members, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) };
      }),
    );
  }

  /** The next offset each group will read on a topic's partitions (for the order trace's outcomes). */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = await this.ready();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((offsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect().catch((error: Error) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    return this.admin;
  }

  /** The cluster's topics without Kafka's internal ones (__consumer_offsets and the like). */
  private async topicNames(): Promise<string[]> {
    return (await this.admin.listTopics()).filter((name) => !name.startsWith('__'));
  }

  private rate(topic: string, endSum: number): number | null {
    const now = Date.now();
    const samples = (this.endOffsetSamples.get(topic) ?? []).filter((s) => now - s.at <= RATE_WINDOW_MS);
    samples.push({ at: now, sum: endSum });
    this.endOffsetSamples.set(topic, samples);
    const oldest = samples[0];
    if (now - oldest.at < 1_000) return null;
    return Math.max(0, ((endSum - oldest.sum) * 1000) / (now - oldest.at));
  }
}

/** The registry's consumer groups with the topics each reads. */
function registryGroups(): Map<string, ConsumerGroupDefinition & { topics: string[] }> {
  const groups = new Map<string, ConsumerGroupDefinition & { topics: string[] }>();
  for (const topic of ALL_TOPICS) {
    for (const definition of topic.consumerGroups) {
      const entry = groups.get(definition.group) ?? { ...definition, topics: [] };
      entry.topics.push(topic.name);
      groups.set(definition.group, entry);
    }
  }
  return groups;
}

function decodeAssignment(bytes: Buffer): Record<string, number[]> {
  try {
    return AssignerProtocol.MemberAssignment.decode(bytes)?.assignment ?? {};
  } catch {
    return {}; // not the consumer protocol (e.g. a connect worker): show no assignment
  }
}
