// npm run bench:targets [-- --quick] [--out DIR]
// Every benchmark target of the platform checked in one command, on this machine and at this hour:
//   1. npm run bench (Kafka's tools, raw kafkajs, libs/messaging, stock Nest): the ratios;
//   2. npm run bench:steps in events mode at 1,000/s and 5,000/s: latency, and the sustained rate;
//   3. npm run bench:steps through HTTP at 1,000/s: latency from order-service's receipt.
// One after another (they would share the cores), each printing its own progress; then a table of
// targets, measured values and verdicts in <out>/targets.{md,json}, next to the three runs' own files.
// The previous run's files are first moved into <out>/targets-HHMM/ (and back, if this run fails or
// is stopped), and <out>/targets-history.md gets a row per run kept (targets-history.ts).
// Full: 60 s per step, 7–8 minutes, into docs/bench. --quick: 20 s steps and a small `bench`,
// about 3 minutes, into .local/bench (a smoke run must not overwrite the committed figures).
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { evaluateTargets, TargetInputs, targetsTable, TARGETS } from './targets';
import { keepLatestRun, restoreKeptRun, writeHistory } from './targets-history-files';

const ROOT = resolve(__dirname, '..', '..', '..');
const USAGE = 'usage: npm run bench:targets -- [--quick] [--out DIR]';
const log = (line: string) => process.stdout.write(`bench:targets: ${line}\n`);

interface TargetsOptions {
  quick: boolean;
  outDir: string;
}

function parseOptions(argv: string[]): TargetsOptions {
  let quick = false;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--out' && argv[i + 1] !== undefined) out = argv[++i];
    else throw new Error(`unknown argument "${argv[i]}"; ${USAGE}`);
  }
  return { quick, outDir: resolve(out ?? join(ROOT, quick ? '.local/bench' : 'docs/bench')) };
}

/** Why the command stopped early: a signal (passed on to the benchmark running) or a failed run. */
let interruptedBy: NodeJS.Signals | undefined;

/** Stopped by a signal: the exit code a shell expects for it. */
class Interrupted extends Error {
  constructor(readonly exitCode: number) {
    super('stopped by a signal');
  }
}

/**
 * One of the benchmark commands, its output shown as it comes; resolves with its exit code. It runs
 * in a process group of its own, so a Ctrl-C reaches it once, from us, and it can stop its broker
 * and services in peace (a second signal would cut that short).
 */
function run(label: string, entry: string, args: string[]): Promise<number> {
  log(`${label}: ${entry} ${args.join(' ')}`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools/scripts/run-ts.js'), join(ROOT, entry), ...args], { cwd: ROOT, stdio: 'inherit', detached: true });
    const forward = (signal: NodeJS.Signals) => {
      if (interruptedBy) return;
      interruptedBy = signal;
      log(`${signal}: stopping ${label} (it stops its broker and services first)…`);
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const cleanUp = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.once('error', (error) => {
      cleanUp();
      fail(error);
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      done(code ?? (signal ? 128 : 1));
    });
  });
}

/** A run's file, if that run wrote it: a file older than the run is a previous run's, not evidence. */
function readFresh<T>(dir: string, name: string, since: number): T | undefined {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as T & { date?: string };
  return parsed.date !== undefined && Date.parse(parsed.date) >= since - 1000 ? parsed : undefined;
}

/** The three benchmark runs, one after another, into the output directory. */
async function measure(options: TargetsOptions): Promise<TargetInputs> {
  const seconds = options.quick ? '20' : '60';
  const warmup = options.quick ? ['--warmup-seconds', '20'] : [];
  // Relative to the workspace (the runs' working directory): the path is recorded in their files.
  const out = ['--out', relative(ROOT, options.outDir) || '.'];
  const latencyRate = String(TARGETS.latencyRate);
  return {
    baselines: await runFor('1/3 baselines', 'tools/bench/src/cli.ts', [...(options.quick ? ['--quick'] : []), ...out, '--name', 'targets-baselines'], options.outDir, 'targets-baselines'),
    events: await runFor(
      '2/3 events mode',
      'tools/loadtest/src/steps.ts',
      ['--mode', 'events', '--rates', `${latencyRate},${TARGETS.sustainedRate}`, '--seconds', seconds, ...warmup, ...out, '--name', 'targets-events'],
      options.outDir,
      'targets-events',
    ),
    http: await runFor('3/3 through HTTP', 'tools/loadtest/src/steps.ts', ['--mode', 'http', '--rates', latencyRate, '--seconds', seconds, ...warmup, ...out, '--name', 'targets-http'], options.outDir, 'targets-http'),
  };
}

/** Runs one benchmark; its file if it wrote one, else a reason to stop. */
async function runFor<T>(label: string, entry: string, args: string[], dir: string, name: string): Promise<T> {
  const since = Date.now();
  const code = await run(label, entry, args);
  if (interruptedBy) throw new Interrupted(interruptedBy === 'SIGINT' ? 130 : 143);
  const written = readFresh<T>(dir, name, since);
  // `bench` exits 1 when one of its phases failed, yet writes the others: those are still evidence.
  if (written) {
    if (code !== 0) log(`${label} exited with code ${code}; its file has what it measured (failed phases count as not measured)`);
    return written;
  }
  throw new Error(`${label} wrote no ${name}.json (exit code ${code}); its output is above`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const kept = existsSync(options.outDir) ? keepLatestRun(options.outDir) : undefined;
  if (kept) log(`the previous run's files moved to ${relative(ROOT, kept)}`);
  let inputs: TargetInputs;
  try {
    inputs = await measure(options);
  } catch (error) {
    // The previous run stays the latest: a failed or stopped run is not a row of the history.
    if (kept) {
      const failedTo = join(ROOT, '.local', 'bench-failed', `targets-${new Date(started).toISOString().replace(/[-:.]/g, '')}`);
      const partial = restoreKeptRun(options.outDir, kept, failedTo);
      log(`the previous run's files are back in ${relative(ROOT, options.outDir)}${partial ? `; this run's partial files are in ${relative(ROOT, partial)}` : ''}`);
    }
    throw error;
  }
  const rows = evaluateTargets(inputs);
  const ceiling = (name: 'events' | 'http') => inputs[name].ceiling?.before?.recordsPerSecond;
  const command = `npm run bench:targets${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const date = new Date(started).toISOString();
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const speed = [ceiling('events'), ceiling('http')].filter((value): value is number => value !== undefined).map((value) => Math.round(value).toLocaleString('en'));
  const table = targetsTable(rows);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(
    join(options.outDir, 'targets.md'),
    [
      '# The benchmark targets on this machine',
      '',
      `\`${command}\` · ${date} · ${machine} · ${Math.round((Date.now() - started) / 60_000)} min`,
      '',
      `The machine's speed at the time: Kafka's \`ProducerPerformance\` ${speed.length > 0 ? `${speed.join(' and ')} records/s` : 'not measured'} on the broker of each bench:steps run (512-byte records, acks=all). The figures behind each row: [targets-baselines](targets-baselines.md), [targets-events](targets-events.md), [targets-http](targets-http.md).`,
      '',
      table,
      '',
    ].join('\n'),
  );
  writeFileSync(join(options.outDir, 'targets.json'), `${JSON.stringify({ command, date, machine, targets: TARGETS, rows }, null, 2)}\n`);
  const history = writeHistory(options.outDir);
  process.stdout.write(
    `\n${table}\n\n${rows.filter((row) => row.met).length} of ${rows.length} targets met. written: ${join(options.outDir, 'targets.md')} and targets.json; every run kept: ${history}\n`,
  );
}

main().catch((error: Error) => {
  if (error instanceof Interrupted) process.exit(error.exitCode);
  process.stderr.write(`bench:targets: ${error.message}\n`);
  process.exit(1);
});
