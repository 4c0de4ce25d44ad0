// A record's headers one [name, value] at a time, and grouped again by name. kafkajs gives a header
// that came twice as an array, and a null value as null (a value that is neither bytes nor text is
// its decoder meeting a header named __proto__, taken as null too).
import { IHeaders } from 'kafkajs';

export function headerEntries(headers: IHeaders | undefined): [name: string, value: Buffer | string | null][] {
  return Object.entries(headers ?? {}).flatMap(([name, values]) =>
    (Array.isArray(values) ? values : [values]).map((value): [string, Buffer | string | null] => [name, Buffer.isBuffer(value) || typeof value === 'string' ? value : null]),
  );
}

/** Values in order under each name, a name met again added to its first place; a Map, as a header may be named __proto__. */
export function groupedByName<V>(entries: Iterable<[string, V]>): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const [name, value] of entries) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return grouped;
}
