// The OrderCreated event for an accepted order, in the current version of the contract.
import { createEnvelope, EventEnvelope, OrderCreatedV2, OrderCreatedV2Payload, SalesChannel, SERVICES } from '@platform/events';

export function orderCreatedEvent(order: {
  orderId: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  salesChannel?: SalesChannel;
}): EventEnvelope<OrderCreatedV2Payload> {
  return createEnvelope({
    definition: OrderCreatedV2,
    payload: {
      orderId: order.orderId,
      customerId: order.customerId,
      items: order.items,
      ...(order.salesChannel ? { salesChannel: order.salesChannel } : {}),
    },
    aggregateId: order.orderId,
    source: SERVICES.orderService,
  });
}
