// Where a service keeps its data: PostgreSQL when DATABASE_URL is set, otherwise an embedded
// PostgreSQL (PGlite, WASM) in a folder under .local/, so `npm start` needs no database server.
import { resolve } from 'node:path';

export type DatabaseConfig =
  | { driver: 'postgres'; url: string; schema: string }
  | { driver: 'pglite'; dataDir: string; schema: string };

export function databaseConfigFromEnv(
  env: NodeJS.ProcessEnv,
  service: { schema: string; embeddedDir: string },
): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgres:// URL, got "${url}"`);
    }
    return { driver: 'postgres', url, schema: service.schema };
  }
  return { driver: 'pglite', dataDir: resolve(service.embeddedDir), schema: service.schema };
}
