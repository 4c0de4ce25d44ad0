// The body of PUT /inventory/:sku: the new available quantity.
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class SetStockRequest {
  @ApiProperty({ example: 10, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  available: number;
}

export class StockResponse {
  @ApiProperty({ example: 'SKU-9' })
  sku: string;

  @ApiProperty({ example: 10 })
  available: number;
}
