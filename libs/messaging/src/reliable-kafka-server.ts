// Nest's Kafka transport with the delivery guarantees the stock one lacks. Handlers keep the
// @EventPattern surface; around each one this server
//   - retries retryable failures with backoff and jitter, heartbeating while it waits so the consumer
//     keeps its partitions, for at most the handler's retry budget;
//   - sends a message that cannot succeed (invalid event, last attempt failed) to the service's
//     dead-letter topic with the original key, value and headers plus kafka_dlt-* headers, and waits
//     for the broker's ack (acks=all);
//   - returns only then, so kafkajs commits the offset only after success or an acknowledged dead letter.
// A crash at any point therefore redelivers the message; a poison message never blocks its partition
// longer than its retry budget. Handler errors must reach this server unchanged (service-runtime
// registers a pass-through exception filter for that).
import { Logger } from '@nestjs/common';
import { KafkaContext, KafkaOptions, ReadPacket, ServerKafka } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { deadLetterHeaders } from './dead-letter-headers';
import { backoffDelay, DEFAULT_RETRY_POLICY, RetryPolicy, retryPolicyFrom } from './retry-policy';
import { describeOrigin, messageOrigin } from './received-event';

export type ReliableKafkaOptions = Required<KafkaOptions>['options'] & {
  deadLetterTopic: string;
  /** Defaults for handlers that set no policy of their own. */
  retryPolicy?: Partial<RetryPolicy>;
};

const HEARTBEAT_EVERY_MS = 1000;

class ConsumerStopping extends Error {
  override name = 'ConsumerStopping';
}

export class ReliableKafkaServer extends ServerKafka {
  private readonly deadLetterTopic: string;
  private readonly defaults: RetryPolicy;
  private stopping = false;

  constructor(options: ReliableKafkaOptions) {
    const { deadLetterTopic, retryPolicy, ...kafkaOptions } = options;
    super({
      ...kafkaOptions,
      // The producer Nest creates is ours to use for dead letters: make it durable and ordered.
      producer: {
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        ...kafkaOptions.producer,
      },
    });
    this.logger = new Logger(ReliableKafkaServer.name);
    this.deadLetterTopic = deadLetterTopic;
    this.defaults = { ...DEFAULT_RETRY_POLICY, ...retryPolicy };
  }

  override async close(): Promise<void> {
    this.stopping = true;
    await super.close();
  }

  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    const policy = retryPolicyFrom(this.getHandlerByPattern(pattern)?.extras, this.defaults);
    let firstFailureAt: Date | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await super.handleEvent(pattern, packet, context);
        if (attempt > 1) this.logger.log(`${describeOrigin(messageOrigin(context))} succeeded on attempt ${attempt}`);
        return;
      } catch (error) {
        firstFailureAt ??= new Date();
        const retryable = policy.isRetryable(error);
        if (!retryable || attempt >= policy.attempts) {
          await this.deadLetter(context, error, attempt, firstFailureAt);
          return;
        }
        const delay = backoffDelay(policy, attempt);
        this.logger.warn(
          `${describeOrigin(messageOrigin(context))} failed (attempt ${attempt}/${policy.attempts}), retrying in ${delay} ms: ${describeError(error)}`,
        );
        await this.waitKeepingMembership(delay, context);
      }
    }
  }

  private async deadLetter(context: KafkaContext, error: unknown, attempts: number, firstFailureAt: Date): Promise<void> {
    const message = context.getMessage();
    const origin = messageOrigin(context);
    const headers = deadLetterHeaders(message.headers, {
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.offset,
      timestamp: message.timestamp,
      consumerGroup: this.groupId,
      error,
      attempts,
      firstFailureAt,
      lastFailureAt: new Date(),
    });
    if (!this.producer) throw new ConsumerStopping('producer closed before the dead letter was written');
    // If this send fails the error propagates: no commit, the message is redelivered and tried again.
    await this.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.logger.error(
      `${describeOrigin(origin)} dead-lettered to ${this.deadLetterTopic} after ${attempts} attempt(s): ${describeError(error)}`,
    );
  }

  /** Sleeps in slices, heartbeating, so the group does not evict us; gives up if we are stopping. */
  private async waitKeepingMembership(delayMs: number, context: KafkaContext): Promise<void> {
    const heartbeat = context.getHeartbeat();
    const until = Date.now() + delayMs;
    while (Date.now() < until) {
      if (this.stopping) throw new ConsumerStopping('consumer stopping during a retry wait; the message will be redelivered');
      await new Promise((done) => setTimeout(done, Math.min(HEARTBEAT_EVERY_MS, until - Date.now())));
      // Throws on a rebalance: the attempt ends uncommitted and the partition's new owner redelivers it.
      await heartbeat();
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
