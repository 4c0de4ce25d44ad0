// PostgreSQL cannot store the NUL character (U+0000) in text, and neither can most other stores: a
// string holding one passes every type check and fails only at the insert. Both doors refuse it
// first, naming the field: the HTTP hook of every service (service-runtime) and parseEvent, for an
// event from any producer.

/** Where the first string (or property name) holding NUL is, as `body.items[0].sku`; undefined if none. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [name, field] of Object.entries(value)) {
      const found = name.includes('\u0000') ? `${path} property name` : nulPath(field, `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The reason given for it, wherever it is refused. */
export function nulRefusal(path: string): string {
  return `${path} must not contain the NUL character (U+0000)`;
}
