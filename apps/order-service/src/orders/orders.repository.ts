// Reads and writes orders. Writes take the caller's transaction so an order change always commits
// together with its outbox event or its processed-event record.
import { Injectable } from '@nestjs/common';
import { rowsOf, ServiceDatabase } from '@platform/database';
import { and, eq, SQL, sql } from 'drizzle-orm';
import { OrderLine, OrderRow, orders, OrderStatus } from './orders.table';

export interface NewOrder {
  id: string;
  customerId: string;
  items: OrderLine[];
}

type Tx = Parameters<Parameters<ServiceDatabase['db']['transaction']>[0]>[0];

@Injectable()
export class OrdersRepository {
  constructor(private readonly database: ServiceDatabase) {}

  /** New PENDING orders as one statement, to run inside a larger one (WITH … AS (…)). `list` not empty. */
  insertPendingStatement(list: NewOrder[]): SQL {
    // getSQL(): a query builder embedded as is would be wrapped in a second pair of parentheses.
    return this.database.db.insert(orders).values(list.map((order) => ({ ...order, status: 'PENDING' as const }))).getSQL();
  }

  async findById(id: string): Promise<OrderRow | undefined> {
    const [row] = await this.database.db.select().from(orders).where(eq(orders.id, id));
    return row;
  }

  /** Moves a PENDING order to its final status; returns when it was accepted, or undefined if it was not PENDING (or unknown). */
  async settle(tx: Tx, id: string, status: Exclude<OrderStatus, 'PENDING'>, reason: string | null): Promise<{ createdAt: Date } | undefined> {
    const [updated] = await tx
      .update(orders)
      .set({ status, reason, updatedAt: sql`now()` })
      .where(and(eq(orders.id, id), eq(orders.status, 'PENDING')))
      .returning({ createdAt: orders.createdAt });
    return updated;
  }

  /**
   * The batch form of settle, one statement: the orders among `settlements` that were PENDING (now
   * settled), with when each was accepted. Each order id must appear at most once.
   */
  async settleAll(
    tx: Tx,
    settlements: { id: string; status: Exclude<OrderStatus, 'PENDING'>; reason: string | null }[],
  ): Promise<Map<string, Date>> {
    if (settlements.length === 0) return new Map();
    const rows = sql.join(
      settlements.map(({ id, status, reason }) => sql`(${id}::uuid, ${status}::text, ${reason}::text)`),
      sql`, `,
    );
    const result = await tx.execute(sql`
      update ${orders} set status = settled.status, reason = settled.reason, updated_at = now()
      from (values ${rows}) as settled(id, status, reason)
      where ${orders}.id = settled.id and ${orders}.status = 'PENDING'
      returning ${orders}.id, ${orders}.created_at`);
    return new Map(rowsOf<{ id: string; created_at: Date | string }>(result).map((row) => [row.id, new Date(row.created_at)]));
  }
}
