// The outbox table every publishing service gets: events written in the same transaction as the
// business change, published afterwards by the relay (libs/messaging OutboxRelay).
import { Migration } from '../migrations';

export const outboxMigration: Migration = {
  id: 'platform_0001_outbox',
  statements: [
    `create table {schema}.outbox (
       id bigserial primary key,
       topic text not null,
       message_key text not null,
       envelope jsonb not null,
       headers jsonb not null default '{}'::jsonb,
       created_at timestamptz not null default now(),
       claimed_until timestamptz,
       attempts integer not null default 0,
       last_error text
     )`,
  ],
};
