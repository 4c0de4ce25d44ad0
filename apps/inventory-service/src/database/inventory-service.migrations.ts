// inventory-service's schema: stock levels (never negative, enforced by the database too), a few
// seeded SKUs on first start, and the platform's outbox and processed-events tables.
import { Migration, outboxMigration, processedEventsMigration } from '@platform/database';

const stockTable: Migration = {
  id: 'inventory_0001_stock',
  statements: [
    `create table {schema}.stock (
       sku text primary key,
       available integer not null check (available >= 0),
       updated_at timestamptz not null default now()
     )`,
  ],
};

const seedStock: Migration = {
  id: 'inventory_0002_seed_stock',
  statements: [
    `insert into {schema}.stock (sku, available) values
       ('SKU-1', 100), ('SKU-2', 50), ('SKU-3', 10), ('SKU-4', 0), ('SKU-5', 1000)
     on conflict (sku) do nothing`,
  ],
};

export const INVENTORY_SERVICE_MIGRATIONS: Migration[] = [outboxMigration, processedEventsMigration, stockTable, seedStock];
