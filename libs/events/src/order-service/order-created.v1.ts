// OrderCreated v1: the first shape of the event order-service publishes when an order is accepted.
// Superseded by v2 (order-created.v2.ts); consumers still accept v1, upcast to v2.
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../event-definition';

export class OrderLineV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

export class OrderCreatedV1Payload {
  @IsUUID()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  items: OrderLineV1[];
}

export const OrderCreatedV1 = defineEvent('OrderCreated', 1, OrderCreatedV1Payload);
