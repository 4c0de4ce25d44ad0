// HTTP API of inventory-service: read a SKU's available stock, create a SKU or set its stock.
import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SetStockRequest, StockResponse } from './set-stock.request';
import { StockRepository } from './stock.repository';

const SKU = /^[A-Za-z0-9._-]{1,64}$/;

@ApiTags('inventory')
@Controller('inventory')
export class StockController {
  constructor(private readonly stock: StockRepository) {}

  @Get(':sku')
  @ApiOkResponse({ type: StockResponse })
  @ApiNotFoundResponse()
  async get(@Param('sku') sku: string): Promise<StockResponse> {
    const row = SKU.test(sku) ? await this.stock.find(sku) : undefined;
    if (!row) throw new NotFoundException(`sku ${sku} not found`);
    return { sku: row.sku, available: row.available };
  }

  @Put(':sku')
  @ApiOkResponse({ type: StockResponse })
  @ApiBadRequestResponse({ description: 'available must be a non-negative integer; sku 1-64 of A-Z a-z 0-9 . _ -' })
  async set(@Param('sku') sku: string, @Body() request: SetStockRequest): Promise<StockResponse> {
    if (!SKU.test(sku)) throw new BadRequestException([`sku must be 1-64 characters of A-Z a-z 0-9 . _ -`]);
    await this.stock.set(sku, request.available);
    return { sku, available: request.available };
  }
}
