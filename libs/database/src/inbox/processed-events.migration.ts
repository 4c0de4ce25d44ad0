// The table behind idempotent consumers: one row per event already applied.
import { Migration } from '../migrations';

export const processedEventsMigration: Migration = {
  id: 'platform_0002_processed_events',
  statements: [
    `create table {schema}.processed_events (
       event_id uuid primary key,
       event_type text not null,
       processed_at timestamptz not null default now()
     )`,
  ],
};
