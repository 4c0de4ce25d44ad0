// Publishes envelopes to Kafka with the settings that make a write durable and ordered: an
// idempotent producer (no duplicates from its own retries, order kept per partition) and acks=all.
import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '@platform/events';
import { messagingMetrics } from '@platform/observability';
import { IHeaders, Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';

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
}

export class EventPublisher {
  protected readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java's partitioner (murmur2 of the key): a key lands where any Kafka client would put it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: Error) => {
      this.connected = undefined; // let the next call try again
      throw error;
    });
    return this.connected;
  }

  /** Sends the events in order, as one batch; resolves once every partition leader and its ISR have them. */
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
    const byTopic = new Map<string, Message[]>();
    for (const { topic, ...message } of records) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    const count = (outcome: 'ok' | 'error') => {
      for (const [topic, messages] of byTopic) messagingMetrics.produced().inc({ topic, outcome }, messages.length);
    };
    try {
      const metadata = await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      count('ok');
      return metadata;
    } catch (error) {
      count('error');
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.producer.disconnect();
    this.connected = undefined;
    this.logger.log('producer flushed and disconnected');
  }
}
