// Publishes envelopes to Kafka with the settings that make a write durable and ordered: an
// idempotent producer (no duplicates from its own retries, order kept per partition) and acks=all.
//
// Every produce call carries ONE partition. kafkajs 2.2.4 keeps the answers of a multi-broker send per
// broker and, on a retry after a leader failed, sends only to brokers that have not answered yet: the
// messages of a partition whose leadership moved to a broker that already answered are silently
// dropped while the call reports success. The fault tests lost 22 orders that way (leader kill -9);
// with one partition per call the retry goes wherever that partition's leader now is.
//
// Several produce requests may be in flight on a broker connection, but never two of one partition:
// each partition's sends run one after the other (inPartitionOrder), which is what keeps an
// idempotent producer's per-partition sequence numbers, and so the records, in order. A publish that
// spans three partitions then takes one round trip instead of three.
import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '@platform/events';
import { messagingMetrics } from '@platform/observability';
import { parseKafkaSasl } from './kafka-sasl';
import { Admin, IHeaders, Kafka, Message, PartitionMetadata, Partitioners, Producer, RecordMetadata } from 'kafkajs';

export interface OutgoingEvent {
  topic: string;
  key: string;
  envelope: EventEnvelope;
  headers?: Record<string, string>;
}

export interface OutgoingRecord {
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
  /** Set to choose the partition; otherwise the key decides (murmur2, like every Kafka client). */
  partition?: number;
}

/** Kafka's default partitioner (murmur2 of the key): a key lands where any Kafka client would put it. */
const choosePartition = Partitioners.DefaultPartitioner();

export class EventPublisher {
  protected readonly logger = new Logger(EventPublisher.name);
  private producer: Producer;
  private readonly admin: Admin;
  private connected?: Promise<void>;
  /** Per partition, the end of the last send queued for it: the next one starts after it. */
  private readonly partitionTails = new Map<string, Promise<void>>();
  /** Partition metadata per topic, for choosing partitions; dropped after a failed send. */
  private readonly partitions = new Map<string, Promise<PartitionMetadata[]>>();

  /** `principal`: who this publisher writes as, for error messages (default: KAFKA_SASL_USERNAME). */
  constructor(
    private readonly kafka: Kafka,
    private readonly principal: string | undefined = parseKafkaSasl()?.username,
  ) {
    this.producer = this.newProducer();
    this.admin = kafka.admin();
  }

  private newProducer(): Producer {
    // 5: the most an idempotent producer may have in flight (Kafka's limit); per partition it is one.
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 5, createPartitioner: Partitioners.DefaultPartitioner });
  }

  /**
   * After a leader change an idempotent kafkajs producer can lose step with the broker's sequence
   * numbers ("out of order sequence number") and then fail every send for good; kafkajs does not reset
   * them (Java's producer bumps its epoch). A fresh producer gets a new producer id and starts at 0.
   */
  private replaceProducer(stale: Producer): void {
    if (this.producer !== stale) return; // another partition's send already replaced it
    this.producer = this.newProducer();
    // Only the producer is new: the admin stays connected, so disconnect() must still find `connected`.
    const connected = this.producer.connect().then(
      () => undefined,
      (error: Error) => {
        this.connected = undefined; // the next publish connects again
        throw error;
      },
    );
    connected.catch(() => undefined); // awaited by the next publish; failing here is not a crash
    this.connected = connected;
    void stale.disconnect().catch(() => undefined);
    this.logger.warn('producer out of step with the broker\'s sequence numbers: replaced by a new one (new producer id)');
  }

  connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(() => undefined, (error: Error) => {
      this.connected = undefined; // let the next call try again
      throw error;
    });
    return this.connected;
  }

  /** Sends the events, in order within each partition; resolves once every partition leader and its ISR have them. */
  async publish(events: OutgoingEvent[]): Promise<void> {
    await this.publishRecords(
      events.map((event) => ({
        topic: event.topic,
        key: event.key,
        value: JSON.stringify(event.envelope),
        headers: { 'content-type': 'application/json', ...event.headers },
      })),
    );
  }

  /** Sends records exactly as given (bytes and headers untouched), e.g. a dead letter being replayed. */
  async publishRecords(records: OutgoingRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    await this.connect();
    const batches = await this.byPartition(records);
    const results = await Promise.all(
      [...batches.entries()].map(([id, { topic, partition, messages }]) => this.inPartitionOrder(id, () => this.sendToPartition(topic, partition, messages))),
    );
    return results.flat();
  }

  private async sendToPartition(topic: string, partition: number, messages: Message[]): Promise<RecordMetadata[]> {
    // Taken when this partition's turn comes: a producer replaced meanwhile is not used again, and its
    // replacement may still be connecting (kafkajs refuses a send before that).
    await this.connect();
    const producer = this.producer;
    const sent: RecordMetadata[] = [];
    // In order, a bounded request at a time: a record batch over the broker's message.max.bytes
    // (1 MB by default) is refused whole.
    for (const chunk of chunks(messages)) {
      try {
        sent.push(...(await producer.send({ topic, acks: -1, messages: chunk.map((message) => ({ ...message, partition })) })));
        messagingMetrics.produced().inc({ topic, outcome: 'ok' }, chunk.length);
      } catch (error) {
        this.partitions.delete(topic); // the topic may have moved or grown: look again next time
        messagingMetrics.produced().inc({ topic, outcome: 'error' }, chunk.length);
        if (isOutOfOrderSequence(error)) this.replaceProducer(producer);
        throw explainAuthorization(error, topic, this.principal);
      }
    }
    return sent;
  }

  /** Runs `send` once every earlier send to this partition has settled (succeeded or failed). */
  private inPartitionOrder<T>(id: string, send: () => Promise<T>): Promise<T> {
    const result = (this.partitionTails.get(id) ?? Promise.resolve()).then(send);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.partitionTails.set(id, tail);
    void tail.then(() => {
      if (this.partitionTails.get(id) === tail) this.partitionTails.delete(id);
    });
    return result;
  }

  /** Groups records by topic and partition, keeping their order within each partition. */
  private async byPartition(records: OutgoingRecord[]): Promise<Map<string, { topic: string; partition: number; messages: Message[] }>> {
    const batches = new Map<string, { topic: string; partition: number; messages: Message[] }>();
    for (const { topic, partition: chosen, ...message } of records) {
      const partition = chosen ?? choosePartition({ topic, partitionMetadata: await this.partitionsOf(topic), message });
      const id = `${topic}\u0000${partition}`;
      const batch = batches.get(id) ?? { topic, partition, messages: [] };
      batch.messages.push(message);
      batches.set(id, batch);
    }
    return batches;
  }

  private partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    let known = this.partitions.get(topic);
    if (!known) {
      known = this.admin.fetchTopicMetadata({ topics: [topic] }).then(({ topics }) => topics[0].partitions);
      known.catch(() => this.partitions.delete(topic));
      this.partitions.set(topic, known);
    }
    return known;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
    this.connected = undefined;
    this.logger.log('producer flushed and disconnected');
  }
}

const MAX_RECORDS_PER_REQUEST = 500;
const MAX_BYTES_PER_REQUEST = 512 * 1024;

/** Consecutive runs of messages of at most 500 records and about 512 KB (a single bigger record goes alone). */
export function chunks(messages: Message[]): Message[][] {
  const out: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message.value) + sizeOf(message.key) + 64;
    if (current.length > 0 && (current.length >= MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function sizeOf(value: Message['value'] | Message['key']): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Kafka's "Topic authorization failed" says neither who nor why; say both, and where the rules live. */
export class KafkaAuthorizationError extends Error {
  override name = 'KafkaAuthorizationError';
}

function explainAuthorization(error: unknown, topic: string, principal: string | undefined): unknown {
  if ((error as { type?: string }).type !== 'TOPIC_AUTHORIZATION_FAILED') return error;
  return new KafkaAuthorizationError(
    `${principal ?? 'this client (no KAFKA_SASL_USERNAME)'} is not authorized to write to ${topic}: a service may write only the topics it owns (ACLs from libs/events access.ts); Kafka said: ${(error as Error).message}`,
    { cause: error },
  );
}

/** Kafka error 45 (OUT_OF_ORDER_SEQUENCE_NUMBER), on the error or any error it wraps. */
export function isOutOfOrderSequence(error: unknown): boolean {
  for (let current = error as { type?: string; code?: number; originalError?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
    if (current.type === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || current.code === 45) return true;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return false;
}
