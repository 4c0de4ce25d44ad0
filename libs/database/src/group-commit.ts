// Group commit: calls that arrive while the previous run is busy, or in the same turn of the event
// loop, are applied together in one run (one transaction) instead of one transaction each. A Kafka
// consumer handles its partitions in parallel, and their batches would otherwise queue on the same
// rows' locks and pay the database's round trips three times over; together they pay once.
//
// Each caller still gets exactly the outcome it would have had alone: results are handed back per
// caller, and when a joint run fails, every caller's part is run again on its own, so one caller's
// bad input fails that caller only (its retries and dead letters stay its own). The work must
// therefore be all-or-nothing (a transaction) and idempotent for a part that is run again.
//
// One run at a time by default: runs that touch the same rows (stock) would only queue on each
// other's locks. Work whose runs never share rows (new orders) may allow a second run while the first
// waits for its commit, so a call that arrives then is not held for a whole commit first.

interface Waiting<I, O> {
  items: I[];
  resolve(results: O[]): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Runs allowed at the same time (default 1). More than one only for runs that never share rows. */
  maxRuns?: number;
}

export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private runs = 0;
  private starting = false;
  private readonly maxRuns: number;

  /** `apply` takes every item of the run and returns one result per item, in the same order. */
  constructor(
    private readonly apply: (items: I[]) => Promise<O[]>,
    options: GroupCommitOptions = {},
  ) {
    const maxRuns = options.maxRuns ?? 1;
    if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new RangeError(`GroupCommit maxRuns must be a whole number from 1, got ${maxRuns}`);
    this.maxRuns = maxRuns;
  }

  /** The results of `items`, applied with whatever else arrives meanwhile. */
  submit(items: I[]): Promise<O[]> {
    return new Promise<O[]>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (this.starting || this.runs >= this.maxRuns) return;
      // setImmediate: the other partitions' calls of the same fetch arrive in this turn; they join.
      this.starting = true;
      setImmediate(() => {
        this.starting = false;
        this.startRun();
      });
    });
  }

  /** Starts a run of everything waiting now, if a run is free; the end of each run starts the next. */
  private startRun(): void {
    if (this.runs >= this.maxRuns || this.waiting.length === 0) return;
    const group = this.waiting.splice(0);
    this.runs++;
    void this.runGroup(group).then(() => {
      this.runs--;
      this.startRun();
    });
  }

  private async runGroup(group: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.apply(group.flatMap((caller) => caller.items));
      let offset = 0;
      for (const caller of group) {
        caller.resolve(results.slice(offset, offset + caller.items.length));
        offset += caller.items.length;
      }
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      // Nothing of the joint run was applied: find whose part fails by running each alone.
      for (const caller of group) await this.runGroup([caller]);
    }
  }
}
