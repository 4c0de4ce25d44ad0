// Reads and writes a service's outbox. Rows are claimed with a short lease (FOR UPDATE SKIP LOCKED
// inside one short statement), published outside any transaction, then deleted. A relay that dies
// mid-publish leaves its lease to expire and the rows are published again: at-least-once, never lost.
import { SQL, sql } from 'drizzle-orm';
import type { EventEnvelope } from '@platform/events';
import { traceHeaders } from '@platform/observability';
import { Database, rowsOf } from '../open-database';
import { arrayColumn } from '../array-column';

export interface OutboxMessage {
  topic: string;
  key: string;
  envelope: EventEnvelope;
  headers?: Record<string, string>;
}

export interface ClaimedOutboxRow extends OutboxMessage {
  id: string;
  attempts: number;
}

export interface AddOptions {
  /** Write the rows claimed for this long, for OutboxRelay.handOver (its handOverLeaseMs). */
  handOverLeaseMs?: number;
  /** insertStatement only: a boolean SQL condition; when it is false the statement inserts nothing. */
  onlyIf?: SQL;
}

/** Anything that can run a statement: the database itself or an open transaction. */
export type Executor = Pick<Database, 'execute'>;

export class OutboxStore {
  private readonly table: ReturnType<typeof sql.raw>;

  constructor(
    private readonly db: Database,
    schema: string,
  ) {
    this.table = sql.raw(`"${schema}".outbox`);
  }

  /**
   * Adds a message inside the caller's transaction, so it commits or rolls back with the change. The
   * current trace context (`traceparent`) goes with it: the event continues the trace of what caused it.
   */
  add(tx: Executor, message: OutboxMessage, options: AddOptions = {}): Promise<ClaimedOutboxRow[]> {
    return this.addAll(tx, [message], options);
  }

  /**
   * The batch form of add: one insert for all the messages, in their order. Returns the rows with
   * their ids; written with `handOverLeaseMs` they are claimed for that long, for the caller to give
   * to its relay (OutboxRelay.handOver) once committed: no other relay takes them meanwhile.
   */
  async addAll(tx: Executor, messages: OutboxMessage[], options: AddOptions = {}): Promise<ClaimedOutboxRow[]> {
    if (messages.length === 0) return [];
    const insert = this.insertStatement(messages, options);
    return insert.rowsFrom(await tx.execute(insert.statement));
  }

  /**
   * addAll as a statement, for a caller that runs it together with its own (WITH … AS (…) insert …)
   * to save a round trip; `rowsFrom` reads the rows out of that statement's result. `messages` not empty.
   */
  insertStatement(messages: OutboxMessage[], { handOverLeaseMs, onlyIf }: AddOptions = {}): { statement: SQL; rowsFrom(result: unknown): ClaimedOutboxRow[] } {
    const current = traceHeaders();
    // A message that brings its own trace context (one of a batch, each from its own cause) keeps it.
    const withHeaders = messages.map((message) => ({ ...message, headers: { ...(message.headers?.traceparent ? {} : current), ...message.headers } }));
    const claim = handOverLeaseMs === undefined ? sql`null::timestamptz, 0` : sql`now() + (${handOverLeaseMs} * interval '1 millisecond'), 1`;
    // One array parameter per column (unnest), not one parameter per value: the statement's text and
    // parse tree stay the same size whatever the batch, where a VALUES list of 500 rows made PostgreSQL
    // parse, plan and copy thousands of parameters (a fifth of its time went to page faults for that).
    const statement = sql`
      insert into ${this.table} (topic, message_key, envelope, headers, claimed_until, attempts)
      select topic, message_key, envelope, headers, ${claim}
      from unnest(${arrayColumn(withHeaders, (m) => m.topic)}::text[], ${arrayColumn(withHeaders, (m) => m.key)}::text[],
                  ${arrayColumn(withHeaders, (m) => JSON.stringify(m.envelope))}::jsonb[], ${arrayColumn(withHeaders, (m) => JSON.stringify(m.headers))}::jsonb[])
           with ordinality as message(topic, message_key, envelope, headers, position)
      ${onlyIf ? sql`where ${onlyIf}` : sql``}
      order by position
      returning id, envelope->>'eventId' as event_id`;
    const rowsFrom = (result: unknown): ClaimedOutboxRow[] => {
      // RETURNING's order is not promised: match the ids by the envelopes' (unique) eventIds.
      const ids = new Map(rowsOf<{ id: unknown; event_id: string }>(result).map((row) => [row.event_id, String(row.id)]));
      return withHeaders.map((message) => ({ ...message, id: ids.get(message.envelope.eventId) as string, attempts: handOverLeaseMs === undefined ? 0 : 1 }));
    };
    return { statement, rowsFrom };
  }

  /** Claims up to `limit` unclaimed (or lease-expired) rows, oldest first. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedOutboxRow[]> {
    const result = await this.db.execute(sql`
      update ${this.table} set claimed_until = now() + (${leaseMs} * interval '1 millisecond'),
                               attempts = attempts + 1
      where id in (
        select id from ${this.table}
        where claimed_until is null or claimed_until < now()
        order by id limit ${limit}
        for update skip locked)
      returning id, topic, message_key, envelope, headers, attempts`);
    return rowsOf(result)
      .map((row) => ({
        id: String(row.id),
        topic: row.topic as string,
        key: row.message_key as string,
        envelope: parseJson(row.envelope) as EventEnvelope,
        headers: parseJson(row.headers) as Record<string, string>,
        attempts: Number(row.attempts),
      }))
      .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(sql`delete from ${this.table} where id = any(${sql.param(ids)}::bigint[])`);
  }

  /** Gives claimed rows back at once after a failed publish, keeping the error for operators. */
  async release(ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(sql`
      update ${this.table} set claimed_until = null, last_error = ${error.slice(0, 1000)}
      where id = any(${sql.param(ids)}::bigint[])`);
  }

  async backlog(): Promise<number> {
    const result = await this.db.execute(sql`select count(*)::int as n from ${this.table}`);
    return Number(rowsOf<{ n: number }>(result)[0].n);
  }
}

/** node-postgres returns jsonb parsed; PGlite too, but raw text is tolerated for safety. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
