// Batch delivery: a handler that opts in with withBatchDelivery receives up to maxBatchSize messages
// of one partition at once, in offset order, and applies them together (one transaction, bulk
// statements): the per-message cost of a round trip to the database and of the transport is paid
// once per batch. The guarantees stay those of one message at a time, because ReliableKafkaServer
//   - commits a batch's offsets only after the handler returned;
//   - when a batch fails, hands its messages to the same handler again one by one, each with the
//     handler's retry policy and dead letter: a poison message is isolated and dead-lettered, the
//     others are applied (the handler must be idempotent, which every consumer here is anyway).
//   @EventPattern(TOPICS.orderCreated.name, withBatchDelivery({ maxBatchSize: 500, attempts: 5 }))
//   async onOrderCreated(@Ctx() batch: EventBatchContext) { const events = receiveEvents(TOPICS.orderCreated, batch); … }
import { BaseRpcContext } from '@nestjs/microservices';
import { EventEnvelope, parseEvent, TopicDefinition } from '@platform/events';
import { RetryPolicy, withRetryPolicy } from './retry-policy';

export interface BatchDelivery {
  /** Most messages handed to the handler at once (a fetch may bring more; they are split). */
  maxBatchSize: number;
}

const BATCH_KEY = 'batchDelivery';
const DEFAULT_BATCH: BatchDelivery = { maxBatchSize: 500 };

/** Extras for @EventPattern: deliver this topic's messages in batches, with this retry policy per message. */
export function withBatchDelivery(options: Partial<BatchDelivery & RetryPolicy> = {}): Record<string, unknown> {
  const { maxBatchSize, ...policy } = options;
  const batch = { ...DEFAULT_BATCH, ...(maxBatchSize === undefined ? {} : { maxBatchSize }) };
  if (!Number.isInteger(batch.maxBatchSize) || batch.maxBatchSize < 1) {
    throw new Error(`maxBatchSize must be an integer >= 1, got ${batch.maxBatchSize}`);
  }
  return { ...withRetryPolicy(policy), [BATCH_KEY]: batch };
}

/** The handler's batch settings, or undefined for a handler that takes one message at a time. */
export function batchDeliveryFrom(extras: Record<string, unknown> | undefined): BatchDelivery | undefined {
  return extras?.[BATCH_KEY] as BatchDelivery | undefined;
}

/** The parts of a Kafka record a batch handler may read (kafkajs's and Nest's records both fit). */
export interface BatchRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  offset: string;
  timestamp: string;
}

/** One message of a batch, with the span it is processed in. */
export interface BatchMessage {
  message: BatchRecord;
  /** Headers carrying this message's processing span (`traceparent`), for the events it causes. */
  traceHeaders: Record<string, string>;
  /** Runs `work` in this message's span and log context (its eventId, correlationId, trace id); callable on its own. */
  inContext<T>(work: () => T): T;
}

/** What @Ctx() gives a batch handler: the messages of one partition, oldest first. */
export class EventBatchContext extends BaseRpcContext<[BatchMessage[], string, number]> {
  getMessages(): BatchMessage[] {
    return this.args[0];
  }

  getTopic(): string {
    return this.args[1];
  }

  getPartition(): number {
    return this.args[2];
  }
}

/** A validated event of a batch, with its message's trace headers and context. */
export interface ReceivedEvent<P extends object = object> {
  envelope: EventEnvelope<P>;
  traceHeaders: Record<string, string>;
  inContext<T>(work: () => T): T;
}

/**
 * The batch's messages as validated events of the topic. Throws EventRejection at the first one that
 * is not: the batch then goes one by one, and that message alone is dead-lettered with the reason.
 */
export function receiveEvents(topic: TopicDefinition, batch: EventBatchContext): ReceivedEvent[] {
  return batch.getMessages().map((batchMessage) => ({
    envelope: parseEvent(topic, batchMessage.message.value).envelope,
    // Written only if the handler reads them (a consumer that publishes nothing never does).
    get traceHeaders() {
      return batchMessage.traceHeaders;
    },
    inContext: batchMessage.inContext,
  }));
}
