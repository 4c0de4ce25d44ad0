// The dead-letter index: what the indexer read from the DLQ topics, and each letter's state. Listing,
// counting and selecting are SQL over this index, so they never rescan Kafka.
import { BadRequestException, Injectable } from '@nestjs/common';
import { ServiceDatabase } from '@platform/database';
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, or, SQL, sql } from 'drizzle-orm';
import { DeadLetterFilter } from './dead-letter-filter';
import { DeadLetterRow, deadLetters, DeadLetterStatus, NewDeadLetter, ShownDeadLetterRow } from './dead-letter.tables';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TopicSummary {
  messages: number;
  byStatus: Record<DeadLetterStatus, number>;
  /** Over active (not resolved) letters. */
  byException: Record<string, number>;
  byOriginalTopic: Record<string, number>;
}

const SELECTION_LIMIT = 10_000;

/**
 * A listed letter carries the first LIST_VALUE_PREVIEW_BYTES of its value: a dead letter may be as
 * large as its topic accepts (2 MiB), and the console lists up to 200 of them every few seconds.
 * A multiple of 3, so the preview is whole base64 groups.
 */
export const LIST_VALUE_PREVIEW_BYTES = 12 * 1024;
const PREVIEW_BASE64_CHARS = (LIST_VALUE_PREVIEW_BYTES / 3) * 4;

/** A row of a list: `valueBase64` holds at most the preview; `valueBytes` the whole value's size. */
export type ListedDeadLetterRow = ShownDeadLetterRow & { valueBytes: number | null };

/**
 * A letter a replay or resolve selected: everything but its value, read one at a time as it is sent,
 * and the value's size (a dry run weighs the record against the target topic's limit).
 */
export type SelectedDeadLetter = Omit<DeadLetterRow, 'valueBase64'> & { valueBytes: number | null };
const { valueBase64: _value, ...COLUMNS_BUT_VALUE } = getTableColumns(deadLetters);
/** What is shown of a letter: not the key's and headers' bytes, which only a replay sends. */
const { keyBase64: _key, headersBase64: _headers, ...SHOWN_COLUMNS } = getTableColumns(deadLetters);

/** The value's decoded size, from the base64 text's length and its padding: the value is not read. */
const VALUE_BYTES = sql<number | null>`(length(${deadLetters.valueBase64}) / 4 * 3 - length(${deadLetters.valueBase64}) + length(rtrim(${deadLetters.valueBase64}, '=')))::int`;

@Injectable()
export class DeadLettersRepository {
  constructor(private readonly database: ServiceDatabase) {}

  private get db() {
    return this.database.db;
  }

  /** Idempotent: the indexer may see a message twice after a restart. */
  async insert(letter: NewDeadLetter): Promise<void> {
    await this.db.insert(deadLetters).values(letter).onConflictDoNothing();
  }

  /** Every dead letter of one message key (an orderId), across DLQ topics, oldest first. */
  async byKey(key: string): Promise<ShownDeadLetterRow[]> {
    return this.db.select(SHOWN_COLUMNS).from(deadLetters).where(eq(deadLetters.key, key)).orderBy(deadLetters.seq).limit(200);
  }

  async find(dlqTopic: string, partition: number, offset: number): Promise<ShownDeadLetterRow | undefined> {
    const [row] = await this.db
      .select(SHOWN_COLUMNS)
      .from(deadLetters)
      .where(and(eq(deadLetters.dlqTopic, dlqTopic), eq(deadLetters.partition, partition), eq(deadLetters.offset, offset)));
    return row;
  }

  /** A page of letters, each value cut to its preview; for a summary, to nothing (its size stays). */
  async list(
    dlqTopic: string,
    filter: DeadLetterFilter,
    page: { limit: number; cursor?: string; order: 'newest' | 'oldest'; summary?: boolean },
  ): Promise<Page<ListedDeadLetterRow>> {
    const newest = page.order === 'newest';
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const previewChars = page.summary ? 0 : PREVIEW_BASE64_CHARS;
    const rows = await this.db
      .select({
        ...SHOWN_COLUMNS,
        valueBase64: sql<string | null>`left(${deadLetters.valueBase64}, ${sql.raw(String(previewChars))})`,
        valueBytes: VALUE_BYTES,
      })
      .from(deadLetters)
      .where(and(...this.conditions(dlqTopic, filter), after === undefined ? undefined : newest ? lt(deadLetters.seq, after) : gt(deadLetters.seq, after)))
      .orderBy(newest ? desc(deadLetters.seq) : asc(deadLetters.seq))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1].seq) : null };
  }

  /**
   * Every letter a replay or resolve selection names, oldest first (replays keep the original order),
   * without values: up to 10,000 letters of up to 2 MiB each would not fit in memory together.
   */
  async select(dlqTopic: string, filter: DeadLetterFilter, pairs?: [number, number][]): Promise<SelectedDeadLetter[]> {
    const byPairs = pairs?.length
      ? or(...pairs.map(([partition, offset]) => and(eq(deadLetters.partition, partition), eq(deadLetters.offset, offset))))
      : undefined;
    const conditions = byPairs ? [eq(deadLetters.dlqTopic, dlqTopic), byPairs] : this.conditions(dlqTopic, filter);
    return this.db.select({ ...COLUMNS_BUT_VALUE, valueBytes: VALUE_BYTES }).from(deadLetters).where(and(...conditions)).orderBy(asc(deadLetters.seq)).limit(SELECTION_LIMIT);
  }

  /** The value of one selected letter, as it is replayed (null: a message without a value). */
  async valueOf(letter: Pick<DeadLetterRow, 'dlqTopic' | 'partition' | 'offset'>): Promise<Buffer | null> {
    const [row] = await this.db
      .select({ valueBase64: deadLetters.valueBase64 })
      .from(deadLetters)
      .where(and(eq(deadLetters.dlqTopic, letter.dlqTopic), eq(deadLetters.partition, letter.partition), eq(deadLetters.offset, letter.offset)));
    if (!row) throw new Error(`dead letter ${letter.dlqTopic}/${letter.partition}/${letter.offset} is not in the index`);
    return row.valueBase64 === null ? null : Buffer.from(row.valueBase64, 'base64');
  }

  async summary(dlqTopic: string): Promise<TopicSummary> {
    const rows = await this.db
      .select({
        status: deadLetters.status,
        exception: deadLetters.exceptionFqcn,
        originalTopic: deadLetters.originalTopic,
        count: sql<number>`count(*)::int`,
      })
      .from(deadLetters)
      .where(eq(deadLetters.dlqTopic, dlqTopic))
      .groupBy(deadLetters.status, deadLetters.exceptionFqcn, deadLetters.originalTopic);
    const summary: TopicSummary = { messages: 0, byStatus: { open: 0, replayed: 0, resolved: 0 }, byException: {}, byOriginalTopic: {} };
    for (const row of rows) {
      const count = Number(row.count);
      summary.messages += count;
      summary.byStatus[row.status] += count;
      if (row.status === 'resolved') continue;
      const exception = row.exception ?? 'unknown';
      const originalTopic = row.originalTopic ?? 'unknown';
      summary.byException[exception] = (summary.byException[exception] ?? 0) + count;
      summary.byOriginalTopic[originalTopic] = (summary.byOriginalTopic[originalTopic] ?? 0) + count;
    }
    return summary;
  }

  async markReplayed(row: SelectedDeadLetter, replayId: string): Promise<void> {
    await this.db
      .update(deadLetters)
      .set({ status: 'replayed', lastReplayId: replayId, replayedAt: new Date() })
      .where(and(eq(deadLetters.dlqTopic, row.dlqTopic), eq(deadLetters.partition, row.partition), eq(deadLetters.offset, row.offset)));
  }

  async markResolved(rows: SelectedDeadLetter[]): Promise<number> {
    if (rows.length === 0) return 0;
    const updated = await this.db
      .update(deadLetters)
      .set({ status: 'resolved', resolvedAt: new Date() })
      .where(and(inArray(deadLetters.seq, rows.map((row) => row.seq)), sql`${deadLetters.status} <> 'resolved'`))
      .returning({ seq: deadLetters.seq });
    return updated.length;
  }

  private conditions(dlqTopic: string, filter: DeadLetterFilter): (SQL | undefined)[] {
    const status = filter.status ?? 'active';
    return [
      eq(deadLetters.dlqTopic, dlqTopic),
      status === 'all' ? undefined : status === 'active' ? inArray(deadLetters.status, ['open', 'replayed']) : eq(deadLetters.status, status),
      filter.originalTopic ? eq(deadLetters.originalTopic, filter.originalTopic) : undefined,
      filter.exception ? eq(deadLetters.exceptionFqcn, filter.exception) : undefined,
      filter.key ? eq(deadLetters.key, filter.key) : undefined,
      filter.from ? gte(deadLetters.timestamp, new Date(filter.from)) : undefined,
      filter.to ? lt(deadLetters.timestamp, new Date(filter.to)) : undefined,
    ];
  }
}

function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(seq)) throw new BadRequestException(['cursor is not one this API returned']);
  return seq;
}
