// OrderCreated v2: published by order-service once an order is accepted (status PENDING).
// inventory-service reserves its items; the key is the orderId so one order's events stay in order.
// v2 adds the optional salesChannel. A v1 message is upcast: its channel is "unknown".
import { IsIn, IsOptional } from 'class-validator';
import { defineEvent } from '../event-definition';
import { OrderCreatedV1, OrderCreatedV1Payload } from './order-created.v1';

export const SALES_CHANNELS = ['web', 'mobile', 'store', 'unknown'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

/** v1 plus an optional salesChannel: v1's rules are inherited, the class stays the single source. */
export class OrderCreatedV2Payload extends OrderCreatedV1Payload {
  @IsOptional()
  @IsIn(SALES_CHANNELS)
  salesChannel?: SalesChannel;
}

export const OrderCreatedV2 = defineEvent('OrderCreated', 2, OrderCreatedV2Payload, {
  upcastFrom: {
    definition: OrderCreatedV1,
    convert: (v1) => ({ ...(v1 as OrderCreatedV1Payload), salesChannel: 'unknown' }),
  },
});
