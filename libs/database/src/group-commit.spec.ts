// Group commit without a database: who is run together, who gets which results, and that one
// caller's failing part fails that caller only.
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('runs calls of the same turn together and gives each caller its own results', async () => {
    const runs: number[][] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      runs.push(items);
      return items.map((item) => item * 10);
    });

    const [a, b, c] = await Promise.all([group.submit([1, 2]), group.submit([3]), group.submit([4, 5, 6])]);

    expect(runs).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect([a, b, c]).toEqual([[10, 20], [30], [40, 50, 60]]);
  });

  it('gathers the calls that arrive while a run is busy into the next run', async () => {
    const runs: number[][] = [];
    let finishFirst: () => void = () => undefined;
    const group = new GroupCommit<number, number>(async (items) => {
      runs.push(items);
      if (runs.length === 1) await new Promise<void>((done) => (finishFirst = done));
      return items;
    });

    const first = group.submit([1]);
    await new Promise((done) => setImmediate(done));
    const later = [group.submit([2]), group.submit([3])];
    finishFirst();
    await Promise.all([first, ...later]);

    expect(runs).toEqual([[1], [2, 3]]);
  });

  it('with maxRuns 2, starts a second run while the first is busy, and gathers later calls for the first run to finish', async () => {
    const runs: number[][] = [];
    const finish: Array<() => void> = [];
    const group = new GroupCommit<number, number>(
      async (items) => {
        runs.push(items);
        await new Promise<void>((done) => finish.push(done));
        return items;
      },
      { maxRuns: 2 },
    );
    const turn = () => new Promise((done) => setImmediate(done));

    const first = group.submit([1]);
    await turn();
    const second = group.submit([2]);
    await turn();
    expect(runs).toEqual([[1], [2]]); // both busy at once
    const later = [group.submit([3]), group.submit([4])];
    await turn();
    expect(runs).toHaveLength(2); // no third run while two are busy
    finish[0]();
    await first;
    await turn();
    expect(runs).toEqual([[1], [2], [3, 4]]);
    finish[1]();
    finish[2]();
    expect(await Promise.all([second, ...later])).toEqual([[2], [3], [4]]);
  });

  it('refuses a maxRuns that is not a whole number from 1', () => {
    for (const maxRuns of [0, 1.5, Number.NaN]) expect(() => new GroupCommit(async (items) => items, { maxRuns })).toThrow(RangeError);
  });

  it('when a joint run fails, runs each caller alone: only the caller whose part fails gets the error', async () => {
    const runs: string[][] = [];
    const group = new GroupCommit<string, string>(async (items) => {
      runs.push(items);
      if (items.includes('poison')) throw new Error('constraint violated');
      return items.map((item) => item.toUpperCase());
    });

    const results = await Promise.allSettled([group.submit(['a']), group.submit(['b', 'poison']), group.submit(['c'])]);

    expect(results).toEqual([
      { status: 'fulfilled', value: ['A'] },
      { status: 'rejected', reason: new Error('constraint violated') },
      { status: 'fulfilled', value: ['C'] },
    ]);
    expect(runs).toEqual([['a', 'b', 'poison', 'c'], ['a'], ['b', 'poison'], ['c']]);
  });
});
