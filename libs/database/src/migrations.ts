// A deliberately small migrator: ordered SQL steps, each applied once in its own transaction and
// recorded in <schema>.schema_migrations. The same steps run on PostgreSQL and PGlite. An advisory
// lock keeps two instances starting together from applying a step twice.
import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './open-database';

export interface Migration {
  id: string;
  /** Statements to run in order; `{schema}` is replaced by the service's schema name. */
  statements: string[];
}

export async function runMigrations(db: Database, schema: string, migrations: Migration[]): Promise<string[]> {
  assertIdentifier(schema);
  // Under the lock too: "create … if not exists" is not safe against a concurrent create (two
  // instances starting on a fresh database failed with a duplicate-key error on pg_namespace).
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${schema}))`);
    await tx.execute(sql.raw(`create schema if not exists "${schema}"`));
    await tx.execute(
      sql.raw(`create table if not exists "${schema}".schema_migrations (id text primary key, applied_at timestamptz not null default now())`),
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${schema}))`);
      const done = await tx.execute(
        sql`select 1 from ${sql.raw(`"${schema}".schema_migrations`)} where id = ${migration.id}`,
      );
      if (rowsOf(done).length > 0) return false;
      for (const statement of migration.statements) {
        await tx.execute(sql.raw(statement.replaceAll('{schema}', `"${schema}"`)));
      }
      await tx.execute(sql`insert into ${sql.raw(`"${schema}".schema_migrations`)} (id) values (${migration.id})`);
      return true;
    });
    if (didApply) applied.push(migration.id);
  }
  return applied;
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`"${name}" is not a valid schema name (lowercase letters, digits, underscores)`);
  }
}
