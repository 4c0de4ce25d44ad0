// Drizzle's view of dlq-replayer's tables (created by dlq-replayer.migrations.ts).
import { bigint, bigserial, boolean, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const DLQ_REPLAYER_SCHEMA = 'dlq_replayer';
const schema = pgSchema(DLQ_REPLAYER_SCHEMA);

export type DeadLetterStatus = 'open' | 'replayed' | 'resolved';

/** One header of a record as its bytes: [name, value], both base64 (a name may hold NUL too); a null value stays null. */
export type ExactHeader = [nameBase64: string, valueBase64: string | null];

export const deadLetters = schema.table('dead_letters', {
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  dlqTopic: text('dlq_topic').notNull(),
  partition: integer('partition').notNull(),
  offset: bigint('offset', { mode: 'number' }).notNull(),
  key: text('message_key'),
  /** The key's bytes; null when it had none, or for a letter indexed before the column existed. */
  keyBase64: text('key_base64'),
  valueBase64: text('value_base64'),
  headers: jsonb('headers').$type<Record<string, string>>().notNull(),
  /**
   * The headers a replay sends, values as their bytes (base64), names as kafkajs decodes them (UTF-8),
   * a repeated name's values together; the dead-letter headers, which a replay drops, are not kept.
   */
  headersBase64: jsonb('headers_base64').$type<ExactHeader[]>(),
  timestamp: timestamp('message_timestamp', { withTimezone: true }).notNull(),
  originalTopic: text('original_topic'),
  exceptionFqcn: text('exception_fqcn'),
  exceptionMessage: text('exception_message'),
  replayCount: integer('replay_count').notNull().default(0),
  status: text('status').$type<DeadLetterStatus>().notNull().default('open'),
  lastReplayId: uuid('last_replay_id'),
  replayedAt: timestamp('replayed_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
});

export type DeadLetterRow = typeof deadLetters.$inferSelect;
/** A letter as the API, the console and the trace show it: the exact bytes are for replays only. */
export type ShownDeadLetterRow = Omit<DeadLetterRow, 'keyBase64' | 'headersBase64'>;
export type NewDeadLetter = typeof deadLetters.$inferInsert;

export const auditLog = schema.table('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(),
  action: text('action').$type<'replay' | 'resolve'>().notNull(),
  dlqTopic: text('dlq_topic').notNull(),
  request: jsonb('request').notNull(),
  dryRun: boolean('dry_run').notNull(),
  result: jsonb('result').notNull(),
});

export type AuditRow = typeof auditLog.$inferSelect;
