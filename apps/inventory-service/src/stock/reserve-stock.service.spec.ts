// Reservation rules against a real (embedded) PostgreSQL: all or nothing, never negative, exactly
// once per event, and the answer written to the outbox in the same transaction.
import { ClaimedOutboxRow, OutboxStore, ProcessedEvents, runMigrations, ServiceDatabase, openDatabase } from '@platform/database';
import { createEnvelope, currentEvent, EventEnvelope, OrderCreatedV2, OrderCreatedV2Payload, SERVICES, TOPICS } from '@platform/events';
import { readReleasedSchema, schemaErrors } from '@platform/events/catalog';
import { OutboxRelay } from '@platform/messaging';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_SERVICE_MIGRATIONS } from '../database/inventory-service.migrations';
import { ReserveStockService } from './reserve-stock.service';
import { StockRepository } from './stock.repository';
import { INVENTORY_SERVICE_SCHEMA } from './stock.table';

describe('ReserveStockService', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inventory-spec-'));
  let database: ServiceDatabase;
  let stock: StockRepository;
  let outbox: OutboxStore;
  let service: ReserveStockService;
  const handed: ClaimedOutboxRow[] = [];

  beforeAll(async () => {
    const handle = await openDatabase({ driver: 'pglite', dataDir, schema: INVENTORY_SERVICE_SCHEMA });
    await runMigrations(handle.db, INVENTORY_SERVICE_SCHEMA, INVENTORY_SERVICE_MIGRATIONS);
    database = new ServiceDatabase(handle);
    stock = new StockRepository(database);
    outbox = new OutboxStore(database.db, INVENTORY_SERVICE_SCHEMA);
    // The relay gets the committed answers from the service: what it was handed is what it would publish.
    const relay = { handOverLeaseMs: 60_000, handOver: (rows: ClaimedOutboxRow[]) => void handed.push(...rows) } as unknown as OutboxRelay;
    service = new ReserveStockService(database, stock, new ProcessedEvents(INVENTORY_SERVICE_SCHEMA), outbox, relay);
  });

  afterAll(async () => {
    await database.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
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
});

