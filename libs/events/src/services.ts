// Service (and consumer-group) names. The envelope's `source` and the topic owner come from here,
// so a service's name is written once.
export const SERVICES = {
  orderService: 'order-service',
  inventoryService: 'inventory-service',
  dlqReplayer: 'dlq-replayer',
  notificationLambda: 'notification-lambda',
} as const;

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];
