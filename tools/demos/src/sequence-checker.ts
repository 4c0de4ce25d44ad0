// Counts ordering violations per key: each key's events carry sequence numbers 0, 1, 2, … in the
// order they were produced; an arrival lower than the highest seen so far is out of order, a repeat is
// a duplicate, a jump is a gap (a loss if it never fills).
export interface OrderingReport {
  received: number;
  keys: number;
  outOfOrder: number;
  duplicates: number;
  /** Expected sequence numbers still missing at the end. */
  missing: number;
}

export class SequenceChecker {
  private readonly highest = new Map<string, number>();
  private readonly seen = new Map<string, Set<number>>();
  private received = 0;
  private outOfOrder = 0;
  private duplicates = 0;

  record(key: string, sequence: number): void {
    this.received++;
    const seen = this.seen.get(key) ?? new Set<number>();
    this.seen.set(key, seen);
    if (seen.has(sequence)) {
      this.duplicates++;
      return;
    }
    seen.add(sequence);
    const highest = this.highest.get(key) ?? -1;
    if (sequence < highest) this.outOfOrder++;
    else this.highest.set(key, sequence);
  }

  report(expectedPerKey?: Map<string, number>): OrderingReport {
    let missing = 0;
    for (const [key, count] of expectedPerKey ?? new Map()) missing += count - (this.seen.get(key)?.size ?? 0);
    return { received: this.received, keys: this.seen.size, outOfOrder: this.outOfOrder, duplicates: this.duplicates, missing };
  }
}
