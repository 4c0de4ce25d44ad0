// A local stand-in for AWS's Kafka event source mapping, so the same handler runs against our broker:
// its own consumer group, batches of at most `batchSize` records (fetch wait = the batching window),
// the exact Lambda event, offsets committed only after the function succeeded, a failing batch retried,
// then bisected until the failing record is alone, which goes to the on-failure destination topic with
// the platform's dead-letter headers. The README lists where this matches AWS and where it does not.
import { Logger } from '@nestjs/common';
import { deadLetterHeaders, EventPublisher } from '@platform/messaging';
import { Consumer, Kafka } from 'kafkajs';
import { buildKafkaEvent, SourceRecord } from './build-kafka-event';
import { KafkaEvent } from '../kafka-event';

export interface RunnerSettings {
  groupId: string;
  topic: string;
  onFailureTopic: string;
  brokers: string[];
  batchSize: number;
  batchWindowMs: number;
  /** Retries of a failing batch before it is bisected (AWS: MaximumRetryAttempts). */
  maxRetries: number;
  retryDelayMs: number;
}

export class EventSourceRunner {
  private readonly logger = new Logger(EventSourceRunner.name);
  private consumer?: Consumer;
  /** Idempotent, acks=all, and it replaces a producer that lost step with the broker (Kafka error 45). */
  private publisher?: EventPublisher;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: RunnerSettings,
    private readonly invoke: (event: KafkaEvent) => Promise<unknown>,
  ) {}

  async start(): Promise<void> {
    const { groupId, topic, batchWindowMs } = this.settings;
    this.publisher = new EventPublisher(this.kafka);
    await this.publisher.connect();
    this.consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: batchWindowMs });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const records = batch.messages.map((message) => ({ topic: batch.topic, partition: batch.partition, message }));
        for (let start = 0; start < records.length && isRunning() && !isStale(); start += this.settings.batchSize) {
          const chunk = records.slice(start, start + this.settings.batchSize);
          await this.deliver(chunk);
          const last = chunk[chunk.length - 1].message.offset;
          // Both: the resolved offset is where kafkajs fetches next (a commit alone does not move it, and
          // the same records came back in a loop), the committed one where a restart begins.
          resolveOffset(last);
          await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) }]);
          await heartbeat();
        }
      },
    });
    this.logger.log(`polling ${topic} as group ${groupId}: batches of ${this.settings.batchSize}, window ${batchWindowMs} ms, on failure → ${this.settings.onFailureTopic}`);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.publisher?.disconnect();
  }

  /** Invokes with retries; if the batch keeps failing, halves it until the failing record is alone. */
  private async deliver(records: SourceRecord[]): Promise<void> {
    const firstFailureAt = new Date();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.settings.maxRetries + 1; attempt++) {
      try {
        await this.invoke(buildKafkaEvent(records, this.settings.brokers));
        return;
      } catch (error) {
        lastError = error;
        this.logger.warn(`invocation with ${records.length} record(s) failed (attempt ${attempt}): ${(error as Error).message}`);
        if (attempt <= this.settings.maxRetries) await new Promise((done) => setTimeout(done, this.settings.retryDelayMs * attempt));
      }
    }
    if (records.length > 1) {
      const half = Math.ceil(records.length / 2);
      this.logger.warn(`bisecting a failing batch of ${records.length} into ${half} + ${records.length - half}`);
      await this.deliver(records.slice(0, half));
      await this.deliver(records.slice(half));
      return;
    }
    await this.sendToOnFailureDestination(records[0], lastError, this.settings.maxRetries + 1, firstFailureAt);
  }

  private async sendToOnFailureDestination(record: SourceRecord, error: unknown, attempts: number, firstFailureAt: Date): Promise<void> {
    const { topic, partition, message } = record;
    await this.publisher?.publishRecords([
      {
        topic: this.settings.onFailureTopic,
        key: message.key,
        value: message.value,
        headers: deadLetterHeaders(message.headers, {
          topic,
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          consumerGroup: this.settings.groupId,
          error,
          attempts,
          firstFailureAt,
          lastFailureAt: new Date(),
        }),
      },
    ]);
    this.logger.error(`${topic}[${partition}]@${message.offset} isolated and sent to ${this.settings.onFailureTopic}: ${(error as Error).message}`);
  }
}
