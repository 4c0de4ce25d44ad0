// Kafka entry point of order-service: inventory-service's StockReserved / StockRejected events.
// Translation only: validate through the contract, then one call to SettleOrderService.
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EventEnvelope, StockRejectedV1Payload, StockReservedV1Payload, TOPICS } from '@platform/events';
import { consumeEvent } from '@platform/messaging';
import { SettleOrderService } from './settle-order.service';

@Controller()
export class StockResultHandler {
  private readonly logger = new Logger(StockResultHandler.name);

  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(TOPICS.stockReserved.name)
  onStockReserved(@Ctx() context: KafkaContext): Promise<void> {
    return consumeEvent(TOPICS.stockReserved, context, this.logger, ({ envelope }) =>
      this.settleOrder.confirm(envelope as EventEnvelope<StockReservedV1Payload>),
    );
  }

  @EventPattern(TOPICS.stockRejected.name)
  onStockRejected(@Ctx() context: KafkaContext): Promise<void> {
    return consumeEvent(TOPICS.stockRejected, context, this.logger, ({ envelope }) =>
      this.settleOrder.reject(envelope as EventEnvelope<StockRejectedV1Payload>),
    );
  }
}
