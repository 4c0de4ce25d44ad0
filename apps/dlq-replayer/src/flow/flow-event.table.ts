// Drizzle's view of the flow index (created by dlq-replayer.migrations.ts): one row per message read
// from the registry's event topics, with the envelope fields a trace needs.
import { bigint, integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { DLQ_REPLAYER_SCHEMA } from '../dead-letters/dead-letter.tables';

export const flowEvents = pgSchema(DLQ_REPLAYER_SCHEMA).table('flow_events', {
  topic: text('topic').notNull(),
  partition: integer('partition').notNull(),
  offset: bigint('offset', { mode: 'number' }).notNull(),
  key: text('message_key'),
  eventId: text('event_id'),
  eventType: text('event_type'),
  eventVersion: integer('event_version'),
  correlationId: text('correlation_id'),
  causationId: text('causation_id'),
  source: text('source'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }),
  timestamp: timestamp('message_timestamp', { withTimezone: true }).notNull(),
  traceId: text('trace_id'),
  /** x-replayed-from of a replayed message: the dead letter it came from. */
  replayedFrom: text('replayed_from'),
});

export type FlowEventRow = typeof flowEvents.$inferSelect;
export type NewFlowEvent = typeof flowEvents.$inferInsert;
