// Reads and writes orders. Each write is one statement that carries what must commit with it (the
// outbox rows of new orders, the processed-event records of answers), so it is atomic on its own.
import { Injectable } from '@nestjs/common';
import { arrayColumn, rowsOf, ServiceDatabase } from '@platform/database';
import { eq, SQL, sql } from 'drizzle-orm';
import { OrderLine, OrderRow, orders, OrderStatus } from './orders.table';

export interface NewOrder {
  id: string;
  customerId: string;
  items: OrderLine[];
}

/** One answer to apply: its event, the order it settles and how. */
export interface SettlingAnswer {
  eventId: string;
  orderId: string;
  status: Exclude<OrderStatus, 'PENDING'>;
  reason: string | null;
}

@Injectable()
export class OrdersRepository {
  constructor(private readonly database: ServiceDatabase) {}

  /** New PENDING orders as one statement, to run inside a larger one (WITH … AS (…)). `list` not empty. */
  insertPendingStatement(list: NewOrder[]): SQL {
    // Array parameters (unnest): one statement text whatever the number of orders (libs/database arrayColumn).
    return sql`
      insert into ${orders} (id, customer_id, items, status)
      select id, customer_id, items, 'PENDING'
      from unnest(${arrayColumn(list, (o) => o.id)}::uuid[], ${arrayColumn(list, (o) => o.customerId)}::text[], ${arrayColumn(list, (o) => JSON.stringify(o.items))}::jsonb[])
           as new_order(id, customer_id, items)`;
  }

  async findById(id: string): Promise<OrderRow | undefined> {
    const [row] = await this.database.db.select().from(orders).where(eq(orders.id, id));
    return row;
  }

  /**
   * Settles orders from answer events in ONE statement (atomic by itself: no transaction, one round
   * trip): `firstSeen` records the events' ids and returns those seen for the first time (a
   * ProcessedEvents.firstSeenStatement); each order then takes the first of its answers, in the given
   * order, whose event is new, if the order is still PENDING. Returns the new event ids and, for each
   * answer applied now (by its event id), when its order was accepted.
   */
  async settleFirstSeen(firstSeen: SQL, answers: SettlingAnswer[]): Promise<{ firstSeen: Set<string>; applied: Map<string, Date> }> {
    if (answers.length === 0) return { firstSeen: new Set(), applied: new Map() };
    const result = await this.database.db.execute(sql`
      with first_seen as (${firstSeen}),
           answers (event_id, id, status, reason, ord) as (
             select * from unnest(${arrayColumn(answers, (a) => a.eventId)}::uuid[], ${arrayColumn(answers, (a) => a.orderId)}::uuid[],
                                  ${arrayColumn(answers, (a) => a.status)}::text[], ${arrayColumn(answers, (a) => a.reason)}::text[]) with ordinality),
           chosen as (
             select distinct on (answers.id) answers.id, answers.event_id, answers.status, answers.reason
             from answers join first_seen on first_seen.event_id = answers.event_id
             order by answers.id, answers.ord),
           settled as (
             update ${orders} set status = chosen.status, reason = chosen.reason, updated_at = now()
             from chosen
             where ${orders}.id = chosen.id and ${orders}.status = 'PENDING'
             returning ${orders}.id, ${orders}.created_at)
      select event_id::text as event_id, null::timestamptz as applied_to_order_accepted_at from first_seen
      union all
      select chosen.event_id::text, settled.created_at from settled join chosen on chosen.id = settled.id`);
    const all = rowsOf<{ event_id: string; applied_to_order_accepted_at: Date | string | null }>(result);
    const applied = all.filter((row) => row.applied_to_order_accepted_at !== null);
    return {
      firstSeen: new Set(all.filter((row) => row.applied_to_order_accepted_at === null).map((row) => row.event_id)),
      applied: new Map(applied.map((row) => [row.event_id, new Date(row.applied_to_order_accepted_at as Date | string)])),
    };
  }
}
