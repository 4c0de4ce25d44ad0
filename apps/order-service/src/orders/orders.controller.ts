// HTTP API of order-service: accept an order (202, settled asynchronously by inventory-service's
// answer) and read its current status.
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateOrderRequest } from './create-order.request';
import { OrderAcceptedResponse, OrderResponse } from './order.response';
import { OrdersRepository } from './orders.repository';
import { PlaceOrderService } from './place-order.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly orders: OrdersRepository,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: OrderAcceptedResponse, description: 'Stored as PENDING; OrderCreated will be published' })
  @ApiBadRequestResponse({ description: 'The body is invalid; `message` lists every reason' })
  place(@Body() request: CreateOrderRequest): Promise<OrderAcceptedResponse> {
    return this.placeOrder.place(request);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse()
  async get(@Param('id') id: string): Promise<OrderResponse> {
    const row = UUID.test(id) ? await this.orders.findById(id) : undefined;
    if (!row) throw new NotFoundException(`order ${id} not found`);
    return OrderResponse.from(row);
  }
}
