// Reservation rules against real databases, embedded PGlite and the PostgreSQL server of
// TEST_POSTGRES_URL (a database of this spec's own): all or nothing, never negative, exactly once per
// event, and the answer written to the outbox atomically with the change, whichever of the two ways
// (one statement when the batch fits, a transaction deciding order by order) applies the batch.
import { ClaimedOutboxRow, DatabaseConfig, OutboxStore, ProcessedEvents, runMigrations, ServiceDatabase, openDatabase } from '@platform/database';
import { createEnvelope, currentEvent, EventEnvelope, OrderCreatedV2, OrderCreatedV2Payload, SERVICES, TOPICS } from '@platform/events';
import { readReleasedSchema, schemaErrors } from '@platform/events/catalog';
import { OutboxRelay } from '@platform/messaging';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_SERVICE_MIGRATIONS } from '../database/inventory-service.migrations';
import { ReserveStockService } from './reserve-stock.service';
import { StockRepository } from './stock.repository';
import { INVENTORY_SERVICE_SCHEMA } from './stock.table';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SPEC_DATABASE = 'reserve_stock_spec';
const dataDir = mkdtempSync(join(tmpdir(), 'inventory-spec-'));

const drivers: [string, () => Promise<DatabaseConfig>][] = [
  ['pglite', async () => ({ driver: 'pglite', dataDir, schema: INVENTORY_SERVICE_SCHEMA })],
  ['postgres', async () => ({ driver: 'postgres', url: await freshDatabase(SPEC_DATABASE), schema: INVENTORY_SERVICE_SCHEMA })],
];

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** An empty database of this name on the server of ADMIN_URL; its URL. */
async function freshDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

/** Returns once some other session of this database waits for a lock. */
async function waitUntilWaitingOnALock(client: Client): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if (rows[0].n > 0) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error('no session started waiting for a lock within 5 s');
}

describe.each(drivers)('ReserveStockService on %s', (driver, config) => {
  let databaseConfig: DatabaseConfig;
  let database: ServiceDatabase;
  let stock: StockRepository;
  let outbox: OutboxStore;
  let service: ReserveStockService;
  const handed: ClaimedOutboxRow[] = [];
  const opened: ServiceDatabase[] = [];

  /** A service on its own connection(s), as another instance of inventory-service would be. */
  async function newService(): Promise<{ database: ServiceDatabase; service: ReserveStockService }> {
    const handle = await openDatabase(databaseConfig);
    await runMigrations(handle.db, INVENTORY_SERVICE_SCHEMA, INVENTORY_SERVICE_MIGRATIONS);
    const database = new ServiceDatabase(handle);
    opened.push(database);
    // The relay gets the committed answers from the service: what it was handed is what it would publish.
    const relay = { handOverLeaseMs: 60_000, handOver: (rows: ClaimedOutboxRow[]) => void handed.push(...rows) } as unknown as OutboxRelay;
    const outbox = new OutboxStore(database.db, INVENTORY_SERVICE_SCHEMA);
    return { database, service: new ReserveStockService(database, new StockRepository(database), new ProcessedEvents(INVENTORY_SERVICE_SCHEMA), outbox, relay) };
  }

  beforeAll(async () => {
    databaseConfig = await config();
    ({ database, service } = await newService());
    stock = new StockRepository(database);
    outbox = new OutboxStore(database.db, INVENTORY_SERVICE_SCHEMA);
  });

  afterAll(async () => {
    for (const each of opened) await each.onApplicationShutdown();
  });

  afterEach(async () => {
    await database.db.execute(sql.raw(`delete from ${INVENTORY_SERVICE_SCHEMA}.outbox`));
    handed.length = 0;
  });

  function orderCreated(items: { sku: string; quantity: number }[]): EventEnvelope<OrderCreatedV2Payload> {
    const orderId = randomUUID();
    return createEnvelope({
      definition: OrderCreatedV2,
      payload: { orderId, customerId: 'c-1', items },
      aggregateId: orderId,
      source: SERVICES.orderService,
    });
  }

  async function available(sku: string) {
    return (await stock.find(sku))?.available;
  }

  it('seeds a few SKUs on first start', async () => {
    expect(await available('SKU-1')).toBe(100);
  });

  it('reserves every item and writes StockReserved caused by the order event', async () => {
    await stock.set('R-1', 5);
    await stock.set('R-2', 5);
    const event = orderCreated([
      { sku: 'R-1', quantity: 2 },
      { sku: 'R-2', quantity: 5 },
    ]);

    expect(await service.reserve(event)).toBe('reserved');

    expect([await available('R-1'), await available('R-2')]).toEqual([3, 0]);
    const [answer] = handed.splice(0);
    expect(answer).toMatchObject({ topic: 'inventory.inventory-service.reserved', key: event.payload.orderId });
    expect(await outbox.claim(10, 60_000)).toEqual([]); // in the outbox, claimed for this service's relay
    expect(answer.envelope).toMatchObject({ type: 'StockReserved', causationId: event.eventId, correlationId: event.payload.orderId });
    // producer side of the contract: the answer matches the released schema
    expect(schemaErrors(readReleasedSchema(TOPICS.stockReserved, currentEvent(TOPICS.stockReserved)) ?? {}, answer.envelope)).toEqual([]);
  });

  it('takes nothing when one item is short, and says which', async () => {
    await stock.set('A-1', 5);
    await stock.set('A-2', 1);

    const outcome = await service.reserve(orderCreated([
      { sku: 'A-1', quantity: 2 },
      { sku: 'A-2', quantity: 2 },
    ]));

    expect(outcome).toBe('INSUFFICIENT_STOCK');
    expect([await available('A-1'), await available('A-2')]).toEqual([5, 1]);
    const [answer] = handed.splice(0);
    expect(answer.envelope.payload).toMatchObject({ reason: 'INSUFFICIENT_STOCK', skus: ['A-2'] });
    expect(schemaErrors(readReleasedSchema(TOPICS.stockRejected, currentEvent(TOPICS.stockRejected)) ?? {}, answer.envelope)).toEqual([]);
  });

  it('rejects unknown SKUs before looking at quantities', async () => {
    await stock.set('U-1', 0);
    expect(await service.reserve(orderCreated([{ sku: 'U-1', quantity: 1 }, { sku: 'NOPE', quantity: 1 }]))).toBe('UNKNOWN_SKU');
  });

  it('adds up a SKU listed twice in one order', async () => {
    await stock.set('D-1', 3);
    expect(await service.reserve(orderCreated([{ sku: 'D-1', quantity: 2 }, { sku: 'D-1', quantity: 2 }]))).toBe(
      'INSUFFICIENT_STOCK',
    );
    expect(await available('D-1')).toBe(3);
  });

  it('applies the same event once: a redelivery changes nothing and writes no second answer', async () => {
    await stock.set('X-1', 10);
    const event = orderCreated([{ sku: 'X-1', quantity: 4 }]);

    const outcomes = [await service.reserve(event), await service.reserve(event)];

    expect(outcomes).toEqual(['reserved', 'duplicate']);
    expect(await available('X-1')).toBe(6);
    expect(await outbox.backlog()).toBe(1);
  });

  it('never goes below zero when orders race for the last units', async () => {
    await stock.set('L-1', 3);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => service.reserve(orderCreated([{ sku: 'L-1', quantity: 1 }]))),
    );
    expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(3);
    expect(await available('L-1')).toBe(0);
  });

  describe('a batch (one transaction for many events)', () => {
    it('decides the orders in order, each against levels that count the ones before it', async () => {
      await stock.set('B-1', 3);
      const events = [2, 2, 1].map((quantity) => orderCreated([{ sku: 'B-1', quantity }]));
      const traceHeaders = events.map((_, index) => ({ traceparent: `00-${'a'.repeat(31)}${index}-${'b'.repeat(16)}-01` }));

      const outcomes = await service.reserveAll(events.map((envelope, index) => ({ envelope, traceHeaders: traceHeaders[index] })));

      expect(outcomes).toEqual(['reserved', 'INSUFFICIENT_STOCK', 'reserved']);
      expect(await available('B-1')).toBe(0);
      const answers = handed.splice(0);
      expect(answers.map((answer) => [answer.envelope.type, answer.key])).toEqual([
        ['StockReserved', events[0].payload.orderId],
        ['StockRejected', events[1].payload.orderId],
        ['StockReserved', events[2].payload.orderId],
      ]);
      // each answer continues the trace of the message that caused it
      expect(answers.map((answer) => answer.headers?.traceparent)).toEqual(traceHeaders.map((headers) => headers.traceparent));
    });

    it('applies an event once even when the batch holds it twice, or it was applied before', async () => {
      await stock.set('B-2', 10);
      const before = orderCreated([{ sku: 'B-2', quantity: 1 }]);
      await service.reserve(before);
      const twice = orderCreated([{ sku: 'B-2', quantity: 2 }]);

      const outcomes = await service.reserveAll([{ envelope: twice }, { envelope: before }, { envelope: twice }]);

      expect(outcomes).toEqual(['reserved', 'duplicate', 'duplicate']);
      expect(await available('B-2')).toBe(7);
      expect(await outbox.backlog()).toBe(2);
    });

    it('rolls the whole batch back when a statement fails: nothing recorded as processed', async () => {
      await stock.set('B-3', 5);
      const good = orderCreated([{ sku: 'B-3', quantity: 1 }]);
      const broken = { ...orderCreated([{ sku: 'B-3', quantity: 1 }]), eventId: 'not-a-uuid' };

      await expect(service.reserveAll([{ envelope: good }, { envelope: broken }])).rejects.toThrow();

      expect(await available('B-3')).toBe(5);
      expect(await service.reserve(good)).toBe('reserved');
    });
  });

  describe('a batch that fits: one statement, no transaction', () => {
    it('reserves every order, records every event and writes every answer', async () => {
      await stock.set('F-1', 5);
      await stock.set('F-2', 2);
      const events = [orderCreated([{ sku: 'F-1', quantity: 2 }]), orderCreated([{ sku: 'F-1', quantity: 3 }, { sku: 'F-2', quantity: 2 }])];
      const transaction = jest.spyOn(database.db, 'transaction');

      const outcomes = await service.reserveAll(events.map((envelope) => ({ envelope })));

      expect(transaction).not.toHaveBeenCalled();
      transaction.mockRestore();
      expect(outcomes).toEqual(['reserved', 'reserved']);
      expect([await available('F-1'), await available('F-2')]).toEqual([0, 0]);
      const answers = handed.splice(0);
      expect(answers.map((answer) => [answer.envelope.type, answer.key, answer.envelope.causationId])).toEqual(
        events.map((event) => ['StockReserved', event.payload.orderId, event.eventId]),
      );
      expect(answers.every((answer) => /^\d+$/.test(answer.id))).toBe(true); // the outbox rows' ids, for the relay's delete
      expect(await outbox.backlog()).toBe(2);
      // recorded as processed: the same events again change nothing
      expect(await service.reserveAll(events.map((envelope) => ({ envelope })))).toEqual(['duplicate', 'duplicate']);
      expect(await available('F-1')).toBe(0);
      expect(await outbox.backlog()).toBe(2);
    });

    it('leaves nothing of itself behind when the batch does not fit together', async () => {
      await stock.set('F-3', 3);
      const events = [2, 2].map((quantity) => orderCreated([{ sku: 'F-3', quantity }]));
      const transaction = jest.spyOn(database.db, 'transaction');

      const outcomes = await service.reserveAll(events.map((envelope) => ({ envelope })));

      expect(transaction).toHaveBeenCalledTimes(1); // decided order by order
      transaction.mockRestore();
      expect(outcomes).toEqual(['reserved', 'INSUFFICIENT_STOCK']);
      expect(await available('F-3')).toBe(1);
      expect(handed.splice(0).map((answer) => answer.envelope.type)).toEqual(['StockReserved', 'StockRejected']);
      expect(await outbox.backlog()).toBe(2); // the two answers of the transaction, none of the statement's
    });

    it('rejects as short an order past the stock column\'s range, instead of failing the statement', async () => {
      await stock.set('F-9', 5);
      expect(await service.reserve(orderCreated([{ sku: 'F-9', quantity: 3_000_000_000 }]))).toBe('INSUFFICIENT_STOCK');
      expect(await available('F-9')).toBe(5);
    });

    if (driver === 'postgres') {
      it('decides order by order with the rows locked before the events are recorded, as the one statement does', async () => {
        // Same order of locks in both ways: two instances applying the same event never wait on each
        // other crosswise (a deadlock, one batch failed). Another session holds the row; the batch
        // must wait for it without having recorded its event.
        await stock.set('F-10', 5);
        const event = orderCreated([{ sku: 'F-10', quantity: 1 }]);
        const holder = new Client({ connectionString: (databaseConfig as { url: string }).url });
        const probe = new Client({ connectionString: (databaseConfig as { url: string }).url });
        await Promise.all([holder.connect(), probe.connect()]);
        try {
          await holder.query('begin');
          await holder.query(`select 1 from ${INVENTORY_SERVICE_SCHEMA}.stock where sku = 'F-10' for update`);
          const deciding = service['decideInOrder']([{ envelope: event }], [new Map([['F-10', 1]])]);
          await waitUntilWaitingOnALock(probe);

          // The event is not recorded, not even uncommitted: recording it here does not wait.
          await probe.query('begin');
          await probe.query("set local lock_timeout = '2s'");
          await probe.query(`insert into ${INVENTORY_SERVICE_SCHEMA}.processed_events (event_id, event_type) values ($1, 'probe')`, [event.eventId]);
          await probe.query('rollback');

          await holder.query('rollback');
          expect((await deciding).outcomes).toEqual(['reserved']);
        } finally {
          await Promise.all([holder.end(), probe.end()]);
        }
      });

      it('never oversells when two instances take from the same rows at once', async () => {
        const other = (await newService()).service;
        // Each batch fits alone (3 of 5); together they do not. Whichever locks the row second must see
        // what the first took, whichever way it applies its batch. Five races: which comes first varies.
        for (const sku of ['F-4', 'F-5', 'F-6', 'F-7', 'F-8']) {
          await stock.set(sku, 5);
          const batch = () => [1, 1, 1].map((quantity) => ({ envelope: orderCreated([{ sku, quantity }]) }));

          const outcomes = (await Promise.all([service.reserveAll(batch()), other.reserveAll(batch())])).flat();

          expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(5);
          expect(outcomes.filter((outcome) => outcome === 'INSUFFICIENT_STOCK')).toHaveLength(1);
          expect(await available(sku)).toBe(0);
        }
      });
    }
  });
});

