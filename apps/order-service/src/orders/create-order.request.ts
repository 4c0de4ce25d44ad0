// The body of POST /orders. Validated by the global ValidationPipe: unknown properties, missing
// fields, empty item lists and non-positive or fractional quantities are refused with a 400.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsNotEmpty,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Channels a client may name; "unknown" is only what consumers see for orders from before v2. */
const ORDER_CHANNELS = ['web', 'mobile', 'store'] as const;

export class OrderLineRequest {
  @ApiProperty({ example: 'SKU-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  quantity: number;
}

export class CreateOrderRequest {
  @ApiProperty({ example: 'c-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  customerId: string;

  @ApiProperty({ type: [OrderLineRequest], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  items: OrderLineRequest[];

  @ApiPropertyOptional({ enum: ORDER_CHANNELS, description: 'where the order was placed' })
  @IsOptional()
  @IsIn(ORDER_CHANNELS)
  salesChannel?: (typeof ORDER_CHANNELS)[number];
}
