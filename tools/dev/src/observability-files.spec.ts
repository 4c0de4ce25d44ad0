// Prometheus and Grafana in docker-compose.yml cannot run here (no Docker engine), so their files are
// checked as data: compose mounts them, Prometheus scrapes the three services, and the "Event bus"
// dashboard only queries metrics that a service exports (libs/observability/src/metrics/metric-names.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image: string;
  ports?: string[];
  volumes?: string[];
  extra_hosts?: string[];
  environment?: Record<string, string | number>;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; legendFormat?: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const prometheusConfig = parse(read('tools/observability/prometheus/prometheus.yml')) as {
  global: { scrape_interval: string; scrape_timeout: string };
  scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
};
const datasources = parse(read('tools/observability/grafana/provisioning/datasources/prometheus.yml')) as {
  datasources: { uid: string; type: string; url: string; isDefault?: boolean }[];
};
const dashboardProviders = parse(read('tools/observability/grafana/provisioning/dashboards/dashboards.yml')) as {
  providers: { type: string; options: { path: string } }[];
};
const dashboardText = read('tools/observability/grafana/dashboards/event-bus.json');

// The names our services export, read as text (tools/dev may not import libs/observability): every
// single-quoted string of metric-names.ts is a metric name (METRIC_NAMES values, RUNTIME_METRIC_NAMES).
const exportedMetrics = new Set(
  [...read('libs/observability/src/metrics/metric-names.ts').matchAll(/'([a-z_:][a-z0-9_:]*)'/g)].map((m) => m[1]),
);

const PROMQL_WORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
  'le', 'sum', 'avg', 'min', 'max', 'count', 'rate', 'irate', 'increase', 'delta', 'histogram_quantile',
]);

/** Metric names a PromQL expression selects (label names, functions, ranges and strings stripped). */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // string literals
    .replace(/\{[^}]*\}/g, '{}') // label matchers
    .replace(/\[[^\]]*\]/g, '[]') // range selectors, $__rate_interval
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // grouping labels
  // A whole identifier (not part of a word, a number or $__rate_interval) that no "(" follows.
  const names = [...stripped.matchAll(/(?<![\w$.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_WORDS.has(name));
  // A histogram's series: <name>_bucket, <name>_sum, <name>_count (counters end in _total instead).
  return names.map((name) => name.replace(/^(.+)_(bucket|sum|count)$/, (whole, base: string) =>
    base.endsWith('_total') ? whole : base,
  ));
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

describe('Prometheus and Grafana in docker-compose.yml', () => {
  it('runs Prometheus on 9090 with the scrape configuration mounted read-only and a route to the host', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus.image).toBe('prom/prometheus:v3.5.0');
    expect(prometheus.ports).toContain('9090:9090');
    expect(prometheus.extra_hosts).toContain('host.docker.internal:host-gateway');
    expect(prometheus.volumes).toContain(
      './tools/observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('runs Grafana on 3000: anonymous viewers, admin password from the environment, provisioning read-only', () => {
    const grafana = compose.services.grafana;
    expect(grafana.image).toBe('grafana/grafana:12.1.0');
    expect(grafana.ports).toContain('3000:3000');
    expect(grafana.environment).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
    });
    expect(String(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD)).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:-.+\}$/);
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './tools/observability/grafana/provisioning:/etc/grafana/provisioning:ro',
        './tools/observability/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(dashboardProviders.providers).toContainEqual(
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    );
  });

  it('keeps Kafka UI on 8080', () => {
    expect(compose.services['kafka-ui'].ports).toContain('8080:8080');
  });

  it('mounts only paths that exist in the repository', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const volume of compose.services[name].volumes ?? []) {
        const hostPath = volume.split(':')[0];
        expect({ hostPath, exists: existsSync(join(root, hostPath)) }).toEqual({ hostPath, exists: true });
      }
    }
  });
});

describe('tools/observability/prometheus/prometheus.yml', () => {
  it('scrapes order-service, inventory-service and dlq-replayer on the host every 5 s at /metrics', () => {
    expect(prometheusConfig.global.scrape_interval).toBe('5s');
    const jobs = Object.fromEntries(
      prometheusConfig.scrape_configs.map((job) => [
        job.job_name,
        { path: job.metrics_path ?? '/metrics', targets: job.static_configs.flatMap((c) => c.targets) },
      ]),
    );
    expect(jobs).toEqual({
      'order-service': { path: '/metrics', targets: ['host.docker.internal:3001'] },
      'inventory-service': { path: '/metrics', targets: ['host.docker.internal:3002'] },
      'dlq-replayer': { path: '/metrics', targets: ['host.docker.internal:3003'] },
    });
  });
});

describe('tools/observability/grafana: the "Event bus" dashboard', () => {
  const dashboard = JSON.parse(dashboardText) as {
    uid: string;
    title: string;
    schemaVersion: number;
    refresh: string;
    time: { from: string; to: string };
    panels: Panel[];
  };
  const panels = allPanels(dashboard.panels).filter((panel) => panel.type !== 'row');
  const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it('is the provisioned Prometheus datasource, by default', () => {
    expect(datasources.datasources).toContainEqual(
      expect.objectContaining({
        uid: 'prometheus',
        type: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
    );
  });

  it('has uid event-bus, refreshes every 5 s and shows the last 15 minutes', () => {
    expect(dashboard).toMatchObject({
      uid: 'event-bus',
      title: 'Event bus',
      refresh: '5s',
      time: { from: 'now-15m', to: 'now' },
    });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('places every panel, with unique ids, and queries only the provisioned datasource', () => {
    const uids = new Set(datasources.datasources.map((ds) => ds.uid));
    const ids = allPanels(dashboard.panels).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(panels.length).toBeGreaterThanOrEqual(14);
    for (const panel of allPanels(dashboard.panels)) {
      const anyNumber = expect.any(Number);
      expect(panel.gridPos).toEqual({ x: anyNumber, y: anyNumber, w: anyNumber, h: anyNumber });
    }
    for (const panel of panels) {
      const datasource = { type: panel.datasource?.type, knownUid: uids.has(panel.datasource?.uid ?? '') };
      expect({ panel: panel.title, ...datasource }).toEqual({ panel: panel.title, type: 'prometheus', knownUid: true });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr).toEqual(expect.any(String));
        expect(target.legendFormat).toEqual(expect.any(String));
        if (target.datasource) expect(uids.has(target.datasource.uid)).toBe(true);
      }
    }
  });

  it('queries only metrics that our services export', () => {
    // The text extraction found the names (METRIC_NAMES has 13, RUNTIME_METRIC_NAMES 4).
    expect(exportedMetrics.size).toBeGreaterThanOrEqual(17);
    expect([...exportedMetrics]).toEqual(
      expect.arrayContaining(['orders_placed_total', 'nodejs_heap_size_used_bytes']),
    );
    const unknown = exprs.flatMap((expr) =>
      metricNamesIn(expr)
        .filter((name) => !exportedMetrics.has(name))
        .map((name) => `${name} in ${expr}`),
    );
    expect(unknown).toEqual([]);
  });

  it('shows orders, end-to-end latency, consumer lag, dead letters and the outbox backlog', () => {
    const used = exprs.flatMap(metricNamesIn);
    expect(used).toEqual(
      expect.arrayContaining([
        'orders_placed_total',
        'order_end_to_end_seconds',
        'eventbus_consumer_lag',
        'eventbus_dead_letters_total',
        'eventbus_outbox_backlog',
      ]),
    );
  });

  it('finds metric names in PromQL, not label names or functions', () => {
    const p99 = 'histogram_quantile(0.99, sum by (le, topic) (rate(eventbus_handler_duration_seconds_bucket[5m])))';
    expect(metricNamesIn(p99)).toEqual(['eventbus_handler_duration_seconds']);
    expect(metricNamesIn('sum(dlq_letters{status="open"}) + sum by (service) (no_such_metric)')).toEqual([
      'dlq_letters',
      'no_such_metric',
    ]);
    const http = 'sum without (group) (irate(http_requests_total{route=~"/orders.*"}[$__rate_interval]))';
    expect(metricNamesIn(http)).toEqual(['http_requests_total']);
    expect(metricNamesIn('rate(order_end_to_end_seconds_count[1m]) / rate(orders_placed_total[1m])')).toEqual([
      'order_end_to_end_seconds',
      'orders_placed_total',
    ]);
  });
});
