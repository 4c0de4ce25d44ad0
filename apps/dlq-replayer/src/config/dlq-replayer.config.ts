// dlq-replayer configuration, from the environment, validated once at start-up. The API token is
// mandatory: without DLQ_REPLAYER_TOKEN the app refuses to start, unless in development mode
// (--dev or NODE_ENV=development), where it generates one and prints it.
import { DatabaseConfig, databaseConfigFromEnv } from '@platform/database';
import { KafkaSasl, parseKafkaBrokers, parseKafkaSasl } from '@platform/messaging';
import { ConfigError, parsePort } from '@platform/service-runtime';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DLQ_REPLAYER_SCHEMA } from '../dead-letters/dead-letter.tables';
import { MAX_REPLAY_RATE } from '../replay/replay-limits';

export interface DlqReplayerConfig {
  port: number;
  kafkaBrokers: string[];
  /** This service's own principal (KAFKA_SASL_USERNAME/PASSWORD), for a cluster that authenticates clients. */
  kafkaSasl?: KafkaSasl;
  database: DatabaseConfig;
  token: string;
  /** True when the token was generated for this run (development mode). */
  tokenGenerated: boolean;
  /** Loop guard: a dead letter that already went through this many replays is not replayed again. */
  maxReplays: number;
  defaultRatePerSecond: number;
}

export function loadDlqReplayerConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): DlqReplayerConfig {
  const development = argv.includes('--dev') || env.NODE_ENV === 'development';
  const configured = env.DLQ_REPLAYER_TOKEN?.trim();
  if (!configured && !development) {
    throw new ConfigError('DLQ_REPLAYER_TOKEN is required (a long random string); for local use start with --dev or NODE_ENV=development to generate one');
  }
  if (configured && configured.length < 16) {
    throw new ConfigError('DLQ_REPLAYER_TOKEN must be at least 16 characters');
  }
  return {
    port: parsePort('PORT', env.PORT, 3003),
    kafkaBrokers: parseKafkaBrokers(env.KAFKA_BROKERS),
    kafkaSasl: parseKafkaSasl(env),
    database: databaseConfigFromEnv(env, {
      schema: DLQ_REPLAYER_SCHEMA,
      embeddedDir: join(env.DATA_DIR ?? '.local', 'dlq-replayer', 'db'),
    }),
    token: configured || randomBytes(24).toString('base64url'),
    tokenGenerated: !configured,
    maxReplays: positiveInteger('DLQ_MAX_REPLAYS', env.DLQ_MAX_REPLAYS, 3),
    // The same bound as a request's ratePerSecond: the default must not allow what a request may not ask.
    defaultRatePerSecond: positiveInteger('DLQ_REPLAY_RATE', env.DLQ_REPLAY_RATE, 50, MAX_REPLAY_RATE),
  };
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new ConfigError(`${name} must be a positive integer, got "${value}"`);
  if (number > max) throw new ConfigError(`${name} must be at most ${max}, got "${value}"`);
  return number;
}
