// Kafka entry point of inventory-service: OrderCreated from order-service, in batches of up to 500
// messages of one partition. Translation only: validate through the contract, then one call to
// ReserveStockService for the batch. Failures are the transport's business (libs/messaging
// ReliableKafkaServer): a failed batch is handed back one message at a time, where an invalid event
// is dead-lettered at once and any other error is retried with this handler's policy, then
// dead-lettered.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { OrderCreatedV2Payload, TOPICS } from '@platform/events';
import { EventBatchContext, receiveEvents, ReceivedEvent, withBatchDelivery } from '@platform/messaging';
import { ReserveStockService } from './reserve-stock.service';

@Controller()
export class ReserveStockHandler {
  constructor(private readonly reserveStock: ReserveStockService) {}

  @EventPattern(TOPICS.orderCreated.name, withBatchDelivery({ maxBatchSize: 500, attempts: 5, maxDelayMs: 5_000 }))
  async onOrderCreated(@Ctx() batch: EventBatchContext): Promise<void> {
    const events = receiveEvents(TOPICS.orderCreated, batch) as ReceivedEvent<OrderCreatedV2Payload>[];
    await this.reserveStock.reserveAll(events);
  }
}
