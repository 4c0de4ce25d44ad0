import { BenchUsageError, parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  it('defaults to 200,000 records of 512 B, a twentieth of them one per send, into docs/bench/baselines.{json,md}', () => {
    expect(parseBenchOptions([], '/repo')).toEqual({
      records: 200_000,
      recordSize: 512,
      onePerSendRecords: 10_000,
      latencyRecords: 10_000,
      batchSize: 1_000,
      rounds: 3,
      quick: false,
      waitForQuiet: false,
      outDir: '/repo/docs/bench',
      name: 'baselines',
    });
  });

  it('--name names the files, and only as a plain file name', () => {
    expect(parseBenchOptions(['--name', 'targets-baselines'], '/repo')).toMatchObject({ name: 'targets-baselines' });
    expect(() => parseBenchOptions(['--name', '../x'], '/repo')).toThrow('--name must be a plain file name');
  });

  it('--quick uses small counts and never overwrites the committed baselines', () => {
    const quick = parseBenchOptions(['--quick'], '/repo');
    expect(quick).toMatchObject({ records: 5_000, onePerSendRecords: 250, latencyRecords: 500, rounds: 1, outDir: '/repo/.local/bench' });
    expect(parseBenchOptions(['--quick', '--records', '1000', '--out', 'x'], '/repo')).toMatchObject({ records: 1000, onePerSendRecords: 50, outDir: 'x' });
  });

  it('refuses unknown arguments and bad numbers in one line', () => {
    expect(() => parseBenchOptions(['--recods', '5'], '/repo')).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--records', 'many'], '/repo')).toThrow('--records must be an integer of at least 100, got "many"');
    expect(() => parseBenchOptions(['--record-size'], '/repo')).toThrow('--record-size needs a value');
  });
});
