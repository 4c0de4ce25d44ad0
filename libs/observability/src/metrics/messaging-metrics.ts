// The metrics of the event flow, used by libs/messaging (publisher, consumer transport, outbox
// relay, lag monitor) and by the services for their own business counters.
import { counter, gauge, histogram, LATENCY_BUCKETS_SECONDS } from './registry';
import { METRIC_NAMES } from './metric-names';

export const messagingMetrics = {
  produced: () =>
    counter({ name: METRIC_NAMES.messagesProduced, help: 'Records sent to Kafka, by topic and outcome (ok, error).', labelNames: ['topic', 'outcome'] }),
  consumed: () =>
    counter({
      name: METRIC_NAMES.messagesConsumed,
      help: 'Messages a consumer finished with, by topic, group and outcome (processed, dead_lettered).',
      labelNames: ['topic', 'group', 'outcome'],
    }),
  handlerDuration: () =>
    histogram({
      name: METRIC_NAMES.handlerDuration,
      help: 'Duration of one handler attempt (one message, or one batch for batch handlers) in seconds, by topic, group and outcome (processed, failed).',
      labelNames: ['topic', 'group', 'outcome'],
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
  batchSize: () =>
    histogram({
      name: METRIC_NAMES.handlerBatchSize,
      help: 'Messages per call of a batch handler, by topic and group: near 1 when the consumer keeps up, larger under load.',
      labelNames: ['topic', 'group'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    }),
  flowAge: () =>
    histogram({
      name: METRIC_NAMES.flowAge,
      help: "Seconds from the start of a message's flow (the HTTP request that began it: flow.started_at baggage) to this consumer having processed it, by topic and group.",
      labelNames: ['topic', 'group'],
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
  retries: () =>
    counter({ name: METRIC_NAMES.handlerRetries, help: 'Handler attempts that failed and were retried, by topic and group.', labelNames: ['topic', 'group'] }),
  deadLetters: () =>
    counter({
      name: METRIC_NAMES.deadLetters,
      help: 'Messages sent to a dead-letter topic, by original topic, group and reason (the error class).',
      labelNames: ['topic', 'group', 'reason'],
    }),
};

/** A gauge whose value is read when Prometheus scrapes (e.g. the outbox backlog from the database). */
export function observedGauge(name: string, help: string, read: () => Promise<number>): void {
  gauge({
    name,
    help,
    async collect() {
      try {
        this.set(await read());
      } catch {
        // Unreadable right now (database down): keep the last value; health/ready reports the outage.
      }
    },
  });
}

export const orderMetrics = {
  placed: () => counter({ name: METRIC_NAMES.ordersPlaced, help: 'Orders accepted (POST /orders answered 202).' }),
  settled: () => counter({ name: METRIC_NAMES.ordersSettled, help: 'Orders settled by inventory-service, by final status.', labelNames: ['status'] }),
  endToEnd: () =>
    histogram({
      name: METRIC_NAMES.orderEndToEnd,
      help: "Seconds from an order's acceptance to its settlement: the whole trip through Kafka and inventory-service.",
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
};
