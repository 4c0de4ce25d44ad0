// Kafka entry point of order-service: inventory-service's StockReserved / StockRejected events.
// Translation only: validate through the contract, then one call to SettleOrderService. Retries and
// dead letters are the transport's business (libs/messaging ReliableKafkaServer).
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EventEnvelope, StockRejectedV1Payload, StockReservedV1Payload, TOPICS } from '@platform/events';
import { receiveEvent } from '@platform/messaging';
import { SettleOrderService } from './settle-order.service';

@Controller()
export class StockResultHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(TOPICS.stockReserved.name)
  async onStockReserved(@Ctx() context: KafkaContext): Promise<void> {
    const { envelope } = receiveEvent(TOPICS.stockReserved, context);
    await this.settleOrder.confirm(envelope as EventEnvelope<StockReservedV1Payload>);
  }

  @EventPattern(TOPICS.stockRejected.name)
  async onStockRejected(@Ctx() context: KafkaContext): Promise<void> {
    const { envelope } = receiveEvent(TOPICS.stockRejected, context);
    await this.settleOrder.reject(envelope as EventEnvelope<StockRejectedV1Payload>);
  }
}
