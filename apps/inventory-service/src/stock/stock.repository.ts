// Reads and writes stock levels. Reservation writes take the caller's transaction so the stock change,
// the processed-event record and the answer event commit together.
import { Injectable } from '@nestjs/common';
import { rowsOf, ServiceDatabase } from '@platform/database';
import { eq, SQL, sql } from 'drizzle-orm';
import { stock, StockRow } from './stock.table';

export type Tx = Parameters<Parameters<ServiceDatabase['db']['transaction']>[0]>[0];

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
    if (skus.length === 0) return new Map();
    return levelsOf(rowsOf(await tx.execute(this.lockStatement(skus))));
  }

  /** lock as a statement returning `sku, available`, to run inside a larger one. `skus` not empty. */
  lockStatement(skus: string[]): SQL {
    return sql`select sku, available from ${stock} where sku = any(${sql.param(skus)}::text[]) order by sku for update`;
  }

  /**
   * One row, `fits`: whether every SKU of `totals` exists and has at least its quantity, the rows
   * locked (in SKU order, as lock) until the statement's transaction ends. For a larger statement.
   */
  allFitStatement(totals: Map<string, number>): SQL {
    return sql`
      select count(*) = ${totals.size}::int and coalesce(bool_and(locked.available >= wanted.total), false) as fits
      from (${this.lockStatement([...totals.keys()])}) as locked
      join ${perSku(totals)} as wanted(sku, total)
        on wanted.sku = locked.sku`;
  }

  /** Takes `totals` (SKU → quantity) off the levels if `onlyIf` holds, in one statement for a larger one. */
  takeStatement(totals: Map<string, number>, onlyIf: SQL): SQL {
    return sql`
      update ${stock} set available = ${stock}.available - taken.total, updated_at = now()
      from ${perSku(totals)} as taken(sku, total)
      where ${stock}.sku = taken.sku and ${onlyIf}`;
  }

  /** Writes new levels for several SKUs in one statement (a batch of reservations, after the decisions). */
  async setLevels(tx: Tx, levels: Map<string, number>): Promise<void> {
    if (levels.size === 0) return;
    await tx.execute(this.setLevelsStatement(levels));
  }

  /** setLevels as a statement, to run inside a larger one. `levels` not empty. */
  setLevelsStatement(levels: Map<string, number>): SQL {
    return sql`
      update ${stock} set available = levels.available, updated_at = now()
      from ${perSku(levels)} as levels(sku, available)
      where ${stock}.sku = levels.sku`;
  }
}

/** SKU → number as rows of (text, integer) from two array parameters, not a VALUES list: one statement text whatever the count. */
function perSku(numbers: Map<string, number>): SQL {
  return sql`unnest(${sql.param([...numbers.keys()])}::text[], ${sql.param([...numbers.values()])}::integer[])`;
}

/** SKU → available, from rows of `sku, available` (drivers may return integers as text). */
export function levelsOf(rows: { sku: string | null; available: number | string | null }[]): Map<string, number> {
  return new Map(rows.map((row) => [row.sku as string, Number(row.available)]));
}
