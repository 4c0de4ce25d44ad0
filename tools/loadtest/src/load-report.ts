// The result of a load test: a table on the terminal, docs/bench/<name>.json with every figure and the
// machine it ran on, and docs/bench/<name>.html — a self-contained chart (inline SVG, no script) of
// latency and consumer lag over time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { BeforeReceipt, Hop, HOPS, SecondSample, Spread } from './latency-recorder';
import { LoadOptions } from './load-options';
import { ProcessUsage } from './process-stats';

export interface LoadReport {
  name: string;
  command: string;
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; kafka: string };
  options: LoadOptions;
  database: string;
  offered: { orders: number; ratePerSecond: number };
  achieved: { sendRatePerSecond: number; completed: number; completionRatePerSecond: number; errors: Record<string, number>; deadLetters: Record<string, number> };
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** The same latency cut at inventory's decision and the answer's entry into Kafka (latency-recorder.ts HOPS). */
  hopsMs: Record<Hop, { p50: number; p99: number }>;
  /** http mode: scheduled → order-service's 202 answer, the first part of toDecision. */
  acceptedMs?: { p50: number; p99: number };
  /** http mode: order-service's receipt of the request → answer seen (LatencyRecorder.receiptPercentilesMs). */
  fromReceiptMs?: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** http mode: scheduled → written by the driver, and → read by order-service (LatencyRecorder.beforeReceiptMs). */
  beforeReceiptMs?: BeforeReceipt;
  drainSeconds: number;
  maxLag: number;
  processes: ProcessUsage[];
  /** All cores' busy time over the run, in percent of one core (cores × 100 at most). */
  machineBusyPercent: number;
  timeline: SecondSample[];
}

export function machine(kafkaVersion: string): LoadReport['machine'] {
  const model = (() => {
    try {
      return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
    } catch {
      return cpus()[0]?.model ?? 'unknown';
    }
  })();
  return { cpus: cpus().length, cpuModel: model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, kafka: kafkaVersion };
}

export function printReport(report: LoadReport): void {
  const rows: [string, string][] = [
    ['offered', `${report.offered.orders} orders at ${report.offered.ratePerSecond}/s (${report.options.mode} mode, ${report.options.partitions} partitions, ${report.options.consumers} inventory instance(s))`],
    ['achieved send rate', `${report.achieved.sendRatePerSecond.toFixed(0)}/s`],
    ['completed', `${report.achieved.completed} (${report.achieved.completionRatePerSecond.toFixed(0)}/s)`],
    ['errors', Object.keys(report.achieved.errors).length ? JSON.stringify(report.achieved.errors) : 'none'],
    ['dead letters (inventory-service)', Object.keys(report.achieved.deadLetters).length ? JSON.stringify(report.achieved.deadLetters) : 'none'],
    ['latency p50 / p90 / p99 / p99.9 / max', `${report.latencyMs.p50} / ${report.latencyMs.p90} / ${report.latencyMs.p99} / ${report.latencyMs.p999} / ${report.latencyMs.max} ms`],
    ...receiptRows(report),
    ...hopRows(report),
    ['drain after the last send', `${report.drainSeconds.toFixed(1)} s`],
    ['max consumer lag', String(report.maxLag)],
    ['all cores busy', `${report.machineBusyPercent}% of ${report.machine.cpus * 100}%`],
    ...report.processes.map((p): [string, string] => [
      `  ${p.name}`,
      `CPU avg ${p.cpuPercent}% (max ${p.maxCpuPercent}%), RSS max ${p.maxRssMb} MB, waited for a core ${p.cpuWaitMsPerSecond} ms/s, woken ${p.wakeupsPerSecond}/s`,
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${report.name}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** http mode: the same latency from order-service's receipt of each request, as the issue defines it. */
function receiptRows(report: LoadReport): [string, string][] {
  const receipt = report.fromReceiptMs;
  if (!receipt) return [];
  return [['  the same from order-service\'s HTTP receipt (flow.started_at)', `${receipt.p50} / ${receipt.p90} / ${receipt.p99} / ${receipt.p999} / ${receipt.max} ms`]];
}

/** "  scheduled → answer made …   p50 / p99  12 / 80 ms" per hop. */
function hopRows(report: LoadReport): [string, string][] {
  const rows = (Object.keys(HOPS) as Hop[]).map((hop): [string, string] => [`  ${HOPS[hop]}`, `p50 / p99 ${report.hopsMs[hop].p50} / ${report.hopsMs[hop].p99} ms`]);
  const accepted = report.acceptedMs;
  if (accepted) rows.unshift(['  scheduled → HTTP 202 (request, order-service\'s write; part of the next)', `p50 / p99 ${accepted.p50} / ${accepted.p99} ms`]);
  const before = report.beforeReceiptMs;
  if (before) {
    rows.unshift(
      ['  scheduled → request written by the driver (tick, free socket, connect)', spreadText(before.written)],
      ['  scheduled → request read by order-service (the above, kernel, its event loop)', spreadText(before.read)],
    );
  }
  return rows;
}

function spreadText({ p50, p99, max }: Spread): string {
  return `p50 / p99 / max ${p50} / ${p99} / ${max} ms`;
}

export function writeReport(report: LoadReport, dir = resolve(__dirname, '..', '..', '..', 'docs', 'bench')): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = resolve(dir, `${report.name}.json`);
  const html = resolve(dir, `${report.name}.html`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, chartPage(report));
  return { json, html };
}

function chartPage(report: LoadReport): string {
  const points = report.timeline;
  const latency = chart('end-to-end latency per second (ms): p50 blue, p99 red', points, [
    { color: '#2457c5', value: (s) => s.p50Ms },
    { color: '#c0262d', value: (s) => s.p99Ms },
  ]);
  const lag = chart('inventory-service consumer lag (messages)', points, [{ color: '#1a7f37', value: (s) => s.lag }]);
  const rate = chart('orders sent (grey) and completed (blue) per second', points, [
    { color: '#888', value: (s) => s.sent },
    { color: '#2457c5', value: (s) => s.completed },
  ]);
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(report.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1d2330}svg{background:#fff;border:1px solid #dde1e6;margin:.3rem 0 1rem}td{padding:.15rem .6rem}</style></head><body>
<h1>${esc(report.name)}</h1><p><code>${esc(report.command)}</code> · ${esc(report.date)} · ${report.machine.cpus} cores ${esc(report.machine.cpuModel)}, ${report.machine.memoryGb} GB, Node ${esc(report.machine.node)}, Kafka ${esc(report.machine.kafka)}, ${esc(report.database)}</p>
<table><tr><td>achieved</td><td>${report.achieved.sendRatePerSecond.toFixed(0)}/s sent, ${report.achieved.completed} completed</td></tr>
<tr><td>latency p50 / p90 / p99 / p99.9 / max</td><td>${report.latencyMs.p50} / ${report.latencyMs.p90} / ${report.latencyMs.p99} / ${report.latencyMs.p999} / ${report.latencyMs.max} ms</td></tr>
${[...receiptRows(report), ...hopRows(report)].map(([hop, value]) => `<tr><td>${esc(hop.trim())}</td><td>${esc(value)}</td></tr>`).join('\n')}
<tr><td>drain after last send</td><td>${report.drainSeconds.toFixed(1)} s; max lag ${report.maxLag}</td></tr></table>
${latency}${lag}${rate}</body></html>\n`;
}

function chart(title: string, points: SecondSample[], series: { color: string; value: (s: SecondSample) => number | null }[]): string {
  const width = 900;
  const height = 220;
  const pad = 40;
  const values = points.flatMap((p) => series.map((s) => s.value(p) ?? 0));
  const max = Math.max(1, ...values);
  const last = Math.max(1, points.length ? points[points.length - 1].second : 1);
  const x = (second: number) => pad + ((width - 2 * pad) * second) / last;
  const y = (value: number) => height - pad - ((height - 2 * pad) * value) / max;
  const lines = series
    .map((s) => {
      const path = points
        .filter((p) => s.value(p) !== null)
        .map((p) => `${x(p.second).toFixed(1)},${y(s.value(p) as number).toFixed(1)}`)
        .join(' ');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${path}"/>`;
    })
    .join('');
  return `<h3>${title}</h3><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>
<text x="${pad}" y="${pad - 8}" font-size="11">${max.toFixed(max < 10 ? 1 : 0)}</text><text x="${width - pad}" y="${height - pad + 16}" font-size="11" text-anchor="end">${last} s</text>${lines}</svg>`;
}
