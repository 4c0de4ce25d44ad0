// npm run bench:steps [-- --mode events|http --rates 250,500,1000,2000,4000 --seconds 20 --warmup-seconds 45 --warmup-rate 1000 --partitions 3 --consumers 1 --p99-ms 100 --name steps-<mode> --out docs/bench]
// The full pipeline at stepped rates, on one system: each step offers a constant rate for a fixed
// time, and passes when every order completed, the backlog at the end of the sends was gone within
// one second (lag bounded: the pipeline kept up) and p99 stayed under the bound. The answer is the
// highest passing rate. A warm-up comes first and is not reported: a fresh JVM broker spends its
// first minutes compiling hot code (its C2 compiler thread took 20 s of CPU in the first minute of a
// 250/s run, and the broker's CPU per order kept falling from step to step after a 15 s warm-up).
// Stops after the first step that could not keep up at all (completions below 90% of the offered
// rate): the rates above it cannot pass either. Kafka's ProducerPerformance runs on the same broker
// before the warm-up and after the last step (ceiling-probe.ts): the machine's ceiling at the time,
// which the best rate is divided by.
// Writes docs/bench/steps-<mode>.json and .md (--out, --name).
import { checkArguments, kafkaVersion } from '@platform/kafka-local';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CeilingProbe, describeCeiling, probeProducerCeiling } from './ceiling-probe';
import { drive, seedStock } from './load-driver';
import { LatencyRecorder } from './latency-recorder';
import { LoadOptions } from './load-options';
import { machine } from './load-report';
import { LoadSystem, startLoadSystem, stopAndExit } from './loadtest-system';
import { POSTGRES_GROUP, ProcessStats, ProcessUsage } from './process-stats';

interface StepRow {
  offered: number;
  orders: number;
  completed: number;
  completedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  hopsMs: ReturnType<LatencyRecorder['hopPercentilesMs']>;
  /** http mode: scheduled → order-service's 202, the first part of the decision hop. */
  acceptedMs: ReturnType<LatencyRecorder['acceptedPercentilesMs']>;
  /** http mode: order-service's receipt of the request → answer seen (the issue's "from HTTP receipt"). */
  fromReceiptMs: ReturnType<LatencyRecorder['receiptPercentilesMs']>;
  /** http mode: scheduled → written by the driver, and → read by order-service. */
  beforeReceiptMs: ReturnType<LatencyRecorder['beforeReceiptMs']>;
  maxLag: number;
  drainSeconds: number;
  errors: number;
  passed: boolean;
  why: string;
  cpu: Pick<ProcessUsage, 'name' | 'cpuPercent' | 'cpuWaitMsPerSecond' | 'wakeupsPerSecond'>[];
  /** All cores' busy time, in percent of one core: what the processes' CPU adds up to, plus the kernel's share. */
  machineBusyPercent: number;
  /** Wake-ups (voluntary context switches) of the services, the broker and PostgreSQL per completed order, not the driver's. */
  wakeupsPerOrder: number;
}

const DRIVER = 'driver';

/** The lag counts as bounded if what was left when the sends stopped was done within this. */
const MAX_DRAIN_SECONDS = 1;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function positiveList(name: string, fallback: number[]): number[] {
  const text = argument(name);
  if (text === undefined) return fallback;
  const values = text.split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`--${name} must be a comma list of positive integers, got "${text}"`);
  return values;
}

function positive(name: string, fallback: number): number {
  const values = positiveList(name, [fallback]);
  if (values.length !== 1) throw new Error(`--${name} takes one positive integer, got "${argument(name)}"`);
  return values[0];
}

const USAGE =
  'usage: npm run bench:steps -- [--mode events|http] [--rates 250,500,…] [--seconds 20] [--p99-ms 100] [--warmup-seconds 45] [--warmup-rate N] ' +
  '[--partitions 3] [--consumers 1] [--name NAME] [--out DIR]';

async function main(): Promise<void> {
  checkArguments(process.argv.slice(2), { values: ['mode', 'rates', 'seconds', 'p99-ms', 'warmup-seconds', 'warmup-rate', 'partitions', 'consumers', 'name', 'out'] }, USAGE);
  const mode = argument('mode') ?? 'events';
  if (mode !== 'events' && mode !== 'http') throw new Error(`--mode must be events or http, got "${mode}"`);
  const rates = positiveList('rates', mode === 'events' ? [250, 500, 1000, 2000, 3000, 4000, 6000] : [100, 200, 300, 500, 1000]);
  const seconds = positive('seconds', 20);
  const p99BoundMs = positive('p99-ms', 100);
  const warmupSeconds = positive('warmup-seconds', 45);
  const warmupRate = positive('warmup-rate', mode === 'events' ? 1000 : 200);
  const partitions = positive('partitions', 3);
  const consumers = positive('consumers', 1);
  const name = argument('name') ?? `steps-${mode}`;
  if (!/^[\w.-]+$/.test(name)) throw new Error(`--name must be a plain file name (letters, digits, . _ -), got "${name}"`);
  const outDir = resolve(argument('out') ?? resolve(__dirname, '..', '..', '..', 'docs', 'bench'));
  const log = (line: string) => process.stderr.write(`bench:steps: ${line}\n`);
  const base: LoadOptions = { orders: 0, rate: 1, mode, partitions, consumers, name, drainTimeoutMs: 60_000 };
  const started = Date.now();
  const system = await startLoadSystem(base, log);
  const rows: StepRow[] = [];
  const ceiling: { before?: CeilingProbe; after?: CeilingProbe } = {};
  try {
    log('the ceiling now: Kafka ProducerPerformance on this broker…');
    ceiling.before = await probeProducerCeiling(system, partitions, log);
    log(`  → ${describeCeiling(ceiling.before)}`);
    await seedStock(system);
    log(`warm-up: ${warmupRate}/s for ${warmupSeconds} s (not reported)…`);
    await drive(system, { ...base, rate: warmupRate, orders: warmupRate * warmupSeconds }, (line) => process.stderr.write(`\r  ${line}   `));
    process.stderr.write('\n');
    for (const rate of rates) {
      log(`step ${rate}/s for ${seconds} s (${mode} mode)…`);
      const row = await step(system, { ...base, rate, orders: rate * seconds }, p99BoundMs);
      rows.push(row);
      const receiptP99 = row.fromReceiptMs ? ` (from HTTP receipt ${row.fromReceiptMs.p99} ms)` : '';
      log(`  → ${row.completedPerSecond}/s completed, p99 ${row.p99Ms} ms${receiptP99}, max lag ${row.maxLag}, drain ${row.drainSeconds} s: ${row.passed ? 'PASS' : `fail (${row.why})`}`);
      if (row.completedPerSecond < rate * 0.9) break;
    }
    log('the ceiling after the steps: Kafka ProducerPerformance again…');
    ceiling.after = await probeProducerCeiling(system, partitions, log);
    log(`  → ${describeCeiling(ceiling.after)}`);
  } catch (error) {
    // The finally below ends the process (stopAndExit): say what failed, and fail.
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    const passed = rows.filter((row) => row.passed);
    const best = passed.length > 0 ? Math.max(...passed.map((row) => row.offered)) : undefined;
    if (rows.length > 0) report({ name, outDir, mode, seconds, warmupSeconds, warmupRate, p99BoundMs, partitions, consumers, rows, best, ceiling, started });
    await stopAndExit(system, Number(process.exitCode ?? 0));
  }
}

async function step(system: LoadSystem, options: LoadOptions, p99BoundMs: number): Promise<StepRow> {
  const stats = new ProcessStats([
    ...(system.brokerPid ? [{ name: 'broker', pid: system.brokerPid }] : []),
    ...(system.orders ? [{ name: 'order-service', pid: system.orders.pid }] : []),
    ...system.inventories.map((service, index, all) => ({ name: all.length > 1 ? `inventory-service-${index + 1}` : 'inventory-service', pid: service.pid })),
    { name: DRIVER, pid: process.pid },
    { name: 'postgresql', pid: POSTGRES_GROUP },
  ]);
  stats.sample();
  const sampler = setInterval(() => stats.sample(), 1000);
  const result = await drive(system, options, (line) => process.stderr.write(`\r  ${line}   `)).finally(() => clearInterval(sampler));
  stats.sample();
  process.stderr.write('\n');
  const { recorder } = result;
  const errors = [...result.sendErrors.values()].reduce((a, b) => a + b, 0);
  const drainSeconds = Math.max(0, (recorder.lastCompletionAt - result.lastScheduledAt) / 1000);
  const runSeconds = Math.max(0.001, (recorder.lastCompletionAt - result.startedAt) / 1000);
  const p99Ms = recorder.percentileMs(99);
  const usage = stats.usage();
  const why = [
    recorder.completed < options.orders ? `${options.orders - recorder.completed} not completed` : '',
    errors > 0 ? `${errors} send errors` : '',
    drainSeconds > MAX_DRAIN_SECONDS ? `backlog took ${drainSeconds.toFixed(1)} s to drain: lag grew` : '',
    p99Ms >= p99BoundMs ? `p99 ${p99Ms} ms ≥ ${p99BoundMs} ms` : '',
  ].filter(Boolean);
  return {
    offered: options.rate,
    orders: options.orders,
    completed: recorder.completed,
    completedPerSecond: Math.round(recorder.completed / runSeconds),
    p50Ms: recorder.percentileMs(50),
    p99Ms,
    maxMs: recorder.percentileMs(100),
    hopsMs: recorder.hopPercentilesMs(),
    acceptedMs: recorder.acceptedPercentilesMs(),
    fromReceiptMs: recorder.receiptPercentilesMs(),
    beforeReceiptMs: recorder.beforeReceiptMs(),
    maxLag: result.maxLag,
    drainSeconds: Math.round(drainSeconds * 100) / 100,
    errors,
    passed: why.length === 0,
    why: why.join(', '),
    cpu: usage.map(({ name, cpuPercent, cpuWaitMsPerSecond, wakeupsPerSecond }) => ({ name, cpuPercent, cpuWaitMsPerSecond, wakeupsPerSecond })),
    machineBusyPercent: stats.machineBusyPercent(),
    wakeupsPerOrder: Math.round((usage.filter((u) => u.name !== DRIVER).reduce((sum, u) => sum + u.wakeupsPerSecond, 0) * stats.spanSeconds() * 10) / Math.max(1, recorder.completed)) / 10,
  };
}

interface StepsRun {
  name: string;
  outDir: string;
  mode: string;
  seconds: number;
  warmupSeconds: number;
  warmupRate: number;
  p99BoundMs: number;
  partitions: number;
  consumers: number;
  rows: StepRow[];
  best: number | undefined;
  ceiling: { before?: CeilingProbe; after?: CeilingProbe };
  started: number;
}

function report(run: StepsRun): void {
  const processes = run.rows[0].cpu.map((usage) => usage.name);
  // http mode: the issue's "from HTTP receipt" latency next to ours from the scheduled send.
  const receipt = run.mode === 'http';
  const table = [
    `| offered/s | completed/s | p50 | p99 | max |${receipt ? ' p50 / p99 from HTTP receipt | p99 / max before order-service read it: written by the driver · read |' : ''} p50 / p99 per hop: to answer made · to Kafka · seen | max lag | drain | CPU % (${processes.join(' / ')}) | waiting for a core, ms/s (same order) | all cores busy % | wake-ups per order | result |`,
    `|---|---|---|---|---|${receipt ? '---|---|' : ''}---|---|---|---|---|---|---|---|`,
    ...run.rows.map(
      (r) =>
        `| ${r.offered.toLocaleString('en')} | ${r.completedPerSecond.toLocaleString('en')} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.maxMs} ms |${receipt ? ` ${r.fromReceiptMs ? `${r.fromReceiptMs.p50} / ${r.fromReceiptMs.p99} ms` : '–'} | ${beforeReceiptCell(r.beforeReceiptMs)} |` : ''} ${hopCell(r.hopsMs, r.acceptedMs)} | ${r.maxLag.toLocaleString('en')} | ${r.drainSeconds} s | ${r.cpu.map((c) => c.cpuPercent).join(' / ')} | ${r.cpu.map((c) => c.cpuWaitMsPerSecond).join(' / ')} | ${r.machineBusyPercent} | ${r.wakeupsPerOrder} | ${r.passed ? '**pass**' : `fail: ${r.why}`} |`,
    ),
  ].join('\n');
  const verdict =
    run.best === undefined
      ? `No step passed (every order completed, lag bounded, p99 < ${run.p99BoundMs} ms).`
      : `Highest rate with every order completed, lag bounded and p99 < ${run.p99BoundMs} ms: **${run.best.toLocaleString('en')} orders/s** (${run.mode} mode).`;
  const ceiling = `Kafka \`ProducerPerformance\` on the same broker (512-byte records, acks=all): ${describeCeiling(run.ceiling.before)} before the warm-up, ${describeCeiling(run.ceiling.after)} after the last step${ceilingRatio(run)}.`;
  console.log(`\n${table}\n\n${verdict}\n\n${ceiling}\n`);
  // The directory stays out of the file: an absolute path of one machine.
  const { outDir: dir, ...recorded } = run;
  mkdirSync(dir, { recursive: true });
  const command = `npm run bench:steps -- ${process.argv.slice(2).join(' ')}`.trim();
  const document = { command, date: new Date().toISOString(), machine: machine(kafkaVersion()), minutes: Math.round((Date.now() - run.started) / 600) / 100, ...recorded };
  writeFileSync(resolve(dir, `${run.name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(
    resolve(dir, `${run.name}.md`),
    `${command} · ${document.date} · ${document.machine.cpus} cores, ${document.machine.memoryGb} GB · ${run.seconds} s per step after a ${run.warmupSeconds} s warm-up at ${run.warmupRate}/s, ${run.partitions} partitions, ${run.consumers} inventory instance(s)\n\n${table}\n\n${verdict}\n\n${ceiling}\n`,
  );
  console.log(`written: ${resolve(dir, `${run.name}.json`)} and .md`);
}

main().catch((error: Error) => {
  console.error(`bench:steps: ${error.message}`);
  process.exit(1);
});

/** "; best passing rate ÷ that: 0.121 (before) / 0.104 (after)": the issue's pipeline ÷ ProducerPerformance, from one run. */
function ceilingRatio({ best, ceiling }: StepsRun): string {
  const ratios = (['before', 'after'] as const).flatMap((when) => {
    const probe = ceiling[when];
    return best !== undefined && probe && 'recordsPerSecond' in probe ? [`${(best / probe.recordsPerSecond).toFixed(3)} (${when})`] : [];
  });
  return ratios.length ? `; best passing rate ÷ that: ${ratios.join(' / ')}` : '';
}

/** "3/40 · 9/120 ms": p99/max until the driver wrote the request, and until order-service read it. */
function beforeReceiptCell(before: StepRow['beforeReceiptMs']): string {
  return before ? `${before.written.p99}/${before.written.max} · ${before.read.p99}/${before.read.max} ms` : '–';
}

/** "16/118 · 12/80 · 4/9 ms": each hop's p50/p99 (latency-recorder.ts HOPS); http mode leads with "202 in 9/40 ·". */
function hopCell(hops: StepRow['hopsMs'], accepted?: StepRow['acceptedMs']): string {
  const cells = [hops.toDecision, hops.toKafka, hops.toObserver].map(({ p50, p99 }) => `${p50}/${p99}`).join(' · ');
  return `${accepted ? `202 in ${accepted.p50}/${accepted.p99} · ` : ''}${cells} ms`;
}
