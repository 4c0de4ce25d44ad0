import { ConfigError, parsePort } from './config-error';

describe('parsePort', () => {
  it('uses the default when the variable is unset or empty', () => {
    expect(parsePort('PORT', undefined, 3001)).toBe(3001);
    expect(parsePort('PORT', '', 3001)).toBe(3001);
  });

  it('accepts a valid port', () => {
    expect(parsePort('PORT', '8080', 3001)).toBe(8080);
  });

  it.each(['0', '65536', 'abc', '30.5'])('refuses "%s" with a ConfigError naming the variable', (value) => {
    expect(() => parsePort('PORT', value, 3001)).toThrow(ConfigError);
    expect(() => parsePort('PORT', value, 3001)).toThrow(`PORT must be a port number between 1 and 65535, got "${value}"`);
  });
});
