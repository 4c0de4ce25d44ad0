// Reserving an order's items: all or nothing, never below zero, exactly once per OrderCreated event.
// One transaction holds the processed-event record, the row locks and decrements, and the answer
// (StockReserved or StockRejected) in the outbox; the relay publishes the answer after commit.
import { Injectable, Logger } from '@nestjs/common';
import { OutboxStore, ProcessedEvents, ServiceDatabase } from '@platform/database';
import {
  createEnvelope,
  EventEnvelope,
  OrderCreatedV2Payload,
  SERVICES,
  StockRejectedV1,
  StockRejectionReason,
  StockReservedV1,
  TOPICS,
} from '@platform/events';
import { OutboxRelay } from '@platform/messaging';
import { StockRepository } from './stock.repository';

export type ReservationOutcome = 'reserved' | StockRejectionReason | 'duplicate';

@Injectable()
export class ReserveStockService {
  private readonly logger = new Logger(ReserveStockService.name);

  constructor(
    private readonly database: ServiceDatabase,
    private readonly stock: StockRepository,
    private readonly processed: ProcessedEvents,
    private readonly outbox: OutboxStore,
    private readonly relay: OutboxRelay,
  ) {}

  async reserve(event: EventEnvelope<OrderCreatedV2Payload>): Promise<ReservationOutcome> {
    const { orderId } = event.payload;
    const wanted = totalBySku(event.payload.items);
    const outcome = await this.database.db.transaction(async (tx): Promise<ReservationOutcome> => {
      if (!(await this.processed.markFirstSeen(tx, event))) return 'duplicate';
      const available = await this.stock.lock(tx, [...wanted.keys()]);
      const unknown = [...wanted.keys()].filter((sku) => !available.has(sku));
      const short = [...wanted].filter(([sku, quantity]) => (available.get(sku) ?? quantity) < quantity);
      if (unknown.length > 0 || short.length > 0) {
        const reason = unknown.length > 0 ? StockRejectionReason.UnknownSku : StockRejectionReason.InsufficientStock;
        const skus = unknown.length > 0 ? unknown : short.map(([sku]) => sku);
        await this.outbox.add(tx, {
          topic: TOPICS.stockRejected.name,
          key: orderId,
          envelope: createEnvelope({
            definition: StockRejectedV1,
            payload: { orderId, reason, skus },
            aggregateId: orderId,
            source: SERVICES.inventoryService,
            causedBy: event,
          }),
        });
        return reason;
      }
      for (const [sku, quantity] of wanted) await this.stock.decrement(tx, sku, quantity);
      await this.outbox.add(tx, {
        topic: TOPICS.stockReserved.name,
        key: orderId,
        envelope: createEnvelope({
          definition: StockReservedV1,
          payload: { orderId, items: [...wanted].map(([sku, quantity]) => ({ sku, quantity })) },
          aggregateId: orderId,
          source: SERVICES.inventoryService,
          causedBy: event,
        }),
      });
      return 'reserved';
    });
    if (outcome === 'duplicate') {
      this.logger.warn(`OrderCreated ${event.eventId} for order ${orderId} was already applied; ignored`);
    } else {
      this.relay.nudge();
      this.logger.log(`order ${orderId}: ${outcome}`);
    }
    return outcome;
  }
}

/** One order may list a SKU twice; what matters is the total per SKU. */
function totalBySku(items: { sku: string; quantity: number }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of items) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return new Map([...totals].sort(([a], [b]) => a.localeCompare(b)));
}
