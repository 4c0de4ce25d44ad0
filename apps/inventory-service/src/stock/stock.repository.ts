// Reads and writes stock levels. Reservation writes take the caller's transaction so the stock change,
// the processed-event record and the answer event commit together.
import { Injectable } from '@nestjs/common';
import { ServiceDatabase } from '@platform/database';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { stock, StockRow } from './stock.table';

type Tx = Parameters<Parameters<ServiceDatabase['db']['transaction']>[0]>[0];

@Injectable()
export class StockRepository {
  constructor(private readonly database: ServiceDatabase) {}

  async find(sku: string): Promise<StockRow | undefined> {
    const [row] = await this.database.db.select().from(stock).where(eq(stock.sku, sku));
    return row;
  }

  async set(sku: string, available: number): Promise<void> {
    await this.database.db
      .insert(stock)
      .values({ sku, available })
      .onConflictDoUpdate({ target: stock.sku, set: { available, updatedAt: sql`now()` } });
  }

  /** Locks the rows of these SKUs until the transaction ends, in SKU order so two orders never deadlock. */
  async lock(tx: Tx, skus: string[]): Promise<Map<string, number>> {
    const rows = await tx.select().from(stock).where(inArray(stock.sku, skus)).orderBy(asc(stock.sku)).for('update');
    return new Map(rows.map((row) => [row.sku, row.available]));
  }

  /** Writes new levels for several SKUs in one statement (a batch of reservations, after the decisions). */
  async setLevels(tx: Tx, levels: Map<string, number>): Promise<void> {
    if (levels.size === 0) return;
    const rows = sql.join([...levels].map(([sku, available]) => sql`(${sku}, ${available}::integer)`), sql`, `);
    await tx.execute(sql`
      update ${stock} set available = levels.available, updated_at = now()
      from (values ${rows}) as levels(sku, available)
      where ${stock}.sku = levels.sku`);
  }
}
