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
  readonly events: readonly EventDefinition[];
  /** What the message key holds; every event of one key lands on one partition, in order. */
  readonly key: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** Consumer groups that read the topic. One group = load-sharing; several groups = broadcast. */
  readonly consumerGroups: readonly ServiceName[];
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export const TOPICS = {
  orderCreated: {
    name: 'order.order-service.created',
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
    owner: SERVICES.inventoryService,
    events: [StockRejectedV1],
    key: 'orderId',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    cleanupPolicy: 'delete',
    consumerGroups: [SERVICES.orderService],
  },
} as const satisfies Record<string, TopicDefinition>;

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

/** The registry entry for a topic name, or undefined for a topic we do not own. */
export function findTopic(name: string): TopicDefinition | undefined {
  return ALL_TOPICS.find((topic) => topic.name === name);
}
