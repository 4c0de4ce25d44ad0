// One throughput figure, measured the same way for every client: records over seconds. A consumer's
// clock starts once it has joined its group (kafkajs's run() and Nest's listen() return after the join
// and sync) and stops at the last record; the join is reported apart, as startupMs, as ConsumerPerformance
// reports its fetch rate apart from its rebalance time. (Timing from the first record instead would
// flatter eachBatch, whose first call already carries a whole fetch.)
export interface Throughput {
  records: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Consumers: from connect until the group was joined and the consumer was running. */
  startupMs?: number;
  /** Producers that await each send: the mean time per send. */
  avgSendMs?: number;
  /** Measured in rounds: records/s of every round, in the order they ran (this figure is their median). */
  rounds?: number[];
}

/**
 * The round with the median records/s (the lower middle of an even count), carrying every finished
 * round's records/s when more than one was asked for (so a table shows when fewer finished): one fast
 * or slow moment of a shared machine does not decide the figure. Undefined if no round finished.
 */
export function medianRound(results: Throughput[], asked = results.length): Throughput | undefined {
  if (results.length === 0) return undefined;
  const median = [...results].sort((a, b) => a.recordsPerSec - b.recordsPerSec)[Math.floor((results.length - 1) / 2)];
  return asked > 1 ? { ...median, rounds: results.map((result) => result.recordsPerSec) } : median;
}

/** The median (lower middle of an even count), or undefined for no values. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
}

export function throughput(records: number, nanoseconds: bigint, recordSize: number, extra: Partial<Throughput> = {}): Throughput {
  const seconds = Math.max(Number(nanoseconds) / 1e9, 1e-9);
  return {
    records,
    seconds: round(seconds, 3),
    recordsPerSec: round(records / seconds, 1),
    mbPerSec: round((records * recordSize) / seconds / 2 ** 20, 2),
    ...extra,
  };
}

/** Counts records until `expected` and resolves then; times in process.hrtime nanoseconds. */
export class RecordCounter {
  count = 0;
  firstAt?: bigint;
  lastAt?: bigint;
  private readyAt?: bigint;
  private done!: () => void;
  readonly complete = new Promise<void>((resolve) => (this.done = resolve));

  constructor(readonly expected: number) {}

  add(records: number): void {
    if (records <= 0) return;
    const now = process.hrtime.bigint();
    this.firstAt ??= now;
    this.count += records;
    if (this.count >= this.expected && this.lastAt === undefined) {
      this.lastAt = now;
      this.done();
    }
  }

  /** The consumer has joined and runs: the clock starts (or at the first record, if that came earlier). */
  ready(): void {
    this.readyAt ??= process.hrtime.bigint();
  }

  result(recordSize: number, connectAt: bigint): Throughput {
    if (this.firstAt === undefined || this.lastAt === undefined) throw new Error(`only ${this.count} of ${this.expected} records arrived`);
    const readyAt = this.readyAt ?? this.firstAt;
    const startAt = readyAt < this.firstAt ? readyAt : this.firstAt;
    return throughput(this.count, this.lastAt - startAt, recordSize, { startupMs: round(Number(readyAt - connectAt) / 1e6, 0) });
  }
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
