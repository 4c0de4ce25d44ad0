// Nest providers for a service's database: open it, migrate it, expose the outbox and the
// processed-events table, and close it on shutdown. Nest closes it after the consumer and the outbox
// relay have stopped (onApplicationShutdown runs after the microservice is disposed).
import { InjectionToken, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DatabaseConfig } from './database-config';
import { ProcessedEvents } from './inbox/processed-events';
import { Migration, runMigrations } from './migrations';
import { Database, openDatabase, OpenDatabase } from './open-database';
import { OutboxStore } from './outbox/outbox-store';

export class ServiceDatabase implements OnApplicationShutdown {
  constructor(private readonly handle: OpenDatabase) {}

  get db(): Database {
    return this.handle.db;
  }

  get schema(): string {
    return this.handle.config.schema;
  }

  describe(): string {
    return this.handle.describe();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

export function databaseProviders(options: {
  configToken: InjectionToken;
  select: (config: never) => DatabaseConfig;
  migrations: Migration[];
}): Provider[] {
  return [
    {
      provide: ServiceDatabase,
      inject: [options.configToken],
      useFactory: async (config: never) => {
        const databaseConfig = options.select(config);
        const handle = await openDatabase(databaseConfig);
        await runMigrations(handle.db, databaseConfig.schema, options.migrations);
        return new ServiceDatabase(handle);
      },
    },
    {
      provide: OutboxStore,
      inject: [ServiceDatabase],
      useFactory: (database: ServiceDatabase) => new OutboxStore(database.db, database.schema),
    },
    {
      provide: ProcessedEvents,
      inject: [ServiceDatabase],
      useFactory: (database: ServiceDatabase) => new ProcessedEvents(database.schema),
    },
  ];
}
