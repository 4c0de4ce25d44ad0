// Wires inventory-service: configuration, its database (stock + outbox + processed events), the
// Kafka publisher with its outbox relay, the HTTP API and the OrderCreated handler.
import { DynamicModule, Module } from '@nestjs/common';
import { databaseHealthCheck, databaseProviders, OutboxStore, ServiceDatabase } from '@platform/database';
import { SERVICES } from '@platform/events';
import { brokerHealthCheck, consumerHealthCheck, createKafkaClient, messagingProviders } from '@platform/messaging';
import { HealthController, healthChecksProvider, MetricsController } from '@platform/service-runtime';
import { INVENTORY_SERVICE_CONFIG } from './config/config.tokens';
import { InventoryServiceConfig } from './config/inventory-service.config';
import { INVENTORY_SERVICE_MIGRATIONS } from './database/inventory-service.migrations';
import { ReserveStockHandler } from './stock/reserve-stock.handler';
import { ReserveStockService } from './stock/reserve-stock.service';
import { StockController } from './stock/stock.controller';
import { StockRepository } from './stock/stock.repository';

@Module({})
export class InventoryServiceModule {
  static forRoot(config: InventoryServiceConfig): DynamicModule {
    return {
      module: InventoryServiceModule,
      controllers: [HealthController, MetricsController, StockController, ReserveStockHandler],
      providers: [
        { provide: INVENTORY_SERVICE_CONFIG, useValue: config },
        healthChecksProvider({
          inject: [ServiceDatabase],
          useFactory: (database: ServiceDatabase) => [
            databaseHealthCheck(database.db),
            brokerHealthCheck(createKafkaClient({ clientId: `${SERVICES.inventoryService}-health`, brokers: config.kafkaBrokers, retries: 0 })),
            consumerHealthCheck(),
          ],
        }),
        ...databaseProviders({
          configToken: INVENTORY_SERVICE_CONFIG,
          select: (c: InventoryServiceConfig) => c.database,
          migrations: INVENTORY_SERVICE_MIGRATIONS,
        }),
        ...messagingProviders({
          configToken: INVENTORY_SERVICE_CONFIG,
          select: (c: InventoryServiceConfig) => ({ clientId: SERVICES.inventoryService, brokers: c.kafkaBrokers }),
          outboxToken: OutboxStore,
        }),
        StockRepository,
        ReserveStockService,
      ],
    };
  }
}
