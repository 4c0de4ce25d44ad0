// Placing orders against a real (embedded) PostgreSQL: orders placed at the same moment are written
// together, each with its own OrderCreated outbox row carrying its own request's trace, and handed to
// the relay once committed.
import { ClaimedOutboxRow, openDatabase, OutboxStore, runMigrations, ServiceDatabase } from '@platform/database';
import { OutboxRelay } from '@platform/messaging';
import { initTracing, inSpan, SpanKind, traceHeaders, traceIdOf } from '@platform/observability';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDER_SERVICE_MIGRATIONS } from '../database/order-service.migrations';
import { OrdersRepository } from './orders.repository';
import { ORDER_SERVICE_SCHEMA } from './orders.table';
import { PlaceOrderService } from './place-order.service';

describe('PlaceOrderService', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-place-spec-'));
  const handed: ClaimedOutboxRow[] = [];
  let database: ServiceDatabase;
  let orders: OrdersRepository;
  let service: PlaceOrderService;

  beforeAll(async () => {
    initTracing('order-service-spec', {});
    const handle = await openDatabase({ driver: 'pglite', dataDir, schema: ORDER_SERVICE_SCHEMA });
    await runMigrations(handle.db, ORDER_SERVICE_SCHEMA, ORDER_SERVICE_MIGRATIONS);
    database = new ServiceDatabase(handle);
    orders = new OrdersRepository(database);
    const relay = { handOverLeaseMs: 60_000, handOver: (rows: ClaimedOutboxRow[]) => void handed.push(...rows) } as unknown as OutboxRelay;
    service = new PlaceOrderService(database, orders, new OutboxStore(database.db, ORDER_SERVICE_SCHEMA), relay);
  });

  afterAll(async () => {
    await database.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes orders placed together, each with its own OrderCreated in its own request\'s trace', async () => {
    const placeInOwnRequest = (customerId: string) =>
      inSpan('POST /orders', { kind: SpanKind.SERVER }, async () => {
        const traceId = traceIdOf(traceHeaders().traceparent);
        const { orderId } = await service.place({ customerId, items: [{ sku: 'S-1', quantity: 2 }] } as never);
        return { orderId, traceId };
      });

    const placed = await Promise.all(['c-1', 'c-2', 'c-3'].map(placeInOwnRequest));

    for (const { orderId, traceId } of placed) {
      expect(await orders.findById(orderId)).toMatchObject({ status: 'PENDING', items: [{ sku: 'S-1', quantity: 2 }] });
      const row = handed.find((candidate) => candidate.key === orderId);
      expect(row?.envelope).toMatchObject({ type: 'OrderCreated', aggregateId: orderId });
      expect(traceIdOf(row?.headers?.traceparent)).toBe(traceId);
    }
    expect(handed).toHaveLength(3);
    expect(new Set(placed.map(({ traceId }) => traceId)).size).toBe(3);
  });
});
