// Nest's Kafka transport with the delivery guarantees the stock one lacks. Handlers keep the
// @EventPattern surface; around each one this server
//   - retries retryable failures with backoff and jitter, heartbeating while it waits so the consumer
//     keeps its partitions, for at most the handler's retry budget;
//   - sends a message that cannot succeed (invalid event, last attempt failed) to the service's
//     dead-letter topic with the original key, value and headers plus kafka_dlt-* headers, and waits
//     for the broker's ack (acks=all);
//   - returns only then, so kafkajs commits the offset only after success or an acknowledged dead letter.
// A crash at any point therefore redelivers the message; a poison message never blocks its partition
// longer than its retry budget. Handlers registered withBatchDelivery get a partition's messages in
// batches (event-batch.ts); a failed batch falls back to the path above, one message at a time. Handler errors must reach this server unchanged (service-runtime
// registers PlatformExceptionFilter, which passes them through, for that).
import { Logger } from '@nestjs/common';
import { KafkaContext, KafkaOptions, ReadPacket, ServerKafka } from '@nestjs/microservices';
import type { Consumer as NestConsumer } from '@nestjs/microservices/external/kafka.interface';
import { EventLogContext, inSpan, messagingMetrics, registerLagSource, SpanKind, traceHeaders, withEventContext } from '@platform/observability';
import { Admin, Consumer, EachBatchPayload, Kafka, KafkaJSError, KafkaMessage, Partitioners } from 'kafkajs';
import { markConsumerRunning, markConsumerStopped } from './consumer-health-check';
import { readGroupLag } from './consumer-lag';
import { deadLetterHeaders, DLT_HEADERS } from './dead-letter-headers';
import { BatchDelivery, batchDeliveryFrom, BatchMessage, EventBatchContext } from './event-batch';
import { EventPublisher } from './event-publisher';
import { observeFlowAge } from './flow-age';
import { envelopeIds, messageSpanAttributes, MessageInSpan, traceContextHeaders } from './message-span';
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

/**
 * A failed offset commit, thrown from the next batch so that kafkajs re-joins the group at once. Its
 * runner re-joins on the errors that say the group moved (the `type`s its isRebalancing knows), and a
 * join looks the group's coordinator up again and gives the consumer an offset manager that uses it.
 * The commit's own error (say "Broker 2 not found in the cached metadata" after the coordinator's
 * broker died) would only make the runner's retrier fetch again with the same dead coordinator until
 * its retries were spent: 27 s without a handled order in one leader-kill run.
 */
class CommitFailedRejoin extends KafkaJSError {
  override name = 'CommitFailedRejoin';
  readonly type = 'NOT_COORDINATOR_FOR_GROUP';

  // A KafkaJSError, so kafkajs does not log it again as a handler's error, with its stack.
  constructor(readonly failure: Error) {
    super(`offset commit failed, re-joining the group: ${failure.message}`, { retriable: true });
  }
}

/** Commit failures kafkajs's runner already answers with a re-join (UNKNOWN_MEMBER_ID: as a new member). */
const REJOINS_ALREADY = ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'];

/** How long a close waits for its commit of what was finished. */
const CLOSE_COMMIT_MS = 5_000;

export class ReliableKafkaServer extends ServerKafka {
  private readonly deadLetterTopic: string;
  private readonly defaults: RetryPolicy;
  private stopping = false;
  private admin?: Admin;
  /**
   * Writes the dead letters. Not Nest's producer: EventPublisher also replaces an idempotent producer
   * that lost step with the broker's sequence numbers (Kafka error 45), which would otherwise refuse
   * every dead letter from then on and so block its partition for good.
   */
  private deadLetters?: EventPublisher;
  private unregisterLag?: () => void;
  /** Topic name → route, and topic name → retry policy: both fixed once the handlers are bound. */
  private readonly routes = new Map<string, string>();
  private readonly policies = new Map<string, RetryPolicy>();
  /** Route → batch settings of its handler, or null for a handler that takes one message at a time. */
  private readonly batchDeliveries = new Map<string, BatchDelivery | null>();
  /** The latest batch's handle on the consumer's offsets, for the commits of the timer. */
  private lastBatch?: EachBatchPayload;
  private commitTimer?: NodeJS.Timeout;
  /** The timer's commit in flight, if any: a slow one is not joined by a second. */
  private committing?: Promise<void>;
  /** The timer's last commit failure, thrown by the next batch so that kafkajs handles it (below). */
  private commitFailure?: Error;

  constructor(options: ReliableKafkaOptions) {
    const { deadLetterTopic, retryPolicy, ...kafkaOptions } = options;
    super({
      ...kafkaOptions,
      // Nest creates a producer (for replies, which events never send): durable and ordered all the same.
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

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    await super.listen(callback);
    // Consumer lag of this group for the /metrics scrape, read from the broker on demand.
    if (!this.client) return;
    // Nest declares its own copy of kafkajs's types; the object is kafkajs's Admin.
    const admin = this.client.admin() as unknown as Admin;
    this.admin = admin;
    let connected: Promise<void> | undefined;
    this.unregisterLag = registerLagSource(async () => {
      connected ??= admin.connect().catch((error: Error) => {
        connected = undefined;
        throw error;
      });
      await connected;
      return readGroupLag(admin, this.groupId, [...this.messageHandlers.keys()]);
    });
  }

  override async close(): Promise<void> {
    this.stopping = true;
    markConsumerRunning(this);
    clearInterval(this.commitTimer);
    // What was finished since the timer's last commit. A stop usually comes between batches, where no
    // batch's own stop-time commit (handleFetchedBatch) would send it, and the partitions' next owner
    // would handle up to an interval's worth of messages again. (Beside a commit still under way from
    // the timer: the broker answers a connection's requests in order, so the later offsets stand.)
    // Not past CLOSE_COMMIT_MS: a broker that does not answer must not hold up the stop for kafkajs's
    // 30 s request timeout; those messages are then handled again, as after a crash.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.commitFinished(), new Promise<void>((done) => (timer = setTimeout(done, CLOSE_COMMIT_MS)))]);
    clearTimeout(timer);
    this.unregisterLag?.();
    await this.admin?.disconnect().catch(() => undefined);
    // After the consumer stopped (super.close waits for the batch in hand): its dead letters are out.
    await super.close();
    await this.deadLetters?.disconnect().catch(() => undefined);
  }

  /**
   * Nest resolves a handler by JSON.parse-ing the topic name first, which throws (and is caught) for
   * every plain name — twice per message, the largest single cost in a profile of this consumer
   * (npm run bench). Topic names are a small fixed set: resolve each once.
   */
  override getRouteFromPattern(pattern: string): string {
    return memo(this.routes, pattern, () => super.getRouteFromPattern(pattern));
  }

  /**
   * Nest runs kafkajs's eachMessage. We run eachBatch and walk the batch ourselves: one message at a
   * time through Nest for ordinary handlers (what eachMessage does), in chunks for batch handlers.
   * Offsets are resolved only for messages finished with, so a stop or a rebalance mid-batch leaves
   * the rest to be fetched again.
   */
  override async bindEvents(nestConsumer: NestConsumer): Promise<void> {
    // Nest declares its own copy of kafkajs's types; the object is kafkajs's Consumer.
    const consumer = nestConsumer as unknown as Consumer;
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({
      ...this.options.run,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleFetchedBatch(payload),
    });
    // With our own commit interval (kafkaConsumerOptions), a timer commits what was finished, beside
    // the batches rather than between them: kafkajs fetches again only once every batch of the last
    // fetch is handled, so a commit awaited in a batch held up every partition for its round trip (a
    // write to __consumer_offsets: 3–5 ms at p50, up to 60–115 ms, in load tests at 1,000 events/s),
    // and partitions that saw the interval elapse together each sent one.
    const interval = this.options.run?.autoCommit === false ? this.options.run.autoCommitInterval : undefined;
    // A join gives kafkajs a new offset manager, with the group's coordinator as it is now: a failure
    // from before it says nothing about the new one, and throwing it would cost another rejoin.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.commitFailure = undefined;
      markConsumerRunning(this);
    });
    // A crash kafkajs does not restart from leaves this consumer stopped for good: readiness says so.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      const reason = `the consumer of group ${this.groupId} stopped for good (${payload.error.message}); nothing after it was committed; restart the service`;
      this.logger.error(reason);
      markConsumerStopped(this, reason);
    });
    if (interval) this.commitTimer = setInterval(() => this.commitFinishedUnlessCommitting(), interval).unref();
  }

  private commitFinishedUnlessCommitting(): void {
    this.committing ??= this.commitFinished().finally(() => (this.committing = undefined));
  }

  private async commitFinished(): Promise<void> {
    const payload = this.lastBatch;
    if (!payload?.isRunning()) return;
    const finished = payload.uncommittedOffsets();
    if (finished.topics.length === 0) return;
    // A failure (a rebalance under way, the coordinator moving) is thrown by the next batch as a
    // reason to re-join the group, which finds the group's coordinator again (CommitFailedRejoin).
    // Retried here alone, it failed for minutes once the coordinator had moved to another broker
    // (kafkajs's offset manager keeps the broker it was created with). At worst the new owner of a
    // partition handles a second's worth of messages again.
    await payload.commitOffsetsIfNecessary(finished).then(
      () => (this.commitFailure = undefined),
      (error: Error) => {
        this.commitFailure = error;
        this.logger.warn(`offset commit failed; the next batch re-joins the group: ${error.message}`);
      },
    );
  }

  private async handleFetchedBatch(payload: EachBatchPayload): Promise<void> {
    this.lastBatch = payload;
    const failure = this.commitFailure;
    if (failure) {
      // Before any message of this batch is handled: all of it is fetched again after the re-join.
      this.commitFailure = undefined;
      throw REJOINS_ALREADY.includes((failure as { type?: string }).type ?? '') ? failure : new CommitFailedRejoin(failure);
    }
    try {
      await this.walkBatch(payload);
    } finally {
      // Stopping: commit what was finished now, not at the next interval that will not come. If that
      // fails the stop goes on: the next owner handles those messages again (idempotent handlers).
      if (!payload.isRunning()) {
        await payload
          .commitOffsetsIfNecessary(payload.uncommittedOffsets())
          .catch((error: Error) => this.logger.warn(`offset commit on stop failed; up to a second of messages will be handled again: ${error.message}`));
      }
    }
  }

  private async walkBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const delivery = this.batchDeliveryOf(this.getRouteFromPattern(batch.topic));
    const chunkSize = delivery?.maxBatchSize ?? 1;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      if (delivery && (await this.tryBatch(chunk, payload))) {
        payload.resolveOffset(chunk[chunk.length - 1].offset);
      } else if (!(await this.handleOneByOne(chunk, payload))) {
        return;
      }
      // Shared with kafkajs's own after the batch: one request a heartbeat interval at most.
      await payload.heartbeat();
    }
  }

  /** Each message through Nest with retries and dead letters; false if stopped before the end. */
  private async handleOneByOne(messages: KafkaMessage[], payload: EachBatchPayload): Promise<boolean> {
    const { topic, partition } = payload.batch;
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale()) return false;
      // Nest's copy of the kafkajs types again: same object.
      await this.handleMessage({ topic, partition, message, heartbeat: payload.heartbeat, pause: payload.pause } as never);
      payload.resolveOffset(message.offset);
    }
    return true;
  }

  /**
   * One call of a batch handler for these messages, each in its own span and log context. True if
   * it succeeded; false if it failed, and then the caller goes one by one (no retry of the batch:
   * the per-message path retries, and isolates the message that fails).
   */
  private async tryBatch(messages: KafkaMessage[], payload: EachBatchPayload): Promise<boolean> {
    const { topic, partition } = payload.batch;
    const pattern = this.getRouteFromPattern(topic);
    const position = { topic, partition, groupId: this.groupId };
    const batchMessages = messages.map((message) => new MessageInSpan(message, position));
    const labels = { topic, group: this.groupId };
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      await super.handleEvent(pattern, { pattern, data: batchMessages }, new EventBatchContext([batchMessages, topic, partition]) as never);
      messagingMetrics.handlerDuration().observe({ ...labels, outcome: 'processed' }, seconds());
      messagingMetrics.consumed().inc({ ...labels, outcome: 'processed' }, messages.length);
      messagingMetrics.batchSize().observe(labels, messages.length);
      observeFlowAge(labels, messages);
      for (const { span } of batchMessages) span.end();
      return true;
    } catch (error) {
      messagingMetrics.handlerDuration().observe({ ...labels, outcome: 'failed' }, seconds());
      for (const { span } of batchMessages) span.end(error);
      const range = `${topic}[${partition}]@${messages[0].offset}..${messages[messages.length - 1].offset}`;
      this.logger.warn(`batch ${range} (${messages.length} messages) failed, handling them one by one: ${describeError(error)}`);
      return false;
    }
  }

  private batchDeliveryOf(pattern: string): BatchDelivery | undefined {
    return memo(this.batchDeliveries, pattern, () => batchDeliveryFrom(this.getHandlerByPattern(pattern)?.extras) ?? null) ?? undefined;
  }

  /** A batch handler called for one message (the fallback path) still gets a batch: of one. */
  private invokeHandler(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<unknown> {
    if (!this.batchDeliveryOf(pattern)) return super.handleEvent(pattern, packet, context);
    // Already inside this message's span and log context (handleEvent): nothing more to enter.
    const single: BatchMessage = { message: context.getMessage(), traceHeaders: traceHeaders(), inContext: (work) => work() };
    const batchContext = new EventBatchContext([[single], context.getTopic(), context.getPartition()]);
    return super.handleEvent(pattern, { pattern, data: [single] }, batchContext as never);
  }

  /** One span and one log context per message: every attempt and log line carries the event's ids. */
  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    const origin = messageOrigin(context);
    const position = { topic: origin.topic, partition: origin.partition, groupId: this.groupId };
    // Parsed for the ids only if a log line or a recorded span asks for them.
    let ids: ReturnType<typeof envelopeIds> | undefined;
    const eventIds = () => (ids ??= envelopeIds(message.value));
    const logContext = (): EventLogContext => ({ ...eventIds(), topic: origin.topic, partition: origin.partition, offset: origin.offset });
    const attributes = () => messageSpanAttributes(position, origin.offset, eventIds().eventId);
    await withEventContext(logContext, () =>
      inSpan(`process ${origin.topic}`, { kind: SpanKind.CONSUMER, parentHeaders: traceContextHeaders(message.headers), attributes }, () =>
        this.handleWithRetries(pattern, packet, context),
      ),
    );
  }

  private async handleWithRetries(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    const policy = memo(this.policies, pattern, () => retryPolicyFrom(this.getHandlerByPattern(pattern)?.extras, this.defaults));
    const labels = { topic: context.getTopic(), group: this.groupId };
    let firstFailureAt: Date | undefined;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        await this.invokeHandler(pattern, packet, context);
        messagingMetrics.handlerDuration().observe({ ...labels, outcome: 'processed' }, seconds());
        messagingMetrics.consumed().inc({ ...labels, outcome: 'processed' });
        observeFlowAge(labels, [context.getMessage()]);
        if (attempt > 1) this.logger.log(`${describeOrigin(messageOrigin(context))} succeeded on attempt ${attempt}`);
        return;
      } catch (error) {
        messagingMetrics.handlerDuration().observe({ ...labels, outcome: 'failed' }, seconds());
        firstFailureAt ??= new Date();
        const retryable = policy.isRetryable(error);
        if (!retryable || attempt >= policy.attempts) {
          const reason = await this.deadLetter(context, error, attempt, firstFailureAt);
          messagingMetrics.consumed().inc({ ...labels, outcome: 'dead_lettered' });
          messagingMetrics.deadLetters().inc({ ...labels, reason });
          return;
        }
        messagingMetrics.retries().inc(labels);
        const delay = backoffDelay(policy, attempt);
        this.logger.warn(
          `${describeOrigin(messageOrigin(context))} failed (attempt ${attempt}/${policy.attempts}), retrying in ${delay} ms: ${describeError(error)}`,
        );
        await this.waitKeepingMembership(delay, context);
      }
    }
  }

  /** Writes the dead letter and waits for its ack; returns the error class recorded in its headers. */
  private async deadLetter(context: KafkaContext, error: unknown, attempts: number, firstFailureAt: Date): Promise<string> {
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
    if (!this.client) throw new ConsumerStopping('client closed before the dead letter was written');
    // Nest declares its own copy of kafkajs's types; the object is kafkajs's Kafka.
    this.deadLetters ??= new EventPublisher(this.client as unknown as Kafka);
    // acks=all. If this send fails the error propagates: no commit, the message is redelivered and tried again.
    await this.deadLetters.publishRecords([{ topic: this.deadLetterTopic, key: message.key, value: message.value, headers }]);
    this.logger.error(
      `${describeOrigin(origin)} dead-lettered to ${this.deadLetterTopic} after ${attempts} attempt(s): ${describeError(error)}`,
    );
    return String(headers[DLT_HEADERS.exceptionFqcn]);
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

/** The value cached under `key`, computed once: handler traits are fixed once the handlers are bound. */
function memo<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as V;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
