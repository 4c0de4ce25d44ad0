// Settling orders from inventory-service's answers against a real (embedded) PostgreSQL: once per
// event, once per order, and a batch behaves like its answers applied one after another.
import { openDatabase, ProcessedEvents, runMigrations, ServiceDatabase } from '@platform/database';
import { orderMetrics } from '@platform/observability';
import { createEnvelope, SERVICES, StockRejectedV1, StockRejectionReason, StockReservedV1 } from '@platform/events';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDER_SERVICE_MIGRATIONS } from '../database/order-service.migrations';
import { OrdersRepository } from './orders.repository';
import { ORDER_SERVICE_SCHEMA } from './orders.table';
import { SettleOrderService } from './settle-order.service';

/** orders_settled_total by status, as the /metrics scrape would show it. */
async function settledCounts(): Promise<Record<'CONFIRMED' | 'REJECTED', number>> {
  const { values } = await orderMetrics.settled().get();
  const of = (status: string) => values.find((value) => value.labels.status === status)?.value ?? 0;
  return { CONFIRMED: of('CONFIRMED'), REJECTED: of('REJECTED') };
}

describe('SettleOrderService', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-spec-'));
  let database: ServiceDatabase;
  let orders: OrdersRepository;
  let service: SettleOrderService;

  beforeAll(async () => {
    const handle = await openDatabase({ driver: 'pglite', dataDir, schema: ORDER_SERVICE_SCHEMA });
    await runMigrations(handle.db, ORDER_SERVICE_SCHEMA, ORDER_SERVICE_MIGRATIONS);
    database = new ServiceDatabase(handle);
    orders = new OrdersRepository(database);
    service = new SettleOrderService(orders, new ProcessedEvents(ORDER_SERVICE_SCHEMA));
  });

  afterAll(async () => {
    await database.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function pendingOrder(): Promise<string> {
    const id = randomUUID();
    await database.db.execute(orders.insertPendingStatement([{ id, customerId: 'c-1', items: [{ sku: 'S-1', quantity: 1 }] }]));
    return id;
  }

  const reserved = (orderId: string) =>
    createEnvelope({ definition: StockReservedV1, payload: { orderId, items: [{ sku: 'S-1', quantity: 1 }] }, aggregateId: orderId, source: SERVICES.inventoryService });
  const rejected = (orderId: string) =>
    createEnvelope({
      definition: StockRejectedV1,
      payload: { orderId, reason: StockRejectionReason.InsufficientStock, skus: ['S-1'] },
      aggregateId: orderId,
      source: SERVICES.inventoryService,
    });

  async function statusOf(id: string) {
    const row = await orders.findById(id);
    return [row?.status, row?.reason];
  }

  it('confirms and rejects pending orders', async () => {
    const [a, b] = [await pendingOrder(), await pendingOrder()];
    await service.confirm(reserved(a));
    await service.reject(rejected(b));
    expect([await statusOf(a), await statusOf(b)]).toEqual([
      ['CONFIRMED', null],
      ['REJECTED', 'INSUFFICIENT_STOCK'],
    ]);
  });

  it('settles a batch in one go, each order once: the first answer wins, repeats change nothing', async () => {
    const [a, b, c] = [await pendingOrder(), await pendingOrder(), await pendingOrder()];
    const first = reserved(a);
    const settledBefore = await settledCounts();

    await service.confirmAll([{ envelope: first }, { envelope: reserved(b) }, { envelope: first }, { envelope: reserved(a) }]);
    await service.rejectAll([{ envelope: rejected(b) }, { envelope: rejected(c) }]);

    // Counted once per order settled now: not for the repeated event, nor for answers after the first.
    const settledAfter = await settledCounts();
    expect({ CONFIRMED: settledAfter.CONFIRMED - settledBefore.CONFIRMED, REJECTED: settledAfter.REJECTED - settledBefore.REJECTED }).toEqual({ CONFIRMED: 2, REJECTED: 1 });

    expect([await statusOf(a), await statusOf(b), await statusOf(c)]).toEqual([
      ['CONFIRMED', null],
      ['CONFIRMED', null],
      ['REJECTED', 'INSUFFICIENT_STOCK'],
    ]);
  });

  it('records nothing when the statement fails: the answer applies in full when it comes again', async () => {
    const a = await pendingOrder();
    const answer = reserved(a);
    // A status the orders table's check refuses makes the statement fail after its processed-event insert.
    const failure = await orders
      .settleFirstSeen(new ProcessedEvents(ORDER_SERVICE_SCHEMA).firstSeenStatement([answer]), [{ eventId: answer.eventId, orderId: a, status: 'LOST' as never, reason: null }])
      .catch((error: Error & { cause?: Error }) => error.cause?.message);
    expect(failure).toMatch(/check constraint/);
    await service.confirm(answer);
    expect(await statusOf(a)).toEqual(['CONFIRMED', null]);
  });

  it('ignores an answer for an order it does not know', async () => {
    await expect(service.confirmAll([{ envelope: reserved(randomUUID()) }])).resolves.toBeUndefined();
  });
});
