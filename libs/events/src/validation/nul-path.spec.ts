import { nulPath } from './nul-path';

describe('nulPath', () => {
  it('names the first string holding NUL, in arrays and objects', () => {
    expect(nulPath({ items: [{ sku: 'a' }, { sku: 'b\u0000' }], note: '\u0000' }, 'body')).toBe('body.items[1].sku');
    expect(nulPath([['x'], ['y', 'z\u0000']], 'event')).toBe('event[1][1]');
    expect(nulPath({ a: 1, b: null, c: [true, 'ok'] }, 'event')).toBeUndefined();
  });

  it('names a property name holding NUL', () => {
    expect(nulPath({ payload: { 'gift\u0000': true } }, 'event')).toBe('event.payload property name');
  });

  it('walks JSON nested far deeper than the call stack allows', () => {
    const depth = 100_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
    expect(nulPath(deep, 'event')).toBe(`event${'[0]'.repeat(depth)}`);
  });
});
