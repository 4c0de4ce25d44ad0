// npm run loadtest -- --orders 100000 --rate 2000 [--mode http|events] [--partitions 3] [--consumers 1] [--name NAME]
// Seed demo 2 and the pipeline benchmark: a fresh system (local broker, services on PostgreSQL), a
// constant offered rate, end-to-end latency into an HDR histogram, consumer lag, drain time, CPU and
// memory of each process; a table here and docs/bench/<name>.json + .html.
import { kafkaVersion } from '@platform/kafka-local';
import { drive, seedStock } from './load-driver';
import { parseLoadOptions } from './load-options';
import { LoadReport, machine, printReport, writeReport } from './load-report';
import { startLoadSystem, stopAndExit } from './loadtest-system';
import { POSTGRES_GROUP, ProcessStats } from './process-stats';

async function main(): Promise<void> {
  const options = parseLoadOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`loadtest: ${line}\n`);
  const system = await startLoadSystem(options, log);
  try {
    await seedStock(system);
    const stats = new ProcessStats([
      ...(system.brokerPid ? [{ name: 'kafka broker', pid: system.brokerPid }] : []),
      ...(system.orders ? [{ name: system.orders.name, pid: system.orders.pid }] : []),
      ...system.inventories.map((service) => ({ name: service.name, pid: service.pid })),
      { name: 'loadtest driver', pid: process.pid },
      ...(system.database.startsWith('PostgreSQL') ? [{ name: 'postgresql (all server processes)', pid: POSTGRES_GROUP }] : []),
    ]);
    const sampler = setInterval(() => stats.sample(), 1000);
    stats.sample();
    log(`offering ${options.orders} orders at ${options.rate}/s (${options.mode} mode)`);
    const result = await drive(system, options, (line) => process.stderr.write(`\r${line}   `));
    clearInterval(sampler);
    stats.sample();
    process.stderr.write('\n');
    const deadLetters = await deadLettersOf(system.inventories.map((service) => service.url));
    const sendSeconds = Math.max(0.001, (result.lastScheduledAt - result.startedAt) / 1000);
    const runSeconds = Math.max(0.001, (result.recorder.lastCompletionAt - result.startedAt) / 1000);
    const report: LoadReport = {
      name: options.name,
      command: `npm run loadtest -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: machine(kafkaVersion()),
      options,
      database: system.database,
      offered: { orders: options.orders, ratePerSecond: options.rate },
      achieved: {
        sendRatePerSecond: options.orders / sendSeconds,
        completed: result.recorder.completed,
        completionRatePerSecond: result.recorder.completed / runSeconds,
        errors: Object.fromEntries(result.sendErrors),
        deadLetters,
      },
      latencyMs: {
        p50: result.recorder.percentileMs(50),
        p90: result.recorder.percentileMs(90),
        p99: result.recorder.percentileMs(99),
        p999: result.recorder.percentileMs(99.9),
        max: result.recorder.percentileMs(100),
      },
      hopsMs: result.recorder.hopPercentilesMs(),
      acceptedMs: result.recorder.acceptedPercentilesMs(),
      fromReceiptMs: result.recorder.receiptPercentilesMs(),
      beforeReceiptMs: result.recorder.beforeReceiptMs(),
      drainSeconds: Math.max(0, (result.recorder.lastCompletionAt - result.lastScheduledAt) / 1000),
      maxLag: result.maxLag,
      processes: stats.usage(),
      machineBusyPercent: stats.machineBusyPercent(),
      timeline: result.recorder.timeline(),
    };
    printReport(report);
    const files = writeReport(report);
    console.log(`\n  written: ${files.json}\n           ${files.html}`);
    const missing = options.orders - Object.values(report.achieved.errors).reduce((a, b) => a + b, 0) - report.achieved.completed;
    if (missing > 0) console.log(`  WARNING: ${missing} order(s) not completed within the drain timeout (--drain-timeout-s)`);
  } finally {
    await stopAndExit(system, Number(process.exitCode ?? 0));
  }
}

/** Dead letters written by inventory-service during the run, by reason (from its /metrics). */
async function deadLettersOf(urls: string[]): Promise<Record<string, number>> {
  const reasons: Record<string, number> = {};
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = /^eventbus_dead_letters_total\{.*reason="([^"]+)".*\} (\d+)/.exec(line);
      if (match) reasons[match[1]] = (reasons[match[1]] ?? 0) + Number(match[2]);
    }
  }
  return reasons;
}

main().catch((error: Error) => {
  console.error(`loadtest: ${error.message}`);
  process.exit(1);
});
