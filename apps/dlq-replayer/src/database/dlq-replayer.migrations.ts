// dlq-replayer's schema: an index of every dead letter read from the DLQ topics (exact bytes, decoded
// headers, and its replay/resolve state), the audit log of every replay and resolve, and the flow index
// of every event that the operations console traces orders with.
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

/** The operations console's index of every event, to follow one order (correlationId/key) across topics. */
const flowEvents: Migration = {
  id: 'dlq_0003_flow_events',
  statements: [
    `create table {schema}.flow_events (
       topic text not null,
       partition integer not null,
       "offset" bigint not null,
       message_key text,
       event_id text,
       event_type text,
       event_version integer,
       correlation_id text,
       causation_id text,
       source text,
       occurred_at timestamptz,
       message_timestamp timestamptz not null,
       trace_id text,
       replayed_from text,
       primary key (topic, partition, "offset")
     )`,
    `create index flow_events_by_correlation on {schema}.flow_events (correlation_id)`,
    `create index flow_events_by_key on {schema}.flow_events (message_key)`,
    `create index dead_letters_by_key on {schema}.dead_letters (message_key)`,
  ],
};

/**
 * A dead letter's key and headers as the bytes that arrived (base64), beside their text columns: the
 * text is what operators read and filter on, the bytes are what a replay sends. Text alone altered
 * what was not UTF-8, NUL, and a header sent more than once (joined with commas). Letters indexed
 * before this migration have none, and replay from their text as before.
 */
const exactKeyAndHeaders: Migration = {
  id: 'dlq_0004_exact_key_and_headers',
  statements: [`alter table {schema}.dead_letters add column key_base64 text, add column headers_base64 jsonb`],
};

export const DLQ_REPLAYER_MIGRATIONS: Migration[] = [deadLetters, auditLog, flowEvents, exactKeyAndHeaders];
