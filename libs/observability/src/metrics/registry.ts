// One Prometheus registry per process (one service per process): prom-client's global registry,
// labelled with the service name, with Node's runtime metrics. Metrics are created once, on first
// use, so a module can ask for "the" counter without caring who registered it first.
import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, register } from 'prom-client';

export const metricsRegistry = register;
let runtimeMetricsOn = false;

/** Labels every metric with `service` and starts Node's runtime metrics. Idempotent. */
export function initMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (runtimeMetricsOn) return;
  runtimeMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });
}

export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter(config);
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram(config);
}

/** Latency buckets from 1 ms to 30 s: wide enough for a handler, an HTTP call and a whole order. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
