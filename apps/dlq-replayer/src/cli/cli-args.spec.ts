import { parseArgs, selectionFrom, USAGE } from './cli-args';

describe('dlq CLI arguments', () => {
  it('reads positionals, options with values and flags', () => {
    expect(parseArgs(['replay', 'orders.dlq', '--exception', 'StockError', '--execute', '--rate', '20'])).toEqual({
      positionals: ['replay', 'orders.dlq'],
      options: { exception: 'StockError', execute: true, rate: '20' },
    });
  });

  it('never takes the word after a flag as its value', () => {
    expect(parseArgs(['replay', '--execute', 'orders.dlq']).positionals).toEqual(['replay', 'orders.dlq']);
  });

  it('refuses a mistyped filter, which would otherwise widen a replay to the whole topic', () => {
    const argv = ['replay', 'orders.dlq', '--exeption', 'StockError', '--execute'];
    expect(() => parseArgs(argv)).toThrow(/^replay does not take --exeption; it takes --original-topic, --exception, /);
    // What the mistake would have selected: everything.
    expect(selectionFrom({ exeption: 'StockError' })).toEqual({});
  });

  it('refuses an option of another command, and a command it does not know', () => {
    expect(() => parseArgs(['audit', '--note', 'x'])).toThrow('audit does not take --note; it takes --limit');
    expect(() => parseArgs(['show', 't', '0', '1', '--limit', '5'])).toThrow('show does not take --limit; it takes no options');
    expect(() => parseArgs(['purge', 't'])).toThrow(USAGE);
    expect(() => parseArgs([])).toThrow(USAGE);
  });

  it('wants a value after an option that takes one', () => {
    expect(() => parseArgs(['list', 'orders.dlq', '--limit'])).toThrow('--limit needs a value');
    expect(() => parseArgs(['resolve', 'orders.dlq', '--note', '--messages', '0:1'])).toThrow('--note needs a value');
  });
});
