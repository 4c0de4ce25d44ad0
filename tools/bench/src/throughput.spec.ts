import { median, medianRound, throughput } from './throughput';

const at = (recordsPerSec: number) => throughput(recordsPerSec, 1_000_000_000n, 512);

describe('medianRound', () => {
  it('takes the middle round and keeps every round in the order they ran', () => {
    const median = medianRound([at(300), at(100), at(200)]);
    expect(median?.recordsPerSec).toBe(200);
    expect(median?.rounds).toEqual([300, 100, 200]);
  });

  it('takes the lower middle of an even count: a fast outlier does not lift the figure', () => {
    expect(medianRound([at(100), at(900), at(200), at(300)])?.recordsPerSec).toBe(200);
  });

  it('reports one round as it is, and nothing when no round finished', () => {
    expect(medianRound([at(100)])).toEqual(at(100));
    expect(medianRound([])).toBeUndefined();
  });

  it('lists the rounds that finished when more were asked for, so a table shows the missing ones', () => {
    expect(medianRound([at(100)], 3)?.rounds).toEqual([100]);
  });
});

describe('median', () => {
  it('takes the middle value, the lower of two middles, and nothing of no values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeUndefined();
  });
});
