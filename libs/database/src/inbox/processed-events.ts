// Idempotent consumption: record an event's id in the same transaction as its effect. If the id is
// already there, the event was applied before (a redelivery or a duplicate) and must change nothing.
import { SQL, sql } from 'drizzle-orm';
import type { EventEnvelope } from '@platform/events';
import { rowsOf } from '../open-database';
import { Executor } from '../outbox/outbox-store';
import { arrayColumn } from '../array-column';

export class ProcessedEvents {
  private readonly table: ReturnType<typeof sql.raw>;

  constructor(schema: string) {
    this.table = sql.raw(`"${schema}".processed_events`);
  }

  /** True the first time an event is seen in this transaction's view; false for a repeat. */
  async markFirstSeen(tx: Executor, envelope: Pick<EventEnvelope, 'eventId' | 'type'>): Promise<boolean> {
    const result = await tx.execute(sql`
      insert into ${this.table} (event_id, event_type) values (${envelope.eventId}, ${envelope.type})
      on conflict (event_id) do nothing
      returning event_id`);
    return rowsOf(result).length === 1;
  }

  /**
   * The batch form, one statement: the ids of the events seen here for the first time. An id that
   * appears twice in `envelopes` is returned once; the caller applies its first occurrence only.
   */
  async markAllFirstSeen(tx: Executor, envelopes: Pick<EventEnvelope, 'eventId' | 'type'>[]): Promise<Set<string>> {
    if (envelopes.length === 0) return new Set();
    const result = await tx.execute(this.firstSeenStatement(envelopes));
    return new Set(rowsOf<{ event_id: string }>(result).map((row) => row.event_id));
  }

  /**
   * markAllFirstSeen as a statement returning `event_id` of the first-seen events, for a caller that
   * runs it inside a larger one (WITH … AS (statement)) to save a round trip. `envelopes` not empty.
   * `after`: a condition evaluated before anything is recorded, to make the statement take the
   * larger one's other locks first (a subquery over them).
   */
  firstSeenStatement(envelopes: Pick<EventEnvelope, 'eventId' | 'type'>[], after?: SQL): SQL {
    return sql`${this.insertAll(envelopes)} ${after ? sql`where ${after} ` : sql``}on conflict (event_id) do nothing returning event_id`;
  }

  /**
   * A statement that records every event as processed if `onlyIf` holds, for a caller that expects
   * them all to be new: one that was applied before, or appears twice, fails the whole statement with
   * a unique violation (isAlreadyProcessedError) instead of being skipped. For a statement without a
   * transaction around it, whose other parts must then not happen either. `envelopes` not empty.
   */
  recordAllNewStatement(envelopes: Pick<EventEnvelope, 'eventId' | 'type'>[], onlyIf: SQL): SQL {
    return sql`${this.insertAll(envelopes)} where ${onlyIf}`;
  }

  /** `insert … select` of the events' ids and types, for the statements above to finish. */
  private insertAll(envelopes: Pick<EventEnvelope, 'eventId' | 'type'>[]): SQL {
    // Array parameters (unnest): the same small statement whatever the batch size (arrayColumn).
    const ids = arrayColumn(envelopes, (envelope) => envelope.eventId);
    const types = arrayColumn(envelopes, (envelope) => envelope.type);
    return sql`insert into ${this.table} (event_id, event_type) select * from unnest(${ids}::uuid[], ${types}::text[])`;
  }
}

/** PostgreSQL's unique_violation on processed_events (recordAllNewStatement), on the error or one it wraps. */
export function isAlreadyProcessedError(error: unknown): boolean {
  // Drizzle wraps the driver's error (cause); the driver's names the constraint where it can.
  for (let current = error as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
    if (current.code === '23505') return current.constraint === undefined || current.constraint === 'processed_events_pkey';
    current = current.cause as typeof current;
  }
  return false;
}
