import { SequenceChecker } from './sequence-checker';

describe('SequenceChecker', () => {
  it('finds nothing wrong in per-key order, even interleaved across keys', () => {
    const checker = new SequenceChecker();
    for (const [key, sequence] of [['a', 0], ['b', 0], ['a', 1], ['b', 1], ['a', 2]] as const) checker.record(key, sequence);
    expect(checker.report(new Map([['a', 3], ['b', 2]]))).toEqual({ received: 5, keys: 2, outOfOrder: 0, duplicates: 0, missing: 0 });
  });

  it('counts late arrivals, duplicates and missing events', () => {
    const checker = new SequenceChecker();
    for (const sequence of [0, 2, 1, 2, 4]) checker.record('k', sequence);
    expect(checker.report(new Map([['k', 6]]))).toEqual({ received: 5, keys: 1, outOfOrder: 1, duplicates: 1, missing: 2 });
  });
});
