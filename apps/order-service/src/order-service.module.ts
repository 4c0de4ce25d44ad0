// Wires order-service: configuration, its database (orders + outbox + processed events), the
// Kafka publisher with its outbox relay, the HTTP API and the Kafka handlers.
import { DynamicModule, Module } from '@nestjs/common';
import { databaseHealthCheck, databaseProviders, OutboxStore, ServiceDatabase } from '@platform/database';
import { SERVICES } from '@platform/events';
import { brokerHealthCheck, consumerHealthCheck, createKafkaClient, messagingProviders } from '@platform/messaging';
import { HealthController, healthChecksProvider, MetricsController } from '@platform/service-runtime';
import { ORDER_SERVICE_CONFIG } from './config/config.tokens';
import { OrderServiceConfig } from './config/order-service.config';
import { ORDER_SERVICE_MIGRATIONS } from './database/order-service.migrations';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { PlaceOrderService } from './orders/place-order.service';
import { SettleOrderService } from './orders/settle-order.service';
import { StockResultHandler } from './orders/stock-result.handler';

@Module({})
export class OrderServiceModule {
  static forRoot(config: OrderServiceConfig): DynamicModule {
    return {
      module: OrderServiceModule,
      controllers: [HealthController, MetricsController, OrdersController, StockResultHandler],
      providers: [
        { provide: ORDER_SERVICE_CONFIG, useValue: config },
        healthChecksProvider({
          inject: [ServiceDatabase],
          useFactory: (database: ServiceDatabase) => [
            databaseHealthCheck(database.db),
            brokerHealthCheck(createKafkaClient({ clientId: `${SERVICES.orderService}-health`, brokers: config.kafkaBrokers, retries: 0 })),
            consumerHealthCheck(),
          ],
        }),
        ...databaseProviders({
          configToken: ORDER_SERVICE_CONFIG,
          select: (c: OrderServiceConfig) => c.database,
          migrations: ORDER_SERVICE_MIGRATIONS,
        }),
        ...messagingProviders({
          configToken: ORDER_SERVICE_CONFIG,
          select: (c: OrderServiceConfig) => ({ clientId: SERVICES.orderService, brokers: c.kafkaBrokers }),
          outboxToken: OutboxStore,
        }),
        OrdersRepository,
        PlaceOrderService,
        SettleOrderService,
      ],
    };
  }
}
