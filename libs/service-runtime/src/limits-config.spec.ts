import { ConfigError } from './config-error';
import { parseBodyLimit, parsePositiveInteger } from './limits-config';

describe('parsePositiveInteger', () => {
  it('uses the default when unset or empty, and accepts a positive integer', () => {
    expect(parsePositiveInteger('LIMIT', undefined, 1000)).toBe(1000);
    expect(parsePositiveInteger('LIMIT', ' ', 1000)).toBe(1000);
    expect(parsePositiveInteger('LIMIT', '5', 1000)).toBe(5);
  });

  it.each(['0', '-1', '1.5', '1e3', 'abc', '0x10'])('refuses "%s" with a ConfigError naming the variable', (value) => {
    expect(() => parsePositiveInteger('LIMIT', value, 1000)).toThrow(ConfigError);
    expect(() => parsePositiveInteger('LIMIT', value, 1000)).toThrow(`LIMIT must be a positive integer (1 or more), got "${value}"`);
  });
});

describe('parseBodyLimit', () => {
  it('uses the default when unset, and accepts kb and mb', () => {
    expect(parseBodyLimit('BODY', undefined, '64kb')).toBe('64kb');
    expect(parseBodyLimit('BODY', '1kb', '64kb')).toBe('1kb');
    expect(parseBodyLimit('BODY', '2mb', '64kb')).toBe('2mb');
  });

  it.each(['64', '1gb', '0kb', '1.5mb', 'kb', '64 kb', '64KB'])('refuses "%s"', (value) => {
    expect(() => parseBodyLimit('BODY', value, '64kb')).toThrow(`BODY must be a size in kb or mb such as 64kb or 1mb (more than 0), got "${value}"`);
  });
});
