// order-service's schema: its orders, plus the platform's outbox and processed-events tables.
import { Migration, outboxMigration, processedEventsMigration } from '@platform/database';

const ordersTable: Migration = {
  id: 'order_0001_orders',
  statements: [
    `create table {schema}.orders (
       id uuid primary key,
       customer_id text not null,
       items jsonb not null,
       status text not null check (status in ('PENDING', 'CONFIRMED', 'REJECTED')),
       reason text,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     )`,
  ],
};

export const ORDER_SERVICE_MIGRATIONS: Migration[] = [outboxMigration, processedEventsMigration, ordersTable];
