// order-service configuration, from the environment, validated once at start-up.
import { DatabaseConfig, databaseConfigFromEnv } from '@platform/database';
import { KafkaSasl, parseKafkaBrokers, parseKafkaSasl } from '@platform/messaging';
import { parseBodyLimit, parsePort, parsePositiveInteger } from '@platform/service-runtime';
import { join } from 'node:path';
import { ORDER_SERVICE_SCHEMA } from '../orders/orders.table';

export interface OrderServiceConfig {
  port: number;
  kafkaBrokers: string[];
  /** This service's own principal (KAFKA_SASL_USERNAME/PASSWORD), for a cluster that authenticates clients. */
  kafkaSasl?: KafkaSasl;
  database: DatabaseConfig;
  /** ORDERS_RATE_LIMIT: requests per second this process accepts on POST /orders; more are answered 429. */
  ordersRateLimit: number;
  /** HTTP_BODY_LIMIT: largest request body, e.g. `64kb`; more is answered 413. */
  httpBodyLimit: string;
}

export function loadOrderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  return {
    port: parsePort('PORT', env.PORT, 3001),
    kafkaBrokers: parseKafkaBrokers(env.KAFKA_BROKERS),
    kafkaSasl: parseKafkaSasl(env),
    database: databaseConfigFromEnv(env, {
      schema: ORDER_SERVICE_SCHEMA,
      embeddedDir: join(env.DATA_DIR ?? '.local', 'order-service', 'db'),
    }),
    ordersRateLimit: parsePositiveInteger('ORDERS_RATE_LIMIT', env.ORDERS_RATE_LIMIT, 1000),
    httpBodyLimit: parseBodyLimit('HTTP_BODY_LIMIT', env.HTTP_BODY_LIMIT, '64kb'),
  };
}
