// Kafka entry point of inventory-service: OrderCreated from order-service. Translation only:
// validate through the contract, then one call to ReserveStockService.
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EventEnvelope, OrderCreatedV1Payload, TOPICS } from '@platform/events';
import { consumeEvent } from '@platform/messaging';
import { ReserveStockService } from './reserve-stock.service';

@Controller()
export class ReserveStockHandler {
  private readonly logger = new Logger(ReserveStockHandler.name);

  constructor(private readonly reserveStock: ReserveStockService) {}

  @EventPattern(TOPICS.orderCreated.name)
  onOrderCreated(@Ctx() context: KafkaContext): Promise<void> {
    return consumeEvent(TOPICS.orderCreated, context, this.logger, async ({ envelope }) => {
      await this.reserveStock.reserve(envelope as EventEnvelope<OrderCreatedV1Payload>);
    });
  }
}
