// Batch statements pass one array parameter per column (`unnest(${arrayColumn(rows, pick)}::type[])`),
// never a VALUES list with a parameter per value: the statement text stays the same whatever the batch,
// and PostgreSQL does not parse, plan and copy thousands of parameters each time.
import { sql } from 'drizzle-orm';

/** One column of `rows` as a single array parameter, in the rows' order. */
export function arrayColumn<T, V>(rows: readonly T[], pick: (row: T) => V) {
  return sql.param(rows.map(pick));
}
