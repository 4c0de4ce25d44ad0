// The shared persistence pieces against real databases: embedded PGlite always, and the PostgreSQL
// server of TEST_POSTGRES_URL (default: the local one) so both drivers are held to the same behaviour.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { DatabaseConfig } from './database-config';
import { ProcessedEvents } from './inbox/processed-events';
import { processedEventsMigration } from './inbox/processed-events.migration';
import { runMigrations } from './migrations';
import { openDatabase, OpenDatabase } from './open-database';
import { OutboxStore } from './outbox/outbox-store';
import { outboxMigration } from './outbox/outbox.migration';
import type { EventEnvelope } from '@platform/events';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'platform_db_spec';
const pgliteDir = mkdtempSync(join(tmpdir(), 'pglite-spec-'));

const drivers: [string, DatabaseConfig][] = [
  ['pglite', { driver: 'pglite', dataDir: pgliteDir, schema: SCHEMA }],
  ['postgres', { driver: 'postgres', url: POSTGRES_URL, schema: SCHEMA }],
];

afterAll(() => rmSync(pgliteDir, { recursive: true, force: true }));

function envelope(eventId: string): EventEnvelope {
  return { eventId, type: 'T', version: 1 } as EventEnvelope;
}

describe.each(drivers)('database layer on %s', (driver, config) => {
  let database: OpenDatabase;

  beforeAll(async () => {
    if (driver === 'postgres') {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${SCHEMA} cascade`);
      await client.end();
    }
    database = await openDatabase(config);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('applies migrations once, and a second run applies nothing', async () => {
    const migrations = [outboxMigration, processedEventsMigration];
    expect(await runMigrations(database.db, SCHEMA, migrations)).toEqual([outboxMigration.id, processedEventsMigration.id]);
    expect(await runMigrations(database.db, SCHEMA, migrations)).toEqual([]);
  });

  it('claims outbox rows oldest first, hides claimed rows from a second claimer, and deletes them', async () => {
    const outbox = new OutboxStore(database.db, SCHEMA);
    await database.db.transaction(async (tx) => {
      for (const id of ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']) {
        await outbox.add(tx, { topic: 'a.b.c', key: id, envelope: envelope(id), headers: { h: 'v' } });
      }
    });

    const first = await outbox.claim(10, 60_000);
    const second = await outbox.claim(10, 60_000);

    expect(first.map((row) => row.key)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    expect(first[0]).toMatchObject({ topic: 'a.b.c', headers: { h: 'v' }, attempts: 1 });
    expect(first[0].envelope.eventId).toBe('00000000-0000-4000-8000-000000000001');
    expect(second).toEqual([]);
    await outbox.delete(first.map((row) => row.id));
    expect(await outbox.backlog()).toBe(0);
  });

  it('never gives one row to two relays claiming at the same time', async () => {
    const outbox = new OutboxStore(database.db, SCHEMA);
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await outbox.add(tx, { topic: 't', key: `k${i}`, envelope: envelope(String(i)) });
    });
    const claimUntilEmpty = async () => {
      const mine: string[] = [];
      for (;;) {
        const rows = await outbox.claim(7, 60_000);
        if (rows.length === 0) return mine;
        mine.push(...rows.map((row) => row.key));
      }
    };

    const [first, second] = await Promise.all([claimUntilEmpty(), claimUntilEmpty()]);

    expect(first.filter((key) => second.includes(key))).toEqual([]);
    expect(new Set([...first, ...second]).size).toBe(200);
    await database.db.execute(sql.raw(`delete from ${SCHEMA}.outbox`));
  });

  it('writes rows for a hand-over already claimed, returns them with their ids, and frees them once the lease ran out', async () => {
    const outbox = new OutboxStore(database.db, SCHEMA);
    const ids = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const written = await database.db.transaction((tx) =>
      outbox.addAll(tx, ids.map((id) => ({ topic: 't', key: id, envelope: envelope(id) })), { handOverLeaseMs: 300 }),
    );

    expect(written.map((row) => [row.key, row.attempts])).toEqual(ids.map((id) => [id, 1]));
    expect(await outbox.claim(10, 60_000)).toEqual([]); // held for the writer's relay
    await new Promise((done) => setTimeout(done, 400));
    const freed = await outbox.claim(10, 60_000); // the writer died: anyone may publish them now
    expect(freed.map((row) => row.id)).toEqual(written.map((row) => row.id));
    await outbox.delete(freed.map((row) => row.id));
  });

  it('makes released rows claimable again at once, counting the attempt', async () => {
    const outbox = new OutboxStore(database.db, SCHEMA);
    await database.db.transaction((tx) => outbox.add(tx, { topic: 't', key: 'k', envelope: envelope('x') }));
    const [claimed] = await outbox.claim(10, 60_000);

    await outbox.release([claimed.id], 'broker down');
    const [again] = await outbox.claim(10, 60_000);

    expect(again).toMatchObject({ id: claimed.id, attempts: 2 });
    await outbox.delete([again.id]);
  });

  it('rolls the outbox row back with the transaction that wrote it', async () => {
    const outbox = new OutboxStore(database.db, SCHEMA);
    await expect(
      database.db.transaction(async (tx) => {
        await outbox.add(tx, { topic: 't', key: 'k', envelope: envelope('y') });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await outbox.backlog()).toBe(0);
  });

  it('reports an event as first seen exactly once', async () => {
    const processed = new ProcessedEvents(SCHEMA);
    const event = { eventId: '11111111-1111-4111-8111-111111111111', type: 'T' };

    const first = await database.db.transaction((tx) => processed.markFirstSeen(tx, event));
    const second = await database.db.transaction((tx) => processed.markFirstSeen(tx, event));

    expect([first, second]).toEqual([true, false]);
  });
});

describe('migrations started by two instances at once (PostgreSQL)', () => {
  it('create the schema once: neither start fails', async () => {
    const schema = 'platform_db_spec_race';
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    const [first, second] = await Promise.all([1, 2].map(() => openDatabase({ driver: 'postgres', url: POSTGRES_URL, schema })));
    try {
      const runs = await Promise.all([first, second].map((database) => runMigrations(database.db, schema, [outboxMigration, processedEventsMigration])));
      expect(runs.flat().sort()).toEqual([outboxMigration.id, processedEventsMigration.id].sort());
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
