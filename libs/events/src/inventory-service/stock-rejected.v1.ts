// StockRejected v1: inventory-service could not reserve an order; nothing was decremented.
// order-service moves the order to REJECTED with the reason.
import { IsArray, IsEnum, IsString, IsUUID } from 'class-validator';
import { defineEvent } from '../event-definition';

export enum StockRejectionReason {
  InsufficientStock = 'INSUFFICIENT_STOCK',
  UnknownSku = 'UNKNOWN_SKU',
}

export class StockRejectedV1Payload {
  @IsUUID()
  orderId: string;

  @IsEnum(StockRejectionReason)
  reason: StockRejectionReason;

  /** The SKUs that caused the rejection, so an operator sees which item failed. */
  @IsArray()
  @IsString({ each: true })
  skus: string[];
}

export const StockRejectedV1 = defineEvent('StockRejected', 1, StockRejectedV1Payload);
