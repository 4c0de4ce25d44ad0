// Service (and consumer-group) names. The envelope's `source` and the topic owner come from here,
// so a service's name is written once.
export const SERVICES = {
  orderService: 'order-service',
  inventoryService: 'inventory-service',
  dlqReplayer: 'dlq-replayer',
  notificationLambda: 'notification-lambda',
} as const;

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

/** Consumer groups that are not a service's own group (a service's group is its name). */
export const EXTRA_CONSUMER_GROUPS = {
  /** dlq-replayer's second reader: indexes every event by orderId for the operations console's order trace. */
  operationsConsole: 'operations-console',
} as const;
