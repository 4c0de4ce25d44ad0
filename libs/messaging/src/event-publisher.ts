// Publishes envelopes to Kafka with the settings that make a write durable and ordered: an
// idempotent producer (order kept per partition; the broker drops the copies its retries resend) and acks=all.
//
// One call is one kafkajs sendBatch carrying every partition of the call: kafkajs sends one request
// per leader broker, and an idempotent kafkajs producer has one request at a time in flight per broker
// (its broker lock). A call that spans three partitions of one broker is then one round trip, where a
// request per partition queued three of them one behind the other.
//
// kafkajs 2.2.4 keeps the answers of a multi-broker send per broker and, on a retry after a leader
// failed, sends only to brokers that have not answered yet: the records of a partition whose
// leadership moved to a broker that already answered are silently dropped while the call reports
// success (the fault tests lost 22 orders that way, leader kill -9). So every partition of a request
// must be in its answer; one that is not is sent again on its own, where a retry goes wherever that
// partition's leader now is.
//
// A call that fails leaves the producer's sequence numbers in doubt: kafkajs rolls back every
// partition of a request the broker refused in part, also the partitions it wrote, and the next
// records sent with those numbers would be taken by the broker for a retry of the written ones and
// dropped. So after any failed call the producer is replaced (a new producer id starts at 0); the
// failed call's records are sent again by its caller. Retries inside kafkajs can write a record twice
// (a request retried while the first is still in flight on another broker): consumers are idempotent
// by eventId, as for every at-least-once path.
//
// Calls may be in flight side by side, but never two that share a partition: a call starts once
// every earlier call on any of its partitions has settled (inPartitionOrder), which is what keeps an
// idempotent producer's per-partition sequence numbers, and so the records, in order. The price: a
// call holds all of its partitions until its slowest broker has answered, so during a failover the
// later calls on the healthy partitions of a call wait too, where one request per partition let them go.
import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '@platform/events';
import { messagingMetrics } from '@platform/observability';
import { parseKafkaSasl } from './kafka-sasl';
import { partitionOfKey } from './key-partition';
import { Admin, IHeaders, Kafka, Message, PartitionMetadata, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { hasKafkaError } from './kafka-error';

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

/** The records of one call for one partition, in order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: Message[];
}

/** For a record without a key: kafkajs's default partitioner spreads those round-robin. */
const choosePartition = Partitioners.DefaultPartitioner();

export class EventPublisher {
  protected readonly logger = new Logger(EventPublisher.name);
  private producer: Producer;
  private readonly admin: Admin;
  private connected?: Promise<void>;
  /** Per partition, the end of the last send queued for it: the next one starts after it. */
  private readonly partitionTails = new Map<string, Promise<void>>();
  /** Calls running per producer, so that a replaced one is disconnected only after them. */
  private readonly callsInFlight = new Map<Producer, number>();
  /** The last call's claim of its partitions: the next call claims after it. */
  private claiming: Promise<unknown> = Promise.resolve();
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
   * A fresh producer (new producer id, sequence numbers from 0) after a failed call (header). The old
   * one is disconnected once the calls still in flight on it have settled: disconnecting it at once
   * would fail them too.
   */
  private replaceProducer(stale: Producer, reason: string): void {
    if (this.producer !== stale) return; // another call's failure already replaced it
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
    if (!this.callsInFlight.has(stale)) void stale.disconnect().catch(() => undefined);
    this.logger.warn(`${reason}: producer replaced by a new one (new producer id)`);
  }

  /** Counts a call on `producer` while it runs; a producer replaced meanwhile is disconnected after its last call. */
  private async onProducer<T>(producer: Producer, call: () => Promise<T>): Promise<T> {
    this.callsInFlight.set(producer, (this.callsInFlight.get(producer) ?? 0) + 1);
    try {
      return await call();
    } finally {
      const left = (this.callsInFlight.get(producer) ?? 1) - 1;
      if (left > 0) this.callsInFlight.set(producer, left);
      else {
        this.callsInFlight.delete(producer);
        if (producer !== this.producer) void producer.disconnect().catch(() => undefined);
      }
    }
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
    // Calls take their place in their partitions' queues in the order they were made, whatever each
    // awaited on the way (a topic's partitions), so a later call never overtakes an earlier one.
    const claimed = this.claiming.then(async () => {
      await this.connect();
      const batches = await this.byPartition(records);
      // Wrapped: a promise returned as is would make this claim, and so the next call's, wait for the send.
      return { sent: this.inPartitionOrder([...batches.keys()], () => this.sendTogether([...batches.values()])) };
    });
    this.claiming = claimed.catch(() => undefined);
    return (await claimed).sent;
  }

  private async sendTogether(batches: PartitionBatch[]): Promise<RecordMetadata[]> {
    // Taken when this call's turn comes: a producer replaced meanwhile is not used again, and its
    // replacement may still be connecting (kafkajs refuses a send before that).
    await this.connect();
    const producer = this.producer;
    return this.onProducer(producer, () => this.sendRequests(producer, batches));
  }

  private async sendRequests(producer: Producer, batches: PartitionBatch[]): Promise<RecordMetadata[]> {
    const sent: RecordMetadata[] = [];
    // A bounded request at a time (a record batch over the broker's message.max.bytes, 1 MB by
    // default, is refused whole): request i carries chunk i of every partition, so each stays in order.
    for (const request of requestsOf(batches)) {
      const topics = [...new Set(request.map((part) => part.topic))];
      try {
        const answers = await producer.sendBatch({ acks: -1, topicMessages: topicMessagesOf(request) });
        sent.push(...answers);
        for (const part of unanswered(request, answers)) sent.push(...(await this.sendAlone(producer, part)));
        for (const topic of topics) messagingMetrics.produced().inc({ topic, outcome: 'ok' }, countOf(request, topic));
      } catch (error) {
        for (const topic of topics) {
          this.partitions.delete(topic); // the topic may have moved or grown: look again next time
          messagingMetrics.produced().inc({ topic, outcome: 'error' }, countOf(request, topic));
        }
        this.replaceProducer(producer, isOutOfOrderSequence(error) ? "out of step with the broker's sequence numbers" : `a send to ${topics.join(', ')} failed`);
        throw explainAuthorization(error, topics.join(', '), this.principal);
      }
    }
    return sent;
  }

  /** A partition kafkajs reported no answer for (its retry bug, above), sent again in a call of its own. */
  private async sendAlone(producer: Producer, part: PartitionBatch): Promise<RecordMetadata[]> {
    this.logger.warn(
      `kafkajs reported ${part.topic} partition ${part.partition} sent without the broker's answer (a retry after a leader change skips brokers that answered before): sending its ${part.messages.length} records again on their own`,
    );
    const answers = await producer.send({ topic: part.topic, acks: -1, messages: part.messages.map((message) => ({ ...message, partition: part.partition })) });
    if (unanswered([part], answers).length > 0) throw new Error(`${part.topic} partition ${part.partition}: no answer from the broker for ${part.messages.length} records; not sent`);
    return answers;
  }

  /** Runs `send` once every earlier send to any of these partitions has settled (succeeded or failed). */
  private inPartitionOrder<T>(ids: string[], send: () => Promise<T>): Promise<T> {
    const result = Promise.all(ids.map((id) => this.partitionTails.get(id))).then(send);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const id of ids) this.partitionTails.set(id, tail);
    void tail.then(() => {
      for (const id of ids) if (this.partitionTails.get(id) === tail) this.partitionTails.delete(id);
    });
    return result;
  }

  /** Groups records by topic and partition, keeping their order within each partition. */
  private async byPartition(records: OutgoingRecord[]): Promise<Map<string, PartitionBatch>> {
    // Per record only what must be: the partitions are looked up once per topic (not awaited per
    // record), a key's partition is hashed in 32-bit arithmetic (key-partition.ts), and each message is
    // built once, its partition set, as kafkajs takes it. This loop runs for every record the services
    // publish: 3.3 µs a record before, 0.5 µs now (docs/benchmarks.md, session 14).
    const metadata = new Map<string, PartitionMetadata[]>();
    for (const { topic, partition } of records) {
      if (partition == null && !metadata.has(topic)) metadata.set(topic, await this.partitionsOf(topic));
    }
    const batches = new Map<string, PartitionBatch>();
    for (const { topic, partition: chosen, key, value, headers } of records) {
      const partitionMetadata = metadata.get(topic) as PartitionMetadata[];
      const partition = chosen ?? (key == null ? choosePartition({ topic, partitionMetadata, message: { key, value } }) : partitionOfKey(key, partitionMetadata.length));
      const id = `${topic}\u0000${partition}`;
      let batch = batches.get(id);
      if (!batch) {
        batch = { topic, partition, messages: [] };
        batches.set(id, batch);
      }
      batch.messages.push(headers === undefined ? { key, value, partition } : { key, value, headers, partition });
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

/** The requests of a call: request i holds chunk i (chunks) of every partition that has one. */
export function requestsOf(batches: PartitionBatch[]): PartitionBatch[][] {
  const chunked = batches.map((batch) => chunks(batch.messages).map((messages) => ({ ...batch, messages })));
  const count = Math.max(0, ...chunked.map((parts) => parts.length));
  return Array.from({ length: count }, (_, index) => chunked.flatMap((parts) => (index < parts.length ? [parts[index]] : [])));
}

/** A request's records as kafkajs takes them: one entry per topic, every record with its partition set. */
export function topicMessagesOf(request: PartitionBatch[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, partition, messages } of request) {
    const list = byTopic.get(topic) ?? [];
    for (const message of messages) list.push(message.partition === partition ? message : { ...message, partition });
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** The partitions of a request without an answer in what kafkajs returned (its retry bug, above). */
export function unanswered(request: PartitionBatch[], answers: RecordMetadata[]): PartitionBatch[] {
  const answered = new Set(answers.map((answer) => `${answer.topicName}\u0000${answer.partition}`));
  return request.filter((part) => !answered.has(`${part.topic}\u0000${part.partition}`));
}

function countOf(request: PartitionBatch[], topic: string): number {
  return request.reduce((sum, part) => sum + (part.topic === topic ? part.messages.length : 0), 0);
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
  return hasKafkaError(error, 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
}
