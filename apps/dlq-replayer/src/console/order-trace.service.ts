// "Trace an order": every event about one order across topics, in time order, with who produced it,
// where it sits (topic, partition, offset), and what became of it in each consumer group the registry
// names for its topic: processed (the group's committed offset is past it), pending, or dead-lettered
// (with the dead letter's state: open, replayed, resolved). Replayed messages appear as events of
// their own, marked with the dead letter they came from.
import { Injectable } from '@nestjs/common';
import { findTopic } from '@platform/events';
import { DLT_HEADERS } from '@platform/messaging';
import { ShownDeadLetterRow } from '../dead-letters/dead-letter.tables';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { FlowEventRow } from '../flow/flow-event.table';
import { FlowEventsRepository } from '../flow/flow-events.repository';
import { ClusterService } from './cluster.service';

export type ConsumerOutcome = 'processed' | 'pending' | 'dead-lettered';

export interface TracedConsumer {
  group: string;
  strategy: string;
  outcome: ConsumerOutcome;
  deadLetter?: { dlqTopic: string; partition: number; offset: number; status: string; exception: string | null };
}

export interface TracedEvent {
  kind: 'event';
  at: string;
  topic: string;
  partition: number;
  offset: number;
  eventType: string | null;
  version: number | null;
  eventId: string | null;
  causationId: string | null;
  producer: string | null;
  traceId: string | null;
  replayedFrom: string | null;
  consumers: TracedConsumer[];
}

export interface TracedDeadLetter {
  kind: 'dead-letter';
  at: string;
  dlqTopic: string;
  partition: number;
  offset: number;
  original: { topic: string | null; partition: number | null; offset: number | null };
  group: string | null;
  exception: string | null;
  exceptionMessage: string | null;
  status: string;
  replayCount: number;
}

export interface OrderTrace {
  orderId: string;
  traceIds: string[];
  entries: (TracedEvent | TracedDeadLetter)[];
}

@Injectable()
export class OrderTraceService {
  constructor(
    private readonly flow: FlowEventsRepository,
    private readonly letters: DeadLettersRepository,
    private readonly cluster: ClusterService,
  ) {}

  async trace(orderId: string): Promise<OrderTrace> {
    const [events, deadLetters] = await Promise.all([this.flow.byOrder(orderId), this.letters.byKey(orderId)]);
    const committed = new Map<string, Promise<Map<number, number>>>();
    const committedOf = (group: string, topic: string) => {
      const key = `${group}\u0000${topic}`;
      if (!committed.has(key)) committed.set(key, this.cluster.committedOffsets(group, topic).catch(() => new Map<number, number>()));
      return committed.get(key) as Promise<Map<number, number>>;
    };
    const traced = await Promise.all(events.map((event) => this.traceEvent(event, deadLetters, committedOf)));
    const entries = [...traced, ...deadLetters.map(toTracedDeadLetter)].sort((a, b) => a.at.localeCompare(b.at));
    const traceIds = [...new Set(events.map((event) => event.traceId).filter((id): id is string => Boolean(id)))];
    return { orderId, traceIds, entries };
  }

  private async traceEvent(
    event: FlowEventRow,
    deadLetters: ShownDeadLetterRow[],
    committedOf: (group: string, topic: string) => Promise<Map<number, number>>,
  ): Promise<TracedEvent> {
    const groups = findTopic(event.topic)?.consumerGroups ?? [];
    const consumers = await Promise.all(
      groups.map(async ({ group, strategy }): Promise<TracedConsumer> => {
        const letter = deadLetters.find(
          (row) =>
            row.originalTopic === event.topic &&
            row.headers[DLT_HEADERS.originalPartition] === String(event.partition) &&
            row.headers[DLT_HEADERS.originalOffset] === String(event.offset) &&
            row.headers[DLT_HEADERS.originalConsumerGroup] === group,
        );
        if (letter) {
          return {
            group,
            strategy,
            outcome: 'dead-lettered',
            deadLetter: { dlqTopic: letter.dlqTopic, partition: letter.partition, offset: letter.offset, status: letter.status, exception: letter.exceptionFqcn },
          };
        }
        const next = (await committedOf(group, event.topic)).get(event.partition) ?? -1;
        return { group, strategy, outcome: next > event.offset ? 'processed' : 'pending' };
      }),
    );
    return {
      kind: 'event',
      at: event.timestamp.toISOString(),
      topic: event.topic,
      partition: event.partition,
      offset: event.offset,
      eventType: event.eventType,
      version: event.eventVersion,
      eventId: event.eventId,
      causationId: event.causationId,
      producer: event.source,
      traceId: event.traceId,
      replayedFrom: event.replayedFrom,
      consumers,
    };
  }
}

function toTracedDeadLetter(row: ShownDeadLetterRow): TracedDeadLetter {
  const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));
  return {
    kind: 'dead-letter',
    at: row.timestamp.toISOString(),
    dlqTopic: row.dlqTopic,
    partition: row.partition,
    offset: row.offset,
    original: { topic: row.originalTopic, partition: number(row.headers[DLT_HEADERS.originalPartition]), offset: number(row.headers[DLT_HEADERS.originalOffset]) },
    group: row.headers[DLT_HEADERS.originalConsumerGroup] ?? null,
    exception: row.exceptionFqcn,
    exceptionMessage: row.exceptionMessage,
    status: row.status,
    replayCount: row.replayCount,
  };
}
