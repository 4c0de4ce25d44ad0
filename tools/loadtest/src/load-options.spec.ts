import { parseLoadOptions } from './load-options';

describe('parseLoadOptions', () => {
  it('has defaults and a name that says what ran', () => {
    expect(parseLoadOptions([])).toMatchObject({ orders: 10_000, rate: 500, mode: 'http', partitions: 3, consumers: 1, name: 'loadtest-http-10000-at-500-p3-c1' });
  });

  it('reads every option', () => {
    expect(parseLoadOptions(['--orders', '100000', '--rate', '2000', '--mode', 'events', '--partitions', '6', '--consumers', '2', '--name', 'x1'])).toMatchObject({
      orders: 100_000,
      rate: 2000,
      mode: 'events',
      partitions: 6,
      consumers: 2,
      name: 'x1',
    });
  });

  it('refuses nonsense in one line', () => {
    expect(() => parseLoadOptions(['--rate', 'fast'])).toThrow('--rate must be an integer from 1 to 100000, got "fast"');
    expect(() => parseLoadOptions(['--mode', 'grpc'])).toThrow('--mode must be http or events, got "grpc"');
    expect(() => parseLoadOptions(['--name', '../etc'])).toThrow(/--name may hold/);
  });
});
