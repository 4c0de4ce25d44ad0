// Starts order-service from a validated configuration. main.ts and the e2e tests both use it.
import { INestApplication } from '@nestjs/common';
import { deadLetterTopicOf, SERVICES } from '@platform/events';
import { kafkaConsumerOptions } from '@platform/messaging';
import { startService } from '@platform/service-runtime';
import { OrderServiceConfig } from './config/order-service.config';
import { OrderServiceModule } from './order-service.module';

export function startOrderService(config: OrderServiceConfig): Promise<INestApplication> {
  return startService({
    name: SERVICES.orderService,
    description: 'Accepts orders, publishes OrderCreated, settles orders from inventory-service answers.',
    module: OrderServiceModule.forRoot(config),
    port: config.port,
    bodyLimit: config.httpBodyLimit,
    rateLimits: [{ method: 'POST', path: '/orders', requestsPerSecond: config.ordersRateLimit }],
    consumer: kafkaConsumerOptions({
      clientId: SERVICES.orderService,
      groupId: SERVICES.orderService,
      brokers: config.kafkaBrokers,
      deadLetterTopic: deadLetterTopicOf(SERVICES.orderService).name,
    }),
  });
}
