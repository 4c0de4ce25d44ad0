// Accepting an order: the order row and its OrderCreated event are written in one transaction
// (transactional outbox), then the committed row is handed to the relay to publish. No dual write: if
// Kafka is down the order is still accepted and its event goes out when the broker is back.
import { Injectable } from '@nestjs/common';
import { TOPICS } from '@platform/events';
import { OutboxStore, ServiceDatabase } from '@platform/database';
import { OutboxRelay } from '@platform/messaging';
import { orderMetrics } from '@platform/observability';
import { randomUUID } from 'node:crypto';
import { CreateOrderRequest } from './create-order.request';
import { orderCreatedEvent } from './order-created.event';
import { OrdersRepository } from './orders.repository';

@Injectable()
export class PlaceOrderService {
  constructor(
    private readonly database: ServiceDatabase,
    private readonly orders: OrdersRepository,
    private readonly outbox: OutboxStore,
    private readonly relay: OutboxRelay,
  ) {}

  async place(request: CreateOrderRequest): Promise<{ orderId: string; status: 'PENDING' }> {
    const orderId = randomUUID();
    const items = request.items.map(({ sku, quantity }) => ({ sku, quantity }));
    const envelope = orderCreatedEvent({ orderId, customerId: request.customerId, items, salesChannel: request.salesChannel });
    const outboxRows = await this.database.db.transaction(async (tx) => {
      await this.orders.insertPending(tx, { id: orderId, customerId: request.customerId, items });
      return this.outbox.add(tx, { topic: TOPICS.orderCreated.name, key: orderId, envelope }, { handOverLeaseMs: this.relay.handOverLeaseMs });
    });
    this.relay.handOver(outboxRows);
    orderMetrics.placed().inc();
    return { orderId, status: 'PENDING' };
  }
}
