// npm run bench:wakeup [-- --name wakeup --pauses 0,1,2,5,10,20 --record-size 512]
// The price of a wake-up on this machine (wakeup-cost.ts): why an order costs far more CPU at 100
// orders/s than at 5,000. Writes docs/bench/<name>.{md,json}; about 20 s, no broker, no database.
import { cpus, release, totalmem } from 'node:os';
import { currentLoad } from './report';
import { writeSmallBenchReport } from './small-bench-report';
import { DEFAULT_PAUSES_MS, measureWakeupCost, roundTripsFor, wakeupTable } from './wakeup-cost';

const USAGE = 'usage: npm run bench:wakeup -- [--name wakeup] [--pauses 0,1,2,5,10,20] [--record-size 512]';
const log = (line: string) => process.stdout.write(`bench:wakeup: ${line}\n`);

interface WakeupOptions {
  name: string;
  pausesMs: number[];
  recordSize: number;
}

function parseOptions(argv: string[]): WakeupOptions {
  const options: WakeupOptions = { name: 'wakeup', pausesMs: DEFAULT_PAUSES_MS, recordSize: 512 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--name' && /^[\w.-]+$/.test(value)) options.name = value;
    else if (flag === '--pauses' && /^\d+(,\d+)*$/.test(value)) options.pausesMs = value.split(',').map(Number);
    else if (flag === '--record-size' && /^[1-9]\d*$/.test(value)) options.recordSize = Number(value);
    else throw new Error(`bad argument "${flag} ${value}"; ${USAGE}`);
  }
  // The ratios are against back to back: measure it first.
  if (!options.pausesMs.includes(0)) options.pausesMs = [0, ...options.pausesMs];
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadAtStart = currentLoad();
  log(`${options.pausesMs.length} steps, ${options.recordSize}-byte messages, about ${Math.round(options.pausesMs.reduce((sum, pause) => sum + (roundTripsFor(pause) * (pause + 0.1)) / 1000, 0))} s; load average ${loadAtStart.join(' ')}`);
  const steps = await measureWakeupCost(options.pausesMs, options.recordSize, (step) =>
    log(`pause ${step.pauseMs} ms: ${step.roundTrips} round trips, p50 ${step.rttP50Us} µs, CPU per round trip ${step.clientCpuUs} µs client + ${step.serverCpuUs} µs server`),
  );
  const machine = { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, kernel: release() };
  const loadAtEnd = currentLoad();
  const at = new Date().toISOString();
  writeSmallBenchReport({
    name: options.name,
    title: 'The price of a wake-up on this machine',
    script: 'bench:wakeup',
    source: 'tools/bench/src/wakeup-cost.ts',
    runLine: `${at} · ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, kernel ${machine.kernel} · load average ${loadAtStart[0]} at the start, ${loadAtEnd[0]} at the end`,
    method: `Two Node processes on loopback TCP, one ${options.recordSize}-byte message and its echo at a time: back to back, then with a timer pause between round trips, so both processes sleep and are woken by each message, as every process of the pipeline is between orders at low rates. CPU is user + system time of each process (its own \`process.cpuUsage()\`), per round trip.`,
    table: wakeupTable(steps),
    json: { at, machine, loadAverage: { start: loadAtStart, end: loadAtEnd }, recordSize: options.recordSize, steps },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`bench:wakeup: ${error.message}\n`);
  process.exit(1);
});
