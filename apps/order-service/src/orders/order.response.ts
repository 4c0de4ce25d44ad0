// What GET /orders/:id and POST /orders return.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderLineRequest } from './create-order.request';
import { OrderRow, OrderStatus } from './orders.table';

export class OrderAcceptedResponse {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ enum: ['PENDING'] })
  status: 'PENDING';
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ enum: ['PENDING', 'CONFIRMED', 'REJECTED'] })
  status: OrderStatus;

  @ApiProperty({ type: [OrderLineRequest] })
  items: OrderLineRequest[];

  @ApiPropertyOptional({ enum: ['INSUFFICIENT_STOCK', 'UNKNOWN_SKU'] })
  reason?: string;

  static from(row: OrderRow): OrderResponse {
    return {
      orderId: row.id,
      status: row.status,
      items: row.items,
      ...(row.reason ? { reason: row.reason } : {}),
    };
  }
}
