// Wires dlq-replayer: configuration, its database (dead-letter index + audit log), the DLQ indexer,
// a publisher for replays, and the HTTP API.
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { databaseProviders } from '@platform/database';
import { SERVICES } from '@platform/events';
import { createKafkaClient, EventPublisher } from '@platform/messaging';
import { AuditRepository } from './audit/audit.repository';
import { DLQ_REPLAYER_CONFIG } from './config/config.tokens';
import { DlqReplayerConfig } from './config/dlq-replayer.config';
import { DLQ_REPLAYER_MIGRATIONS } from './database/dlq-replayer.migrations';
import { DeadLetterIndexer } from './dead-letters/dead-letter-indexer';
import { DeadLettersRepository } from './dead-letters/dead-letters.repository';
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
      controllers: [DlqController],
      providers: [
        { provide: DLQ_REPLAYER_CONFIG, useValue: config },
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
        ReplayService,
      ],
    };
  }
}
