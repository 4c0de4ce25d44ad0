// Kafka entry point of order-service: inventory-service's StockReserved / StockRejected events, in
// batches of up to 500 messages of one partition. Translation only: validate through the contract,
// then one call to SettleOrderService per batch. Retries and dead letters are the transport's
// business (libs/messaging ReliableKafkaServer; a failed batch is retried one message at a time).
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { StockRejectedV1Payload, StockReservedV1Payload, TOPICS } from '@platform/events';
import { EventBatchContext, receiveEvents, ReceivedEvent, withBatchDelivery } from '@platform/messaging';
import { SettleOrderService } from './settle-order.service';

@Controller()
export class StockResultHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(TOPICS.stockReserved.name, withBatchDelivery({ maxBatchSize: 500 }))
  async onStockReserved(@Ctx() batch: EventBatchContext): Promise<void> {
    await this.settleOrder.confirmAll(receiveEvents(TOPICS.stockReserved, batch) as ReceivedEvent<StockReservedV1Payload>[]);
  }

  @EventPattern(TOPICS.stockRejected.name, withBatchDelivery({ maxBatchSize: 500 }))
  async onStockRejected(@Ctx() batch: EventBatchContext): Promise<void> {
    await this.settleOrder.rejectAll(receiveEvents(TOPICS.stockRejected, batch) as ReceivedEvent<StockRejectedV1Payload>[]);
  }
}
