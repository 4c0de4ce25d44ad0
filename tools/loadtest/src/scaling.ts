// npm run bench:scaling [-- --counts 1000,10000,100000,1000000 --partitions 1,3,6 --consumers 1,2 --name scaling]
// npm run bench:scaling -- --chart docs/bench/scaling.json   (draw a saved run's chart again)
// Seed demo 2: how total processing time grows with the number of events. For each layout
// (partitions × inventory instances) one fresh system; each count is published as a burst of
// OrderCreated events (events mode), and the time from the first send to the last StockReserved is
// measured. Per-message cost = total time / count: flat means the pipeline scales linearly.
import { checkArguments, kafkaVersion } from '@platform/kafka-local';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { drive, seedStock } from './load-driver';
import { LoadOptions } from './load-options';
import { machine } from './load-report';
import { startLoadSystem } from './loadtest-system';
import { scalingChartPage } from './scaling-chart';

interface ScalingRow {
  partitions: number;
  consumers: number;
  events: number;
  totalSeconds: number;
  perMessageMs: number;
  eventsPerSecond: number;
  p99Ms: number;
  completed: number;
  errors: Record<string, number>;
}

function list(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const values = (process.argv[index + 1] ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`--${name} must be a comma list of positive integers`);
  return values;
}

const USAGE = 'usage: npm run bench:scaling -- [--counts 1000,10000,100000] [--partitions 1,3,6] [--consumers 1,2] [--name scaling] | --chart <run.json>';

async function main(): Promise<void> {
  checkArguments(process.argv.slice(2), { values: ['counts', 'partitions', 'consumers', 'name', 'chart'] }, USAGE);
  // --chart <run.json>: draw the chart of a saved run again, without running anything.
  const chartIndex = process.argv.indexOf('--chart');
  if (chartIndex >= 0) {
    const file = resolve(process.argv[chartIndex + 1] ?? '');
    const html = file.replace(/\.json$/, '.html');
    writeFileSync(html, scalingChartPage(JSON.parse(readFileSync(file, 'utf8'))));
    console.log(`written: ${html}`);
    return;
  }
  const counts = list('counts', [1_000, 10_000, 100_000]);
  const partitionsList = list('partitions', [1, 3, 6]);
  const consumersList = list('consumers', [1, 2]);
  const nameIndex = process.argv.indexOf('--name');
  const name = nameIndex >= 0 ? (process.argv[nameIndex + 1] ?? '') : 'scaling';
  if (!/^[\w.-]+$/.test(name)) throw new Error(`--name may hold letters, digits, ".", "_" and "-" only, got "${name}"`);
  const log = (line: string) => process.stderr.write(`bench:scaling: ${line}\n`);
  const rows: ScalingRow[] = [];
  const started = Date.now();
  for (const partitions of partitionsList) {
    for (const consumers of consumersList) {
      const base: LoadOptions = { orders: 0, rate: 100_000, mode: 'events', partitions, consumers, name: 'scaling', drainTimeoutMs: 3_600_000 };
      const system = await startLoadSystem(base, log);
      try {
        await seedStock(system);
        for (const events of counts) {
          log(`partitions ${partitions}, consumers ${consumers}: ${events} events…`);
          const result = await drive(system, { ...base, orders: events }, (line) => process.stderr.write(`\r  ${line}   `));
          process.stderr.write('\n');
          const totalSeconds = (result.recorder.lastCompletionAt - result.startedAt) / 1000;
          const row = {
            partitions,
            consumers,
            events,
            totalSeconds: Math.round(totalSeconds * 100) / 100,
            perMessageMs: Math.round(((totalSeconds * 1000) / events) * 1000) / 1000,
            eventsPerSecond: Math.round(events / totalSeconds),
            p99Ms: result.recorder.percentileMs(99),
            completed: result.recorder.completed,
            errors: Object.fromEntries(result.sendErrors),
          };
          rows.push(row);
          log(`  → ${row.totalSeconds} s, ${row.perMessageMs} ms per message, ${row.eventsPerSecond}/s${row.completed < events ? ` (only ${row.completed} completed! errors: ${JSON.stringify(row.errors)})` : ''}`);
        }
      } finally {
        await system.stop();
      }
    }
  }
  const table = [
    '| partitions | inventory instances | events | total time | per message | events/s | p99 latency |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.partitions} | ${r.consumers} | ${r.events.toLocaleString('en')} | ${r.totalSeconds} s | ${r.perMessageMs} ms | ${r.eventsPerSecond} | ${r.p99Ms} ms |`),
  ].join('\n');
  console.log(`\n${table}\n`);
  const dir = resolve(__dirname, '..', '..', '..', 'docs', 'bench');
  mkdirSync(dir, { recursive: true });
  const report = { command: `npm run bench:scaling -- ${process.argv.slice(2).join(' ')}`.trim(), date: new Date().toISOString(), machine: machine(kafkaVersion()), minutes: Math.round((Date.now() - started) / 600) / 100, rows };
  writeFileSync(resolve(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(resolve(dir, `${name}.md`), `${report.command} · ${report.date} · ${report.machine.cpus} cores, ${report.machine.memoryGb} GB\n\n${table}\n`);
  writeFileSync(resolve(dir, `${name}.html`), scalingChartPage(report));
  console.log(`written: ${resolve(dir, `${name}.json`)}, ${name}.md and ${name}.html (chart)`);
}

main().catch((error: Error) => {
  console.error(`bench:scaling: ${error.message}`);
  process.exit(1);
});
