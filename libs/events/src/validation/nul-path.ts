// PostgreSQL cannot store the NUL character (U+0000) in text, and neither can most other stores: a
// string holding one passes every type check and fails only at the insert. Both doors refuse it
// first, naming the field: the HTTP hook of every service (service-runtime) and parseEvent, for an
// event from any producer.

/**
 * Where the first string (or property name) holding NUL is, as `body.items[0].sku`; undefined if none.
 * A walk with a stack of its own, not recursion: JSON nested 100,000 deep parses, and a recursive walk
 * of it overflowed the call stack (a RangeError, retried as if the database had failed).
 */
export function nulPath(value: unknown, path: string): string | undefined {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [current, where] = pending.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return where;
    } else if (Array.isArray(current)) {
      // pushed last first, so the first element is looked at first (the first NUL is the one named)
      for (let i = current.length - 1; i >= 0; i--) pending.push([current[i], `${where}[${i}]`]);
    } else if (current && typeof current === 'object') {
      const fields = Object.entries(current);
      for (const [name] of fields) if (name.includes('\u0000')) return `${where} property name`;
      for (let i = fields.length - 1; i >= 0; i--) pending.push([fields[i][1], `${where}.${fields[i][0]}`]);
    }
  }
  return undefined;
}

/** The reason given for it, wherever it is refused. */
export function nulRefusal(path: string): string {
  return `${path} must not contain the NUL character (U+0000)`;
}
