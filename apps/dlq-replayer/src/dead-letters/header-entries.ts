// A record's headers one [name, value] at a time: kafkajs gives a header that came twice as an array,
// and a null value as null (a value that is neither bytes nor text is its decoder meeting a header
// named __proto__, taken as null too).
import { IHeaders } from 'kafkajs';

export function headerEntries(headers: IHeaders | undefined): [name: string, value: Buffer | string | null][] {
  return Object.entries(headers ?? {}).flatMap(([name, values]) =>
    (Array.isArray(values) ? values : [values]).map((value): [string, Buffer | string | null] => [name, Buffer.isBuffer(value) || typeof value === 'string' ? value : null]),
  );
}
