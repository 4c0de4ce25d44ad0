// StockReserved v1: inventory-service reserved every item of an order (all or nothing).
// order-service moves the order to CONFIRMED.
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { defineEvent } from '../event-definition';
import { OrderLineV1 } from '../order-service/order-created.v1';

export class StockReservedV1Payload {
  @IsUUID()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  items: OrderLineV1[];
}

export const StockReservedV1 = defineEvent('StockReserved', 1, StockReservedV1Payload);
