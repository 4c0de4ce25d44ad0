// An "order confirmed" notification, built from a StockReserved event.
import { EventEnvelope, StockReservedV1Payload } from '@platform/events';

export interface Notification {
  /** The eventId it answers: the idempotency key. */
  id: string;
  orderId: string;
  subject: string;
  text: string;
  createdAt: string;
}

export function orderConfirmed(event: EventEnvelope<StockReservedV1Payload>): Notification {
  const lines = event.payload.items.map((item) => `- ${item.quantity} × ${item.sku}`);
  return {
    id: event.eventId,
    orderId: event.payload.orderId,
    subject: `Order ${event.payload.orderId} confirmed`,
    text: [`Your order ${event.payload.orderId} is confirmed and its items are reserved:`, ...lines].join('\n'),
    createdAt: new Date().toISOString(),
  };
}

/** Delivers notifications: to a local folder (default) or by SMTP. */
export interface NotificationSender {
  readonly kind: string;
  send(notification: Notification): Promise<void>;
}
