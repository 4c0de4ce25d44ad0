// Kafka wiring shared by the services: clients, the durable publisher, the outbox relay and the
// options for Nest's Kafka transport. Apps never configure kafkajs themselves.
export * from './kafka-brokers';
export * from './create-kafka-client';
export * from './event-publisher';
export * from './outbox-relay';
export * from './kafka-consumer-options';
export * from './received-event';
export * from './messaging.providers';
export * from './retry-policy';
export * from './dead-letter-headers';
export * from './reliable-kafka-server';
export * from './event-batch';
export * from './topics';
export * from './wait-for-group-coordinator';
export * from './broker-health-check';
export * from './consumer-lag';
export * from './kafka-sasl';
export * from './acls/apply-acls';
export * from './consumer-health-check';
export * from './kafka-error';
