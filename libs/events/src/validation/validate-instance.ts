// class-validator with the settings the whole platform uses; errors flatten to "path: constraint"
// lines for logs, 400s and dead-letter headers. Unknown properties are refused at the edges we own
// (HTTP input: a typo must not pass silently) and stripped on events (a tolerant reader: a producer
// may add an optional field without breaking consumers still on the old class).
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export interface Validated<T> {
  value: T;
  errors: string[];
}

export type UnknownProperties = 'reject' | 'strip';

export function validateInstance<T extends object>(
  cls: new () => T,
  plain: unknown,
  unknownProperties: UnknownProperties = 'strip',
): Validated<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { value: plain as T, errors: ['expected a JSON object'] };
  }
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: unknownProperties === 'reject' });
  return { value, errors: flattenValidationErrors(errors) };
}

export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => `${path}: ${text}`);
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
