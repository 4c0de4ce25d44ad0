// Drizzle's view of the stock table (created by inventory-service.migrations.ts).
import { integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const INVENTORY_SERVICE_SCHEMA = 'inventory_service';

export const stock = pgSchema(INVENTORY_SERVICE_SCHEMA).table('stock', {
  sku: text('sku').primaryKey(),
  available: integer('available').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type StockRow = typeof stock.$inferSelect;
