// Wires dlq-replayer: configuration, its database (dead-letter index, audit log, flow index), the DLQ
// and flow indexers, a publisher for replays, the HTTP API and the operations console.
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { databaseHealthCheck, databaseProviders, ServiceDatabase } from '@platform/database';
import { SERVICES } from '@platform/events';
import { brokerHealthCheck, createKafkaClient, EventPublisher } from '@platform/messaging';
import { HealthController, healthChecksProvider, MetricsController } from '@platform/service-runtime';
import { AuditRepository } from './audit/audit.repository';
import { DLQ_REPLAYER_CONFIG } from './config/config.tokens';
import { DlqReplayerConfig } from './config/dlq-replayer.config';
import { DLQ_REPLAYER_MIGRATIONS } from './database/dlq-replayer.migrations';
import { DeadLetterIndexer } from './dead-letters/dead-letter-indexer';
import { DeadLettersRepository } from './dead-letters/dead-letters.repository';
import { ClusterService } from './console/cluster.service';
import { ConsoleApiController } from './console/console-api.controller';
import { ConsolePageController } from './console/console-page.controller';
import { OrderTraceService } from './console/order-trace.service';
import { DeadLetterMetrics } from './dead-letters/dead-letter-metrics';
import { FlowEventsRepository } from './flow/flow-events.repository';
import { FlowIndexer } from './flow/flow-indexer';
import { DlqController } from './http/dlq.controller';
import { ReplayService } from './replay/replay.service';

/** The replay publisher: flushed and closed on shutdown. The replayer has no outbox of its own. */
class ReplayPublisher extends EventPublisher implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await this.disconnect();
  }
}

@Module({})
export class DlqReplayerModule {
  static forRoot(config: DlqReplayerConfig): DynamicModule {
    return {
      module: DlqReplayerModule,
      controllers: [HealthController, MetricsController, DlqController, ConsoleApiController, ConsolePageController],
      providers: [
        { provide: DLQ_REPLAYER_CONFIG, useValue: config },
        healthChecksProvider({
          inject: [ServiceDatabase],
          useFactory: (database: ServiceDatabase) => [
            databaseHealthCheck(database.db),
            brokerHealthCheck(createKafkaClient({ clientId: `${SERVICES.dlqReplayer}-health`, brokers: config.kafkaBrokers, retries: 0 })),
          ],
        }),
        ...databaseProviders({
          configToken: DLQ_REPLAYER_CONFIG,
          select: (c: DlqReplayerConfig) => c.database,
          migrations: DLQ_REPLAYER_MIGRATIONS,
        }),
        {
          provide: EventPublisher,
          useFactory: () => new ReplayPublisher(createKafkaClient({ clientId: SERVICES.dlqReplayer, brokers: config.kafkaBrokers })),
        },
        DeadLettersRepository,
        AuditRepository,
        DeadLetterIndexer,
        DeadLetterMetrics,
        ReplayService,
        FlowEventsRepository,
        FlowIndexer,
        ClusterService,
        OrderTraceService,
      ],
    };
  }
}
