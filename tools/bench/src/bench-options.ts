// npm run bench [-- --records 200000 --record-size 512 --rounds 3 --quick ...]: the command line, checked once.
import { join } from 'node:path';

export interface BenchOptions {
  /** Records per throughput measurement (Kafka's tools, batched producers, consumers). */
  records: number;
  recordSize: number;
  /** Records for the producer that awaits every single send (a round trip each). */
  onePerSendRecords: number;
  /** Round trips measured by EndToEndLatency. */
  latencyRecords: number;
  batchSize: number;
  /** Rounds of each pair a target compares (ours against raw kafkajs), alternating which goes first. */
  rounds: number;
  quick: boolean;
  /** Wait (up to 15 min) until the 1-minute load average is below 2.5 before starting. */
  waitForQuiet: boolean;
  /** Where <name>.json and <name>.md go. */
  outDir: string;
  /** The files' name: baselines unless --name says otherwise. */
  name: string;
}

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export const USAGE =
  'usage: npm run bench -- [--records 200000] [--record-size 512] [--one-per-send-records records/20] ' +
  '[--latency-records 10000] [--batch-size 1000] [--rounds 3] [--quick] [--wait-for-quiet] [--out docs/bench] [--name baselines]';

const FLAGS = ['quick', 'wait-for-quiet', 'help'];
const VALUES = ['records', 'record-size', 'one-per-send-records', 'latency-records', 'batch-size', 'rounds', 'out', 'name'];

export function parseBenchOptions(argv: string[], root: string): BenchOptions {
  const given = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || ![...FLAGS, ...VALUES].includes(name)) throw new BenchUsageError(`unknown argument "${argv[i]}"; ${USAGE}`);
    if (FLAGS.includes(name)) {
      given.set(name, true);
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new BenchUsageError(`--${name} needs a value; ${USAGE}`);
    given.set(name, value);
  }
  if (given.has('help')) throw new BenchUsageError(USAGE);
  const quick = given.has('quick');
  const integer = (name: string, fallback: number, min: number): number => {
    const text = given.get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new BenchUsageError(`--${name} must be an integer of at least ${min}, got "${text}"`);
    return value;
  };
  const records = integer('records', quick ? 5_000 : 200_000, 100);
  const out = given.get('out');
  const name = given.get('name');
  if (typeof name === 'string' && !/^[\w.-]+$/.test(name)) throw new BenchUsageError(`--name must be a plain file name (letters, digits, . _ -), got "${name}"`);
  return {
    records,
    // At least the envelope's 291 bytes (bench-records.ts says so if not).
    recordSize: integer('record-size', 512, 1),
    onePerSendRecords: integer('one-per-send-records', Math.max(50, Math.round(records / 20)), 10),
    latencyRecords: integer('latency-records', quick ? 500 : 10_000, 10),
    batchSize: integer('batch-size', 1_000, 1),
    rounds: integer('rounds', quick ? 1 : 3, 1),
    quick,
    waitForQuiet: given.has('wait-for-quiet'),
    // A smoke run must not overwrite the committed baselines.
    outDir: typeof out === 'string' ? out : quick ? join(root, '.local', 'bench') : join(root, 'docs', 'bench'),
    name: typeof name === 'string' ? name : 'baselines',
  };
}
