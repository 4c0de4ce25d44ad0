// Applies inventory-service's answer to an order, exactly once per event: the processed-event record
// and the status change commit together, so a redelivered StockReserved/StockRejected changes nothing.
import { Injectable, Logger } from '@nestjs/common';
import { ProcessedEvents, ServiceDatabase } from '@platform/database';
import { EventEnvelope, StockRejectedV1Payload, StockReservedV1Payload } from '@platform/events';
import { orderMetrics } from '@platform/observability';
import { OrdersRepository } from './orders.repository';

@Injectable()
export class SettleOrderService {
  private readonly logger = new Logger(SettleOrderService.name);

  constructor(
    private readonly database: ServiceDatabase,
    private readonly orders: OrdersRepository,
    private readonly processed: ProcessedEvents,
  ) {}

  confirm(event: EventEnvelope<StockReservedV1Payload>): Promise<void> {
    return this.settle(event, event.payload.orderId, 'CONFIRMED', null);
  }

  reject(event: EventEnvelope<StockRejectedV1Payload>): Promise<void> {
    return this.settle(event, event.payload.orderId, 'REJECTED', event.payload.reason);
  }

  private async settle(
    event: EventEnvelope,
    orderId: string,
    status: 'CONFIRMED' | 'REJECTED',
    reason: string | null,
  ): Promise<void> {
    const outcome = await this.database.db.transaction(async (tx) => {
      if (!(await this.processed.markFirstSeen(tx, event))) return 'duplicate';
      const settled = await this.orders.settle(tx, orderId, status, reason);
      return settled ? { acceptedAt: settled.createdAt } : 'not-pending';
    });
    if (typeof outcome === 'object') {
      orderMetrics.settled().inc({ status });
      orderMetrics.endToEnd().observe((Date.now() - outcome.acceptedAt.getTime()) / 1000);
      this.logger.log(`order ${orderId} ${status}${reason ? ` (${reason})` : ''}`);
    } else if (outcome === 'not-pending') {
      this.logger.warn(`order ${orderId} was not PENDING (unknown or already settled); ${event.type} ${event.eventId} ignored`);
    }
  }
}
