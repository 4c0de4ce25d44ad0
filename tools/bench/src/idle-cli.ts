// npm run bench:idle [-- --seconds 60 --name idle]
// With the platform running and idle (`npm start` in another terminal, nothing sent), measures each
// service's and the broker's CPU and wake-ups over a window (idle-processes.ts) and writes
// docs/bench/<name>.{md,json}. Start it a minute after `npm start` so start-up work is over.
import { spawnSync } from 'node:child_process';
import { cpus, release } from 'node:os';
import { idleCosts, idleTable, sampleProcesses } from './idle-processes';
import { writeSmallBenchReport } from './small-bench-report';

const USAGE = 'usage: npm run bench:idle -- [--seconds 60] [--name idle]   (with `npm start` running and idle)';
const log = (line: string) => process.stdout.write(`bench:idle: ${line}\n`);

function parseOptions(argv: string[]): { seconds: number; name: string } {
  const options = { seconds: 60, name: 'idle' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--seconds' && /^[1-9]\d*$/.test(value)) options.seconds = Number(value);
    else if (flag === '--name' && /^[\w.-]+$/.test(value)) options.name = value;
    else throw new Error(`bad argument "${flag} ${value}"; ${USAGE}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { seconds, name } = parseOptions(process.argv.slice(2));
  const before = sampleProcesses();
  if (before.length === 0) throw new Error(`no service or broker process is running; start the platform first. ${USAGE}`);
  log(`measuring ${before.map((sample) => sample.name).join(', ')} for ${seconds} s`);
  for (let left = seconds; left > 0; left -= 10) {
    await new Promise((done) => setTimeout(done, Math.min(10, left) * 1000));
    if (left > 10) log(`${seconds - left + 10} s of ${seconds}`);
  }
  const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const costs = idleCosts(before, sampleProcesses(), seconds, ticksPerSecond);
  const at = new Date().toISOString();
  writeSmallBenchReport({
    name,
    title: 'The platform at rest',
    script: 'bench:idle',
    source: 'tools/bench/src/idle-processes.ts',
    runLine: `${at} · ${seconds} s · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), kernel ${release()}`,
    method:
      "Every service process and the broker that were running, nothing sent to them: CPU and voluntary context switches from /proc over the window. Whether a service runs with libs/messaging's kafkajs idle-timer fix is read from its environment (`KAFKAJS_IDLE_TIMER_FIX=off` when it was started turns the fix off).",
    table: idleTable(costs),
    json: { at, seconds, costs },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`bench:idle: ${error.message}\n`);
  process.exit(1);
});
