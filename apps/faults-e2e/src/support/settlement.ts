// What became of a scenario's orders, read from order-service's database: how many are settled and
// how, and the availability gap — the longest time, while orders kept arriving, without one settled.
import { databaseUrl, ORDERS_DATABASE, withPostgres } from './fault-system';

export interface Settlement {
  byStatus: Record<string, number>;
  /** Longest interval between consecutive settlements (and from the first acceptance), in ms. */
  longestGapMs: number;
  /** Where the longest gap started, relative to the scenario's first order, in ms. */
  gapStartsAtMs: number;
}

export async function settlementOf(customerId: string): Promise<Settlement> {
  return withPostgres(databaseUrl(ORDERS_DATABASE), async (client) => {
    const statuses = await client.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from order_service.orders where customer_id = $1 group by status',
      [customerId],
    );
    const times = await client.query<{ first: Date; settled: Date[] }>(
      `select min(created_at) as first,
              array_agg(updated_at order by updated_at) filter (where status <> 'PENDING') as settled
       from order_service.orders where customer_id = $1`,
      [customerId],
    );
    const first = times.rows[0]?.first?.getTime() ?? 0;
    const settled = (times.rows[0]?.settled ?? []).map((at) => new Date(at).getTime());
    let longestGapMs = 0;
    let gapStartsAtMs = 0;
    let previous = first;
    for (const at of settled) {
      if (at - previous > longestGapMs) {
        longestGapMs = at - previous;
        gapStartsAtMs = previous - first;
      }
      previous = at;
    }
    return { byStatus: Object.fromEntries(statuses.rows.map((row) => [row.status, row.n])), longestGapMs, gapStartsAtMs };
  });
}
