// dlq-replayer's schema: an index of every dead letter read from the DLQ topics (exact bytes, decoded
// headers, and its replay/resolve state) and the audit log of every replay and resolve.
import { Migration } from '@platform/database';

const deadLetters: Migration = {
  id: 'dlq_0001_dead_letters',
  statements: [
    `create table {schema}.dead_letters (
       seq bigserial unique,
       dlq_topic text not null,
       partition integer not null,
       "offset" bigint not null,
       message_key text,
       value_base64 text,
       headers jsonb not null,
       message_timestamp timestamptz not null,
       original_topic text,
       exception_fqcn text,
       exception_message text,
       replay_count integer not null default 0,
       status text not null default 'open' check (status in ('open', 'replayed', 'resolved')),
       last_replay_id uuid,
       replayed_at timestamptz,
       resolved_at timestamptz,
       indexed_at timestamptz not null default now(),
       primary key (dlq_topic, partition, "offset")
     )`,
    `create index dead_letters_listing on {schema}.dead_letters (dlq_topic, status, seq)`,
  ],
};

const auditLog: Migration = {
  id: 'dlq_0002_audit_log',
  statements: [
    `create table {schema}.audit_log (
       id bigserial primary key,
       at timestamptz not null default now(),
       actor text not null,
       action text not null check (action in ('replay', 'resolve')),
       dlq_topic text not null,
       request jsonb not null,
       dry_run boolean not null,
       result jsonb not null
     )`,
  ],
};

export const DLQ_REPLAYER_MIGRATIONS: Migration[] = [deadLetters, auditLog];
