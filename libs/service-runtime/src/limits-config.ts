// Parsers for the HTTP limits a service takes from its environment, in the style of parsePort:
// unset or empty means the default; a bad value is a ConfigError naming the variable.
import { BODY_SIZE } from './body-limit';
import { ConfigError } from './config-error';

export function parsePositiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new ConfigError(`${name} must be a positive integer (1 or more), got "${value}"`);
  }
  return number;
}

/** A body size such as `64kb` or `1mb` (BODY_SIZE); never zero. */
export function parseBodyLimit(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined || value.trim() === '') return fallback;
  const match = BODY_SIZE.exec(value.trim());
  if (!match || Number(match[1]) < 1) {
    throw new ConfigError(`${name} must be a size in kb or mb such as 64kb or 1mb (more than 0), got "${value}"`);
  }
  return value.trim();
}
