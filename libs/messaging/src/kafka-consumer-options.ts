// The Kafka consumer every service connects with app.connectMicroservice: our ReliableKafkaServer
// (Nest's Kafka transport plus retries and a dead-letter topic) configured the same way everywhere:
// the group id
// is the service name exactly (no "-server" suffix, so the group in Kafka UI is the registry's name),
// raw bytes reach the handler (libs/events parseEvent decodes and validates them), and a new group
// starts from the earliest offset so nothing published before its first start is skipped.
import { CustomStrategy } from '@nestjs/microservices';
import { CONSUMER_RETRY, kafkaClientConfig } from './create-kafka-client';
import { ReliableKafkaServer } from './reliable-kafka-server';
import { RetryPolicy } from './retry-policy';

/** Offsets of finished messages are committed at most this often (and when the consumer stops). */
export const COMMIT_INTERVAL_MS = 1_000;

export interface KafkaConsumerSettings {
  clientId: string;
  groupId: string;
  brokers: string[];
  /** Where messages that cannot be processed go: the service's `<domain>.<service>.dlq` from libs/events. */
  deadLetterTopic: string;
  /** Default retry policy of this service's handlers (each handler may override it). */
  retryPolicy?: Partial<RetryPolicy>;
  /** Partitions processed in parallel; within one partition, one message (or batch) at a time, in order. */
  partitionsConsumedConcurrently?: number;
}

export function kafkaConsumerOptions(settings: KafkaConsumerSettings): CustomStrategy {
  return {
    strategy: new ReliableKafkaServer({
      deadLetterTopic: settings.deadLetterTopic,
      retryPolicy: settings.retryPolicy,
      postfixId: '',
      client: kafkaClientConfig({ clientId: settings.clientId, brokers: settings.brokers }),
      consumer: {
        groupId: settings.groupId,
        // A member that vanished without leaving (crashed, or its LeaveGroup hit a moving coordinator)
        // holds the next rebalance for this long: the fault tests measured 30 s without a settled order
        // during a rolling broker restart at 30 s. 10 s, with a heartbeat every second (retry waits
        // heartbeat too), keeps that short without evicting a busy but healthy member.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        // A fetch returns as soon as data arrives; this only bounds an idle long-poll, which
        // disconnect() waits for. 1 s keeps shutdown fast at the cost of one idle request a second.
        maxWaitTimeInMs: 1_000,
        allowAutoTopicCreation: false,
        retry: CONSUMER_RETRY,
      },
      subscribe: { fromBeginning: true },
      run: {
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 3,
        // kafkajs's auto-commit commits after every fetched batch of every partition, and waits for it:
        // under light load that is one OffsetCommit (a write to __consumer_offsets) per message, the
        // largest share of the broker's CPU in the load test, and a round trip before the next batch.
        // ReliableKafkaServer commits what it finished at most once per interval instead, and on stop;
        // a crash or a rebalance redelivers at most that much, which idempotent handlers absorb.
        autoCommit: false,
        autoCommitInterval: COMMIT_INTERVAL_MS,
      },
      parser: { keepBinary: true },
    }),
  };
}
