// Observability shared by every service: Prometheus metrics, OpenTelemetry tracing carried in Kafka
// headers, and JSON logs that carry the ids of the event being handled. Depends on nothing of ours.
export * from './metrics/metric-names';
export * from './metrics/registry';
export * from './metrics/messaging-metrics';
export * from './metrics/consumer-lag';
export * from './tracing/tracing';
export * from './tracing/flow-start';
export * from './logging/event-context';
export * from './logging/json-logger';
export * from './detached-work';
