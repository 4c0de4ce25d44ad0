// The topic registry: the only place a topic name is written. Each topic is bound to its owner
// (the only service that writes it), the events it carries, what its key means and its layout.
// Apps, the provisioning tool and tests all refer to these constants.
import { EventDefinition } from './event-definition';
import { StockRejectedV1, StockReservedV1 } from './inventory-service';
import { OrderCreatedV1 } from './order-service';
import { SERVICES, ServiceName } from './services';

export interface TopicDefinition {
  /** `<domain>.<service>.<event>`, e.g. `order.order-service.created`. */
  readonly name: string;
  readonly owner: ServiceName;
  /** `events`: carries the listed event types. `dead-letter`: the owner's DLQ, any message it could not process. */
  readonly kind: 'events' | 'dead-letter';
  readonly events: readonly EventDefinition[];
  /** What the message key holds; every event of one key lands on one partition, in order. */
  readonly key: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** Consumer groups that read the topic. One group = load-sharing; several groups = broadcast. */
  readonly consumerGroups: readonly ServiceName[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVEN_DAYS_MS = 7 * DAY_MS;
/** Dead letters wait for an operator: keep them longer than the events themselves. */
const DEAD_LETTER_RETENTION_MS = 28 * DAY_MS;

export const TOPICS = {
  orderCreated: {
    name: 'order.order-service.created',
    kind: 'events',
    owner: SERVICES.orderService,
    events: [OrderCreatedV1],
    key: 'orderId',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    cleanupPolicy: 'delete',
    consumerGroups: [SERVICES.inventoryService],
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
    consumerGroups: [SERVICES.orderService],
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
    consumerGroups: [SERVICES.orderService],
  },
  // Dead-letter queues, one per consuming service: messages it could not process, with the original
  // key, value and headers and the reason in kafka_dlt-* headers (libs/messaging dead-letter-headers.ts).
  orderServiceDeadLetters: {
    name: 'order.order-service.dlq',
    owner: SERVICES.orderService,
    kind: 'dead-letter',
    events: [],
    key: 'the original message key',
    partitions: 3,
    retentionMs: DEAD_LETTER_RETENTION_MS,
    cleanupPolicy: 'delete',
    consumerGroups: [SERVICES.dlqReplayer],
  },
  inventoryServiceDeadLetters: {
    name: 'inventory.inventory-service.dlq',
    owner: SERVICES.inventoryService,
    kind: 'dead-letter',
    events: [],
    key: 'the original message key',
    partitions: 3,
    retentionMs: DEAD_LETTER_RETENTION_MS,
    cleanupPolicy: 'delete',
    consumerGroups: [SERVICES.dlqReplayer],
  },
} as const satisfies Record<string, TopicDefinition>;

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

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
