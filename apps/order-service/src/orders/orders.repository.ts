// Reads and writes orders. Writes take the caller's transaction so an order change always commits
// together with its outbox event or its processed-event record.
import { Injectable } from '@nestjs/common';
import { ServiceDatabase } from '@platform/database';
import { and, eq, sql } from 'drizzle-orm';
import { OrderLine, OrderRow, orders, OrderStatus } from './orders.table';

type Tx = Parameters<Parameters<ServiceDatabase['db']['transaction']>[0]>[0];

@Injectable()
export class OrdersRepository {
  constructor(private readonly database: ServiceDatabase) {}

  async insertPending(tx: Tx, order: { id: string; customerId: string; items: OrderLine[] }): Promise<void> {
    await tx.insert(orders).values({ ...order, status: 'PENDING' });
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
}
