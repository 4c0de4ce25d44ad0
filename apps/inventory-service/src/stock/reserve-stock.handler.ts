// Kafka entry point of inventory-service: OrderCreated from order-service. Translation only:
// validate through the contract, then one call to ReserveStockService. Failures are the transport's
// business (libs/messaging ReliableKafkaServer): an invalid event is dead-lettered at once, any other
// error is retried with this handler's policy, then dead-lettered.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EventEnvelope, OrderCreatedV2Payload, TOPICS } from '@platform/events';
import { receiveEvent, withRetryPolicy } from '@platform/messaging';
import { ReserveStockService } from './reserve-stock.service';

@Controller()
export class ReserveStockHandler {
  constructor(private readonly reserveStock: ReserveStockService) {}

  @EventPattern(TOPICS.orderCreated.name, withRetryPolicy({ attempts: 5, maxDelayMs: 5_000 }))
  async onOrderCreated(@Ctx() context: KafkaContext): Promise<void> {
    const { envelope } = receiveEvent(TOPICS.orderCreated, context);
    await this.reserveStock.reserve(envelope as EventEnvelope<OrderCreatedV2Payload>);
  }
}
