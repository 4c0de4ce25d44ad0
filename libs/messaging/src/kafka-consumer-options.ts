// Options for Nest's Kafka transport (@nestjs/microservices) as every service uses it: the group id
// is the service name exactly (no "-server" suffix, so the group in Kafka UI is the registry's name),
// raw bytes reach the handler (libs/events parseEvent decodes and validates them), and a new group
// starts from the earliest offset so nothing published before its first start is skipped.
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { kafkaClientConfig } from './create-kafka-client';

export interface KafkaConsumerSettings {
  clientId: string;
  groupId: string;
  brokers: string[];
  /** Partitions processed in parallel; messages within one partition are always one at a time. */
  partitionsConsumedConcurrently?: number;
}

export function kafkaConsumerOptions(settings: KafkaConsumerSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: kafkaClientConfig({ clientId: settings.clientId, brokers: settings.brokers }),
      consumer: {
        groupId: settings.groupId,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        // A fetch returns as soon as data arrives; this only bounds an idle long-poll, which
        // disconnect() waits for. 1 s keeps shutdown fast at the cost of one idle request a second.
        maxWaitTimeInMs: 1_000,
        allowAutoTopicCreation: false,
      },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 3 },
      parser: { keepBinary: true },
      // Nest also opens a producer (for replies we never send); give it Java's partitioner too.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
    },
  };
}
