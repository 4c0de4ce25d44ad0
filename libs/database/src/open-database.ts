// Opens a service's database with either driver behind one Drizzle type, so repositories,
// migrations and the outbox are written once. Each service owns one PostgreSQL schema.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Pool } from 'pg';
import { Logger } from '@nestjs/common';

const logger = new Logger('Database');
import { DatabaseConfig } from './database-config';

export type Database = PgDatabase<PgQueryResultHKT>;

export interface OpenDatabase {
  db: Database;
  config: DatabaseConfig;
  /** A short description for logs, never including credentials. */
  describe(): string;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.driver === 'postgres') {
    // A bounded connect time turns an unreachable server into an error the caller can retry.
    const pool = new Pool({ connectionString: config.url, max: 10, connectionTimeoutMillis: 5000 });
    // An idle connection dropped by the server (restart, failover, admin) emits 'error' on the pool;
    // unhandled, that would crash the service. The pool discards it and opens a new one when needed.
    pool.on('error', (error) => logger.warn(`idle database connection lost: ${error.message}`));
    // A connection dropped while checked out (inside a transaction, between two statements) emits
    // 'error' on the client itself, where the pool listens only while it is idle: without a listener
    // of our own the process dies (seen in the fault tests: 57P01 "terminating connection due to
    // administrator command"). The statement in progress fails on its own and is retried by the caller.
    pool.on('connect', (client) => client.on('error', (error) => logger.warn(`database connection lost while in use: ${error.message}`)));
    // Fail at start-up with the server's own reason (refused, auth, unknown database).
    await pool.query('select 1').catch(async (error: Error) => {
      await pool.end();
      throw new Error(`cannot connect to DATABASE_URL (${redact(config.url)}): ${error.message}`);
    });
    return {
      db: drizzlePostgres(pool) as unknown as Database,
      config,
      describe: () => `PostgreSQL ${redact(config.url)} schema ${config.schema}`,
      close: () => pool.end(),
    };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const client = new PGlite(config.dataDir);
  await client.waitReady;
  return {
    db: drizzlePglite(client) as unknown as Database,
    config,
    describe: () => `embedded PostgreSQL (PGlite) in ${config.dataDir} schema ${config.schema}`,
    close: () => client.close(),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Rows of a raw `execute` result; both drivers return `{ rows }`, Drizzle's shared type hides it. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
