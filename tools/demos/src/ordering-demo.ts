// npm run demo:ordering [-- --events 100000 --keys 100 --partitions 3 --restart-broker]
// Seed demo 3 on a real broker: KAFKA_BROKERS, or the local broker (started if needed).
import { checkArguments, DEFAULT_PORT, startLocalBroker, stopLocalBroker } from '@platform/kafka-local';
import { parseKafkaBrokers } from '@platform/messaging';
import { keyedIdempotent, severalProducers } from './ordering-scenarios';
import { OrderingReport } from './sequence-checker';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index > 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

let lastLine = 0;
function progress(phase: string, done: number, total: number): void {
  if (Date.now() - lastLine < 1000 && done < total) return;
  lastLine = Date.now();
  process.stderr.write(`  ${phase} ${done}/${total} (${Math.round((done / total) * 100)}%)\n`);
}

function table(title: string, report: OrderingReport, extra: string): void {
  console.log(`\n${title}`);
  console.log(`  events received ${report.received}, keys ${report.keys}`);
  console.log(`  out of order     ${report.outOfOrder}`);
  console.log(`  duplicates       ${report.duplicates}`);
  console.log(`  missing          ${report.missing}`);
  console.log(`  ${extra}`);
}

const USAGE = 'usage: npm run demo:ordering -- [--events 100000] [--keys 100] [--partitions 3] [--restart-broker]';

async function main(): Promise<void> {
  checkArguments(process.argv.slice(2), { values: ['events', 'keys', 'partitions'], flags: ['restart-broker'] }, USAGE);
  const events = option('events', 100_000);
  const keys = option('keys', 100);
  const partitions = option('partitions', 3);
  const restart = process.argv.includes('--restart-broker');
  if (restart && process.env.KAFKA_BROKERS) throw new Error('--restart-broker only works with the local broker (unset KAFKA_BROKERS)');
  const local = process.env.KAFKA_BROKERS ? undefined : await startLocalBroker({ log: (l) => console.error(`  kafka: ${l}`) });
  const brokers = local ? [local.bootstrap] : parseKafkaBrokers(process.env.KAFKA_BROKERS);
  console.log(`ordering demo on ${brokers.join(',')}`);
  try {
    await runScenarios(brokers, events, keys, partitions, restart);
  } finally {
    // Leave things as they were: a broker this demo started is stopped again.
    if (local && !local.alreadyRunning) await stopLocalBroker();
  }
}

async function runScenarios(brokers: string[], events: number, keys: number, partitions: number, restart: boolean): Promise<void> {

  const several = await severalProducers({ brokers, events: Math.min(events, 2_000), onProgress: progress });
  table(
    '1. two producers, one key, one partition (A sends 0, 2, 4…, B sends 1, 3, 5…)',
    several,
    several.outOfOrder > 0
      ? 'the partition kept the order writes landed in, not the business order: one key needs one producer'
      : 'no reordering this run; it is a race, run again (or with more --events) to see it',
  );

  const keyed = await keyedIdempotent({
    brokers,
    events,
    keys,
    partitions,
    onProgress: progress,
    midRun: restart
      ? async () => {
          console.error('  restarting the broker mid-run…');
          await stopLocalBroker();
          await startLocalBroker({ port: DEFAULT_PORT });
        }
      : undefined,
  });
  table(
    `2. one idempotent producer, keyed, ${keys} keys over ${partitions} partitions${restart ? ', broker restarted mid-run' : ''}`,
    keyed,
    keyed.outOfOrder + keyed.duplicates + keyed.missing === 0 ? 'every key in order, none lost, none duplicated' : 'VIOLATIONS (see above)',
  );
}

main().catch((error: Error) => {
  console.error(`demo:ordering: ${error.message}`);
  process.exit(1);
});
