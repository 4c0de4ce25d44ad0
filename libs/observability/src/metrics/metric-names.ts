// Every metric name the platform exports, in one place: the Grafana dashboard and the alert rules
// refer to these, and a test fails when a dashboard query names a metric that no service exports.
// Conventions (Prometheus): base units in the name (_seconds, _bytes), counters end in _total,
// labels only with few values (topic, group, partition, outcome, route; never an id).
export const METRIC_NAMES = {
  /** counter {topic, outcome="ok|error"}: records sent to Kafka by this process. */
  messagesProduced: 'eventbus_messages_produced_total',
  /** counter {topic, group, outcome="processed|dead_lettered"}: messages a consumer finished with. */
  messagesConsumed: 'eventbus_messages_consumed_total',
  /** histogram {topic, group, outcome="processed|failed"}: one handler attempt (a message, or a batch for batch handlers), in seconds. */
  handlerDuration: 'eventbus_handler_duration_seconds',
  /** histogram {topic, group}: messages per call of a batch handler (withBatchDelivery). */
  handlerBatchSize: 'eventbus_handler_batch_size',
  /** histogram {topic, group}: seconds from the start of a message's flow (its HTTP request) to a consumer having processed it. */
  flowAge: 'eventbus_flow_age_seconds',
  /** counter {topic, group}: attempts that failed and were retried. */
  handlerRetries: 'eventbus_handler_retries_total',
  /** counter {topic, group, reason}: messages sent to a dead-letter topic; topic is the original topic, reason the error class. */
  deadLetters: 'eventbus_dead_letters_total',
  /** gauge: outbox rows not yet acknowledged by Kafka. */
  outboxBacklog: 'eventbus_outbox_backlog',
  /** gauge {group, topic, partition}: end offset minus the group's committed offset. */
  consumerLag: 'eventbus_consumer_lag',
  /** counter {method, route, status}: HTTP requests answered. */
  httpRequests: 'http_requests_total',
  /** histogram {method, route, status}: HTTP request duration in seconds. */
  httpRequestDuration: 'http_request_duration_seconds',
  /** counter: orders accepted by order-service (POST /orders → 202). */
  ordersPlaced: 'orders_placed_total',
  /** counter {status="CONFIRMED|REJECTED"}: orders settled by inventory-service's answer. */
  ordersSettled: 'orders_settled_total',
  /** histogram: from an order's acceptance to its settlement (the whole trip through Kafka), in seconds. */
  orderEndToEnd: 'order_end_to_end_seconds',
  /** gauge {topic, status="open|replayed|resolved"}: dead letters indexed by dlq-replayer. */
  dlqLetters: 'dlq_letters',
} as const;

/** Node.js runtime metrics from prom-client's collectDefaultMetrics (a few of them, for dashboards). */
export const RUNTIME_METRIC_NAMES = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_eventloop_lag_p99_seconds',
] as const;
