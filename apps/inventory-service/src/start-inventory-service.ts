// Starts inventory-service from a validated configuration. main.ts and the e2e tests both use it.
import { INestApplication } from '@nestjs/common';
import { deadLetterTopicOf, SERVICES } from '@platform/events';
import { kafkaConsumerOptions } from '@platform/messaging';
import { startService } from '@platform/service-runtime';
import { InventoryServiceConfig } from './config/inventory-service.config';
import { InventoryServiceModule } from './inventory-service.module';

export function startInventoryService(config: InventoryServiceConfig): Promise<INestApplication> {
  return startService({
    name: SERVICES.inventoryService,
    description: 'Owns stock levels; reserves the items of each OrderCreated, answers StockReserved or StockRejected.',
    module: InventoryServiceModule.forRoot(config),
    port: config.port,
    consumer: kafkaConsumerOptions({
      clientId: SERVICES.inventoryService,
      groupId: SERVICES.inventoryService,
      brokers: config.kafkaBrokers,
      deadLetterTopic: deadLetterTopicOf(SERVICES.inventoryService).name,
    }),
  });
}
