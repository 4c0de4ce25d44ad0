// inventory-service configuration, from the environment, validated once at start-up.
import { DatabaseConfig, databaseConfigFromEnv } from '@platform/database';
import { KafkaSasl, parseKafkaBrokers, parseKafkaSasl } from '@platform/messaging';
import { parsePort } from '@platform/service-runtime';
import { join } from 'node:path';
import { INVENTORY_SERVICE_SCHEMA } from '../stock/stock.table';

export interface InventoryServiceConfig {
  port: number;
  kafkaBrokers: string[];
  /** This service's own principal (KAFKA_SASL_USERNAME/PASSWORD), for a cluster that authenticates clients. */
  kafkaSasl?: KafkaSasl;
  database: DatabaseConfig;
}

export function loadInventoryServiceConfig(env: NodeJS.ProcessEnv = process.env): InventoryServiceConfig {
  return {
    port: parsePort('PORT', env.PORT, 3002),
    kafkaBrokers: parseKafkaBrokers(env.KAFKA_BROKERS),
    kafkaSasl: parseKafkaSasl(env),
    database: databaseConfigFromEnv(env, {
      schema: INVENTORY_SERVICE_SCHEMA,
      embeddedDir: join(env.DATA_DIR ?? '.local', 'inventory-service', 'db'),
    }),
  };
}
