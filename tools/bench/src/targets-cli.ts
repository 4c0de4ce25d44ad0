// npm run bench:targets [-- --quick] [--out DIR]
// Every benchmark target of the platform checked in one command, on this machine and at this hour:
//   1. npm run bench (Kafka's tools, raw kafkajs, libs/messaging, stock Nest): the ratios;
//   2. npm run bench:steps in events mode at 1,000/s and 5,000/s: latency, and the sustained rate;
//   3. npm run bench:steps through HTTP at 1,000/s: latency from order-service's receipt.
// One after another (they would share the cores), each printing its own progress; then a table of
// targets, measured values and verdicts in <out>/targets.{md,json}, next to the three runs' own files.
// Full: 60 s per step, about 10 minutes, into docs/bench. --quick: 20 s steps and a small `bench`,
// about 5 minutes, into .local/bench (a smoke run must not overwrite the committed figures).
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateTargets, TargetInputs, targetsTable, TARGETS } from './targets';

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

/** One of the benchmark commands, its output shown as it comes; rejects if it fails. */
function run(label: string, entry: string, args: string[]): Promise<void> {
  log(`${label}: ${entry} ${args.join(' ')}`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools/scripts/run-ts.js'), join(ROOT, entry), ...args], { cwd: ROOT, stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal's process group; SIGTERM sent to us alone is passed on.
    const forward = () => child.kill('SIGTERM');
    process.once('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      if (code === 0) done();
      else fail(new Error(`${label} failed (${signal ?? `exit code ${code}`}); its output is above`));
    });
  });
}

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const seconds = options.quick ? '20' : '60';
  const warmup = options.quick ? ['--warmup-seconds', '20'] : [];
  const out = ['--out', options.outDir];
  const latencyRate = String(TARGETS.latencyRate);
  await run('1/3 baselines', 'tools/bench/src/cli.ts', [...(options.quick ? ['--quick'] : []), ...out, '--name', 'targets-baselines']);
  await run('2/3 events mode', 'tools/loadtest/src/steps.ts', ['--mode', 'events', '--rates', `${latencyRate},${TARGETS.sustainedRate}`, '--seconds', seconds, ...warmup, ...out, '--name', 'targets-events']);
  await run('3/3 through HTTP', 'tools/loadtest/src/steps.ts', ['--mode', 'http', '--rates', latencyRate, '--seconds', seconds, ...warmup, ...out, '--name', 'targets-http']);

  const inputs: TargetInputs = {
    baselines: readJson(options.outDir, 'targets-baselines'),
    events: readJson(options.outDir, 'targets-events'),
    http: readJson(options.outDir, 'targets-http'),
  };
  const rows = evaluateTargets(inputs);
  const ceiling = (name: 'events' | 'http') => (inputs[name] as { ceiling?: { before?: { recordsPerSecond?: number } } }).ceiling?.before?.recordsPerSecond;
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
      `The machine's speed at the time: Kafka's \`ProducerPerformance\` ${speed.join(' and ')} records/s on the broker of each bench:steps run (512-byte records, acks=all). The figures behind each row: [targets-baselines](targets-baselines.md), [targets-events](targets-events.md), [targets-http](targets-http.md).`,
      '',
      table,
      '',
    ].join('\n'),
  );
  writeFileSync(join(options.outDir, 'targets.json'), `${JSON.stringify({ command, date, machine, targets: TARGETS, rows }, null, 2)}\n`);
  process.stdout.write(`\n${table}\n\n${rows.filter((row) => row.met).length} of ${rows.length} targets met. written: ${join(options.outDir, 'targets.md')} and targets.json\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:targets: ${error.message}\n`);
  process.exit(1);
});
