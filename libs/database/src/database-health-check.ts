// Readiness of a service's database: a trivial query on its own connection pool.
import { sql } from 'drizzle-orm';
import { Database } from './open-database';

export function databaseHealthCheck(db: Database): { name: string; check(): Promise<void> } {
  return {
    name: 'database',
    async check() {
      await db.execute(sql`select 1`);
    },
  };
}
