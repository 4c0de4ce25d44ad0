import { checkArguments, UsageError } from './command-line';

const USAGE = 'usage: npm run loadtest -- --orders N [--rate N] [--dry]';
const known = { values: ['orders', 'rate'], flags: ['dry'] };

describe('checkArguments', () => {
  it('takes the options it knows, each value after its option', () => {
    expect(() => checkArguments(['--orders', '5000', '--dry', '--rate', '100'], known, USAGE)).not.toThrow();
    expect(() => checkArguments([], known, USAGE)).not.toThrow();
  });

  it('stops at a mistyped option with the usage, rather than running on the defaults', () => {
    expect(() => checkArguments(['--order', '5000'], known, USAGE)).toThrow(new UsageError(`unknown option "--order"; ${USAGE}`));
  });

  it('says how to write an option given with "="', () => {
    expect(() => checkArguments(['--orders=5000'], known, USAGE)).toThrow(`unknown option "--orders=5000" (write --orders <value>, with a space); ${USAGE}`);
  });

  it('wants a value after an option that takes one', () => {
    expect(() => checkArguments(['--orders'], known, USAGE)).toThrow(`--orders needs a value; ${USAGE}`);
    expect(() => checkArguments(['--orders', '--dry'], known, USAGE)).toThrow(`--orders needs a value; ${USAGE}`);
  });

  it('takes as many words that are not options as the command has, and no more', () => {
    expect(() => checkArguments(['start', '--orders', '1'], { ...known, positionals: 1 }, USAGE)).not.toThrow();
    expect(() => checkArguments(['start', 'now'], { ...known, positionals: 1 }, USAGE)).toThrow(`unexpected argument "now"; ${USAGE}`);
    expect(() => checkArguments(['5000'], known, USAGE)).toThrow(`unexpected argument "5000"; ${USAGE}`);
  });
});
