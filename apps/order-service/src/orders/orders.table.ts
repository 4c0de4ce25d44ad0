// Drizzle's view of the orders table (created by order-service.migrations.ts).
import { jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const ORDER_SERVICE_SCHEMA = 'order_service';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED';

export interface OrderLine {
  sku: string;
  quantity: number;
}

export const orders = pgSchema(ORDER_SERVICE_SCHEMA).table('orders', {
  id: uuid('id').primaryKey(),
  customerId: text('customer_id').notNull(),
  items: jsonb('items').$type<OrderLine[]>().notNull(),
  status: text('status').$type<OrderStatus>().notNull(),
  reason: text('reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type OrderRow = typeof orders.$inferSelect;
