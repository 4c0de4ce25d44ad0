// Text from Kafka is untrusted bytes; PostgreSQL (and PGlite) refuse one character in text and jsonb
// columns: NUL. A dead letter whose key, header or exception message holds one (a binary key, a
// malformed value quoted in the reason) made the insert fail, and the indexer fetch the same record
// again forever. Stored with U+FFFD in its place, as a byte that is not UTF-8 already is.
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  return text === null || !text.includes('\u0000') ? text : text.replaceAll('\u0000', '\uFFFD');
}

/** Every name and value of a header map, storable. */
export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [storableText(name), storableText(value)]));
}
