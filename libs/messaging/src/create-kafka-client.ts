// One place that builds kafkajs clients, so every service connects with the same retry, timeout and
// logging settings.
import { Consumer, ConsumerConfig, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { KafkaSasl, parseKafkaSasl } from './kafka-sasl';
import { kafkaLogCreator } from './kafka-logging';
import { applyKafkajsIdleTimerFix } from './kafkajs-idle-timer-fix';

// Loading libs/messaging fixes kafkajs's request queue for every client in the process, raw ones too.
applyKafkajsIdleTimerFix();

export interface KafkaClientSettings {
  clientId: string;
  brokers: string[];
  /** Connection retries before giving up; tools that should fail fast lower it. */
  retries?: number;
  /** Credentials; by default this process's KAFKA_SASL_* environment (none: no authentication). */
  sasl?: KafkaSasl | null;
  /** WARN by default; tests that break brokers on purpose pass logLevel.NOTHING. */
  logLevel?: logLevel;
}

export function kafkaClientConfig(settings: KafkaClientSettings): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: settings.logLevel ?? logLevel.WARN,
    logCreator: kafkaLogCreator(`kafkajs:${settings.clientId}`),
    connectionTimeout: 3000,
    ...saslOf(settings),
    // Retries cover a broker restart of a few seconds; beyond that the caller decides (the outbox
    // relay keeps rows and tries again later, a consumer restarts).
    retry: { initialRetryTime: 200, retries: settings.retries ?? 8, maxRetryTime: 5000 },
  };
}

/**
 * Retries of a consumer's own fetch loop (on top of the client's backoff: 200 ms doubling to 5 s).
 * kafkajs's default, 5 (about 6 s), is shorter than a killed broker takes to be fenced (9 s) and its
 * partitions to get new leaders: in the fault tests every consumer crashed, and its restart then waited
 * out its own old membership (10 s session), 20 s without a settled order where the failover takes 10.
 * 10 retries (about 30 s) outlast a failover; a consumer that still fails restarts as before.
 * Every consumer of a createKafkaClient client gets it, and kafkaConsumerOptions (Nest builds its own client).
 */
export const CONSUMER_RETRY = { retries: 10 } as const;

/** kafkajs's client whose consumers get CONSUMER_RETRY unless their config says otherwise. */
class PlatformKafka extends Kafka {
  override consumer(config: ConsumerConfig): Consumer {
    return super.consumer({ retry: CONSUMER_RETRY, ...config });
  }
}

export function createKafkaClient(settings: KafkaClientSettings): Kafka {
  return new PlatformKafka(kafkaClientConfig(settings));
}

function saslOf(settings: KafkaClientSettings): Pick<KafkaConfig, 'sasl'> {
  const sasl = settings.sasl === undefined ? parseKafkaSasl() : settings.sasl;
  // KafkaSasl is one of kafkajs's username/password mechanisms; TS cannot split the union by itself.
  return sasl ? { sasl: sasl as KafkaConfig['sasl'] } : {};
}
