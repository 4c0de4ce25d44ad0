// Which partition a key lands on in a target topic, computed the way the producer will (Java's
// murmur2 partitioner) so a dry run reports the same partitions a real replay would use.
import { Kafka, PartitionerArgs, Partitioners } from 'kafkajs';

export class TargetPartitions {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly metadata = new Map<string, PartitionerArgs['partitionMetadata']>();

  constructor(private readonly kafka: Kafka) {}

  async partitionFor(topic: string, key: Buffer | string | null): Promise<number> {
    let partitionMetadata = this.metadata.get(topic);
    if (!partitionMetadata) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        partitionMetadata = topics[0].partitions;
        this.metadata.set(topic, partitionMetadata);
      } finally {
        await admin.disconnect();
      }
    }
    return this.partitioner({ topic, partitionMetadata, message: { key, value: null } });
  }
}
