// Creates the registry's topics on a cluster (the broker never auto-creates them) and grows
// partitions that are too few. Idempotent: running it again changes nothing. It never deletes a
// topic or lowers partitions.
import { ALL_TOPICS, TopicDefinition } from '@platform/events';
import { Kafka } from 'kafkajs';

export interface ProvisionReport {
  created: string[];
  partitionsIncreased: string[];
  unchanged: string[];
}

export async function provisionTopics(
  kafka: Kafka,
  topics: readonly TopicDefinition[] = ALL_TOPICS,
): Promise<ProvisionReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const report: ProvisionReport = { created: [], partitionsIncreased: [], unchanged: [] };
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          // -1: the cluster's default.replication.factor (1 on the local broker, 3 in docker-compose).
          replicationFactor: -1,
          configEntries: [
            { name: 'retention.ms', value: String(topic.retentionMs) },
            { name: 'cleanup.policy', value: topic.cleanupPolicy },
          ],
        })),
      });
      report.created.push(...missing.map((topic) => topic.name));
    }
    const present = topics.filter((topic) => existing.has(topic.name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) });
      const tooFew = present.filter((topic) => {
        const current = metadata.topics.find((t) => t.name === topic.name)?.partitions.length ?? 0;
        return current < topic.partitions;
      });
      if (tooFew.length > 0) {
        await admin.createPartitions({ topicPartitions: tooFew.map((topic) => ({ topic: topic.name, count: topic.partitions })) });
      }
      report.partitionsIncreased.push(...tooFew.map((topic) => topic.name));
      report.unchanged.push(...present.filter((topic) => !tooFew.includes(topic)).map((topic) => topic.name));
    }
    return report;
  } finally {
    await admin.disconnect();
  }
}
