// The topic registry: the only place a topic name is written. Each topic is bound to its owner
// (the only service that writes it), the events it carries, what its key means and its layout.
// Apps, the provisioning tool and tests all refer to these constants.
import { EventDefinition } from './event-definition';
import { StockRejectedV1, StockReservedV1 } from './inventory-service';
import { OrderCreatedV1, OrderCreatedV2 } from './order-service';
import { EXTRA_CONSUMER_GROUPS, SERVICES, ServiceName } from './services';

export interface TopicDefinition {
  /** `<domain>.<service>.<event>`, e.g. `order.order-service.created`. */
  readonly name: string;
  readonly owner: ServiceName;
  /** `events`: carries the listed event types. `dead-letter`: the owner's DLQ, any message it could not process. */
  readonly kind: 'events' | 'dead-letter';
  /** The versions of the topic's event, oldest first; producers publish the last one. */
  readonly events: readonly EventDefinition[];
  /** What the message key holds; every event of one key lands on one partition, in order. */
  readonly key: string;
  readonly partitions: number;
  /** Replicas in production (docker-compose: 3 brokers). A single-broker dev cluster provisions with 1. */
  readonly replicationFactor: number;
  /** A write needs this many in-sync replicas (acks=all); capped at the replication factor. */
  readonly minInSyncReplicas: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** The largest record batch the topic accepts (`max.message.bytes`); unset: the broker's `message.max.bytes`, 1 MiB by default. */
  readonly maxMessageBytes?: number;
  /** Who reads the topic. Inside one group the instances share the partitions; every group gets every event. */
  readonly consumerGroups: readonly ConsumerGroupDefinition[];
}

export interface ConsumerGroupDefinition {
  /** The group id; a service's group is the service's name. */
  readonly group: string;
  /**
   * load-sharing: the group of a service whose instances split the partitions (each event handled once);
   * broadcast: an additional, independent reader that sees every event whatever the others do.
   */
  readonly strategy: 'load-sharing' | 'broadcast';
  readonly purpose: string;
}

/** Domains a topic name may start with; a new domain is a reviewed change to this list. */
export const ALLOWED_DOMAINS = ['order', 'inventory', 'notification', 'payment', 'customer'] as const;
export const ALL_ALLOWED_DOMAINS_NOTE = `Allowed domains: ${ALLOWED_DOMAINS.join(', ')}; the service is the owning app; the event is lowercase kebab-case.`;

const DAY_MS = 24 * 60 * 60 * 1000;
const REPLICATION = { replicationFactor: 3, minInSyncReplicas: 2 } as const;
const SEVEN_DAYS_MS = 7 * DAY_MS;
/** Dead letters wait for an operator: keep them longer than the events themselves. */
const DEAD_LETTER_RETENTION_MS = 28 * DAY_MS;
/**
 * A dead letter is the original record plus its kafka_dlt-* headers (up to about 7 KB: the stack trace
 * and message are cut at 4,000 and 2,000 characters). A record as large as an event topic accepts
 * (the broker's 1 MiB) would not fit a DLQ of the same limit: the broker would refuse the dead letter
 * and the consumer would stop on it. Twice the broker's default leaves room for both.
 */
export const DEAD_LETTER_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** Kafka's `message.max.bytes` default (1 MiB + 12): what a topic without its own limit accepts. */
export const BROKER_MAX_MESSAGE_BYTES = 1_048_588;

/** The largest record batch a topic of the registry accepts. */
export function maxMessageBytesOf(topic: TopicDefinition): number {
  return topic.maxMessageBytes ?? BROKER_MAX_MESSAGE_BYTES;
}
/** Every event topic is also read by the operations console, which follows one order across topics. */
const CONSOLE_READER = {
  group: EXTRA_CONSUMER_GROUPS.operationsConsole,
  strategy: 'broadcast',
  purpose: 'dlq-replayer indexes every event by orderId for the operations console (trace an order)',
} as const satisfies ConsumerGroupDefinition;

/** Every DLQ has the same layout; dlq-replayer indexes them all. */
function deadLetterTopic<N extends string>(name: N, owner: ServiceName) {
  return {
    name,
    owner,
    kind: 'dead-letter',
    events: [],
    key: 'the original message key',
    partitions: 3,
    retentionMs: DEAD_LETTER_RETENTION_MS,
    cleanupPolicy: 'delete',
    maxMessageBytes: DEAD_LETTER_MAX_MESSAGE_BYTES,
    ...REPLICATION,
    consumerGroups: [{ group: SERVICES.dlqReplayer, strategy: 'load-sharing', purpose: 'indexes dead letters for inspection and replay' }],
  } as const satisfies TopicDefinition;
}

export const TOPICS = {
  orderCreated: {
    name: 'order.order-service.created',
    kind: 'events',
    owner: SERVICES.orderService,
    // Oldest first; consumers accept each and read the newest (older ones are upcast).
    events: [OrderCreatedV1, OrderCreatedV2],
    key: 'orderId',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    cleanupPolicy: 'delete',
    ...REPLICATION,
    consumerGroups: [
      { group: SERVICES.inventoryService, strategy: 'load-sharing', purpose: 'reserves the stock of each order' },
      {
        group: 'order-audit-log',
        strategy: 'broadcast',
        purpose: 'an audit trail of every order, beside inventory-service (read in the consumer-groups e2e test)',
      },
      CONSOLE_READER,
    ],
  },
  stockReserved: {
    name: 'inventory.inventory-service.reserved',
    kind: 'events',
    owner: SERVICES.inventoryService,
    events: [StockReservedV1],
    key: 'orderId',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    cleanupPolicy: 'delete',
    ...REPLICATION,
    consumerGroups: [
      { group: SERVICES.orderService, strategy: 'load-sharing', purpose: 'confirms the order' },
      { group: SERVICES.notificationLambda, strategy: 'broadcast', purpose: 'sends the "order confirmed" notification (serverless)' },
      CONSOLE_READER,
    ],
  },
  stockRejected: {
    name: 'inventory.inventory-service.rejected',
    kind: 'events',
    owner: SERVICES.inventoryService,
    events: [StockRejectedV1],
    key: 'orderId',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    cleanupPolicy: 'delete',
    ...REPLICATION,
    consumerGroups: [{ group: SERVICES.orderService, strategy: 'load-sharing', purpose: 'rejects the order with the reason' }, CONSOLE_READER],
  },
  // Dead-letter queues, one per consuming service: messages it could not process, with the original
  // key, value and headers and the reason in kafka_dlt-* headers (libs/messaging dead-letter-headers.ts).
  orderServiceDeadLetters: deadLetterTopic('order.order-service.dlq', SERVICES.orderService),
  inventoryServiceDeadLetters: deadLetterTopic('inventory.inventory-service.dlq', SERVICES.inventoryService),
  // The on-failure destination of notification-lambda's Kafka event source.
  notificationLambdaDeadLetters: deadLetterTopic('notification.notification-lambda.dlq', SERVICES.notificationLambda),
} as const satisfies Record<string, TopicDefinition>;

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

/**
 * Why a topic name breaks the naming rule `<domain>.<service>.<event-or-purpose>` (empty when it
 * does not): lowercase kebab-case parts, the domain from ALLOWED_DOMAINS, the service its owner.
 */
export function namingRuleViolations(topic: Pick<TopicDefinition, 'name' | 'owner'>): string[] {
  const parts = topic.name.split('.');
  if (parts.length !== 3) return [`${topic.name}: must have three dot-separated parts <domain>.<service>.<event>`];
  const [domain, service, event] = parts;
  const violations: string[] = [];
  const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
  if (!(ALLOWED_DOMAINS as readonly string[]).includes(domain)) {
    violations.push(`${topic.name}: domain "${domain}" is not one of ${ALLOWED_DOMAINS.join(', ')}`);
  }
  if (service !== topic.owner) violations.push(`${topic.name}: service part "${service}" must be the owner, ${topic.owner}`);
  if (!kebab.test(event)) violations.push(`${topic.name}: event "${event}" must be lowercase kebab-case (created, stock-reserved, dlq)`);
  return violations;
}

/** The version producers publish: the newest of the topic. */
export function currentEvent(topic: TopicDefinition): EventDefinition {
  const current = topic.events[topic.events.length - 1];
  if (!current) throw new Error(`${topic.name} carries no events`);
  return current;
}

/** The dead-letter topic of a consuming service. */
export function deadLetterTopicOf(service: ServiceName): TopicDefinition {
  const topic = ALL_TOPICS.find((candidate) => candidate.kind === 'dead-letter' && candidate.owner === service);
  if (!topic) throw new Error(`no dead-letter topic registered for ${service} in libs/events topics.ts`);
  return topic;
}

/** The registry entry for a topic name, or undefined for a topic we do not own. */
export function findTopic(name: string): TopicDefinition | undefined {
  return ALL_TOPICS.find((topic) => topic.name === name);
}
