// Reads every event topic of the registry as the `operations-console` group (broadcast: it takes
// nothing from the services' groups) and stores each message's envelope fields in the flow index, a
// batch per insert. Offsets are committed after the insert, so the index misses nothing; a message
// that is not a valid envelope is indexed by its key alone.
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ALL_TOPICS, EXTRA_CONSUMER_GROUPS, SERVICES } from '@platform/events';
import { createKafkaClient } from '@platform/messaging';
import { traceIdOf } from '@platform/observability';
import { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { DLQ_REPLAYER_CONFIG } from '../config/config.tokens';
import { DlqReplayerConfig } from '../config/dlq-replayer.config';
import { storableText } from '../database/storable-text';
import { REPLAY_HEADERS } from '../replay/replay-headers';
import { NewFlowEvent } from './flow-event.table';
import { FlowEventsRepository } from './flow-events.repository';

export const FLOW_TOPICS = ALL_TOPICS.filter((topic) => topic.kind === 'events');
/** The index keeps what the topics keep: an event older than its topic's retention is gone from Kafka too. */
const FLOW_RETENTION_MS = Math.max(...FLOW_TOPICS.map((topic) => topic.retentionMs));
const PRUNE_EVERY_MS = 60 * 60 * 1000;

@Injectable()
export class FlowIndexer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FlowIndexer.name);
  private consumer?: Consumer;
  private pruning?: NodeJS.Timeout;

  constructor(
    @Inject(DLQ_REPLAYER_CONFIG) private readonly config: DlqReplayerConfig,
    private readonly repository: FlowEventsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = createKafkaClient({ clientId: `${SERVICES.dlqReplayer}-flow`, brokers: this.config.kafkaBrokers }).consumer({
      groupId: EXTRA_CONSUMER_GROUPS.operationsConsole,
      maxWaitTimeInMs: 500,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: FLOW_TOPICS.map((topic) => topic.name), fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        await this.repository.insertMany(batch.messages.map((message) => toFlowEvent(batch.topic, batch.partition, message)));
      },
    });
    this.logger.log(`indexing the flow of ${FLOW_TOPICS.map((topic) => topic.name).join(', ')}`);
    this.pruning = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruning.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pruning);
    await this.consumer?.disconnect();
  }

  private async prune(): Promise<void> {
    try {
      const removed = await this.repository.pruneBefore(new Date(Date.now() - FLOW_RETENTION_MS));
      if (removed > 0) this.logger.log(`flow index: forgot ${removed} event(s) older than the topics' retention`);
    } catch (error) {
      this.logger.warn(`flow index: pruning failed, will try again in an hour: ${(error as Error).message}`);
    }
  }
}

export function toFlowEvent(topic: string, partition: number, message: KafkaMessage): NewFlowEvent {
  const envelope = parseEnvelope(message.value);
  const text = (value: unknown) => (typeof value === 'string' ? storableText(value) : null);
  const occurredAt = text(envelope.occurredAt);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: storableText(message.key?.toString() ?? null),
    eventId: text(envelope.eventId),
    eventType: text(envelope.type),
    eventVersion: typeof envelope.version === 'number' ? envelope.version : null,
    correlationId: text(envelope.correlationId),
    causationId: text(envelope.causationId),
    source: text(envelope.source),
    occurredAt: storableDate(occurredAt),
    timestamp: new Date(Number(message.timestamp)),
    traceId: traceIdOf(header(message.headers, 'traceparent')) ?? null,
    replayedFrom: storableText(header(message.headers, REPLAY_HEADERS.replayedFrom) ?? null),
  };
}

/** A date PostgreSQL can hold (JavaScript's reach further back than 4713 BC), else null. */
function storableDate(text: string | null): Date | null {
  const date = text === null ? null : new Date(text);
  return date && !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999 ? date : null;
}

function parseEnvelope(value: Buffer | null): Record<string, unknown> {
  try {
    const parsed = JSON.parse(value?.toString() ?? '');
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}
