// Breaking changes between a released JSON Schema and the current one, from a consumer's point of
// view: a message valid under the released schema must stay valid and mean the same. Breaking:
// a required field removed (or renamed), a field made required, a changed type or format, an enum
// that lost values. Adding an optional field is not breaking.
import { JsonSchema } from './event-schemas';

export function breakingChanges(released: JsonSchema, current: JsonSchema): string[] {
  return compare(released, current, released, current, '');
}

function compare(oldSchema: JsonSchema, newSchema: JsonSchema, oldRoot: JsonSchema, newRoot: JsonSchema, path: string): string[] {
  const before = resolve(oldSchema, oldRoot);
  const after = resolve(newSchema, newRoot);
  const where = path || '(root)';
  const changes: string[] = [];
  if (JSON.stringify(before.type) !== JSON.stringify(after.type)) {
    changes.push(`${where}: type changed from ${JSON.stringify(before.type)} to ${JSON.stringify(after.type)}`);
  }
  if (before.format !== after.format) changes.push(`${where}: format changed from ${before.format ?? 'none'} to ${after.format ?? 'none'}`);
  if ('const' in before && JSON.stringify(before.const) !== JSON.stringify(after.const)) {
    changes.push(`${where}: constant changed from ${JSON.stringify(before.const)} to ${JSON.stringify(after.const)}`);
  }
  if (Array.isArray(before.enum)) {
    const lost = before.enum.filter((value: unknown) => !Array.isArray(after.enum) || !after.enum.includes(value));
    if (Array.isArray(after.enum) && lost.length > 0) changes.push(`${where}: enum narrowed, ${JSON.stringify(lost)} no longer allowed`);
  }
  const oldRequired: string[] = before.required ?? [];
  const newRequired: string[] = after.required ?? [];
  for (const field of oldRequired) {
    if (!after.properties?.[field]) changes.push(`${join(path, field)}: required field removed or renamed`);
  }
  for (const field of newRequired) {
    if (!oldRequired.includes(field)) changes.push(`${join(path, field)}: field became required`);
  }
  for (const [field, schema] of Object.entries<JsonSchema>(before.properties ?? {})) {
    const next = after.properties?.[field];
    if (next) changes.push(...compare(schema, next, oldRoot, newRoot, join(path, field)));
  }
  if (before.items && after.items) changes.push(...compare(before.items, after.items, oldRoot, newRoot, `${where}[]`));
  return changes;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.split('/').pop() as string;
  const target = root.definitions?.[name];
  if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
  return resolve(target, root);
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}
