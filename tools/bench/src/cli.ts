// npm run bench [-- --records 200000 --record-size 512 --quick --wait-for-quiet --out docs/bench --name baselines]
// One run, one broker, one topic layout, one record size: Apache Kafka's own perf tools, raw kafkajs,
// and our libs/messaging path (EventPublisher, ReliableKafkaServer) next to stock Nest, reported as
// ratios in docs/bench/baselines.{json,md} (--out, --name). Each phase prints progress and has a timeout; the broker
// this run started is stopped at the end, on failure and on Ctrl-C.
import { Logger } from '@nestjs/common';
import { kafkaVersion, resolveClasspath } from '@platform/kafka-local';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchCluster, openBenchCluster } from './bench-cluster';
import { BenchOptions, BenchUsageError, parseBenchOptions } from './bench-options';
import { benchValue } from './bench-records';
import {
  CONSUMER_PERFORMANCE,
  consumerPerformanceArgs,
  END_TO_END_LATENCY,
  endToEndLatencyArgs,
  killRunningTools,
  parseConsumerPerformance,
  parseEndToEndLatency,
  parseProducerPerformance,
  PRODUCER_PERFORMANCE,
  producerPerformanceArgs,
  runKafkaTool,
} from './kafka-tools';
import { kafkajsConsumer, kafkajsProducerBatched, kafkajsProducerOnePerSend } from './kafkajs-baselines';
import { enableServiceTracing, messagingProducer, nestConsumer } from './messaging-baselines';
import { formatDuration, PhaseContext, PhaseRunner } from './phase';
import { BenchReport, computeRatios, currentLoad, Figures, figuresTable, machineInfo, PhaseRecord, QUIET_LOAD, ratiosTable, writeReport } from './report';
import { medianRound, Throughput } from './throughput';

const ROOT = resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stdout.write(`bench: ${line}\n`);

const NOTES = [
  "ProducerPerformance writes its own random, unkeyed payload; kafkajs and libs/messaging write keyed records (1,000 keys in turn) with a JSON envelope value of the same size. Every consumer reads a topic seeded with the JSON records (ProducerPerformance --payload-file).",
  'Consumer throughput runs from the moment the consumer has joined its group (kafkajs run() / Nest listen() returned) to the last record: the join is left out (shown as "connect + join"), as ConsumerPerformance\'s fetch rate leaves out its rebalance time.',
  'All consumers run with partitionsConsumedConcurrently 3, as kafkaConsumerOptions sets it. Producers are idempotent with acks=-1; every call is one request per leader broker carrying all of its partitions (kafkajs keeps one request in flight per broker for an idempotent producer), EventPublisher adding its check that every partition was answered.',
  'All Node clients share one process, one phase at a time; Kafka\'s tools run as separate JVMs with -Xmx512m.',
  'libs/messaging\'s fix of kafkajs\'s idle request-queue timer (kafkajs-idle-timer-fix.ts) is in place for every client of the process, the raw kafkajs ones included.',
];

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), ROOT);
  if (options.waitForQuiet) await waitForQuiet();
  // Nest's "starting / mapped {topic}" lines would bury the progress lines.
  Logger.overrideLogger(['error', 'warn']);
  const started = Date.now();
  const loadAtStart = currentLoad();
  log(`${options.records.toLocaleString('en')} records of ${options.recordSize} B (${options.onePerSendRecords.toLocaleString('en')} one per send, ${options.latencyRecords.toLocaleString('en')} for latency); load average ${loadAtStart.join(' ')}`);

  const runner = new PhaseRunner(log);
  const phases: PhaseRecord[] = [];
  const figures: Figures = {};
  const classpath = await resolveClasspath((line) => log(`kafka-local: ${line}`));

  let cluster: BenchCluster | undefined;
  const interrupt = (signal: string) => {
    log(`${signal}: stopping the phase and the broker`);
    runner.abortAll(`interrupted by ${signal}`);
    killRunningTools();
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));

  const measure = async <T>(name: string, timeoutMs: number, total: number | undefined, work: (phase: PhaseContext) => Promise<T>, describe: (result: T) => string): Promise<T | undefined> => {
    if (runner.aborted) return undefined;
    const phaseStarted = Date.now();
    const record = (error?: string) => phases.push({ name, seconds: Math.round((Date.now() - phaseStarted) / 100) / 10, load1: currentLoad()[0], ...(error ? { error } : {}) });
    try {
      const result = await runner.run(name, { timeoutMs, total }, work, describe);
      record();
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`[${runner.elapsed()}] ${name}: FAILED: ${message}`);
      record(message);
      return undefined;
    }
  };

  const payloadDir = mkdtempSync(join(tmpdir(), 'bench-payload-'));
  try {
    cluster = await runner.run('broker', { timeoutMs: 180_000 }, () => openBenchCluster(log), (c) => `ready: ${c.description}`);
    await runPhases(options, cluster, classpath, figures, measure, writePayloadFile(payloadDir, options.recordSize));
  } finally {
    await cluster?.stop();
    rmSync(payloadDir, { recursive: true, force: true });
  }

  const report: BenchReport = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date(started).toISOString(),
    broker: cluster.description,
    options: { records: options.records, recordSize: options.recordSize, onePerSendRecords: options.onePerSendRecords, latencyRecords: options.latencyRecords, batchSize: options.batchSize, rounds: options.rounds, quick: options.quick, waitForQuiet: options.waitForQuiet },
    machine: machineInfo(kafkaVersion()),
    load: { atStart: loadAtStart, atEnd: currentLoad(), maxPhaseLoad1: Math.max(loadAtStart[0], ...phases.map((p) => p.load1)), quiet: false },
    minutes: Math.round((Date.now() - started) / 600) / 100,
    figures,
    ratios: computeRatios(figures),
    phases,
  };
  report.load.quiet = report.load.maxPhaseLoad1 <= QUIET_LOAD;
  console.log(`\n${ratiosTable(report)}\n\n${figuresTable(report)}\n`);
  const written = writeReport(report, options.outDir, options.name, NOTES);
  log(`written ${written.json} and ${written.markdown} in ${formatDuration(Date.now() - started)}${report.load.quiet ? '' : ` (machine busy: load up to ${report.load.maxPhaseLoad1})`}`);
  const failed = phases.filter((p) => p.error).length;
  // A timed-out client may still be disconnecting in the background: do not wait for it.
  process.exit(failed ? 1 : 0);
}

type Measure = <T>(name: string, timeoutMs: number, total: number | undefined, work: (phase: PhaseContext) => Promise<T>, describe: (result: T) => string) => Promise<T | undefined>;

async function runPhases(options: BenchOptions, cluster: BenchCluster, classpath: string, figures: Figures, measure: Measure, payloadFile: string): Promise<void> {
  const { records, recordSize, batchSize } = options;
  const brokers = cluster.brokers;
  const bootstrap = brokers.join(',');
  // Generous bounds: a phase slower than 1,000 records/s (100 round trips/s) is stuck, not slow.
  const throughputTimeout = (n: number) => 60_000 + n;
  const roundTripTimeout = (n: number) => 60_000 + n * 10;
  const rate = (t: Throughput) => `${Math.round(t.recordsPerSec).toLocaleString('en')} records/s, ${t.mbPerSec} MB/s${t.startupMs !== undefined ? ` (connect + join ${t.startupMs} ms)` : ''}`;

  /** A fresh topic for one measurement, deleted afterwards (keeps the broker's disk and page cache to what is measured). */
  const onTopic = async <T>(purpose: string, work: (topic: string) => Promise<T>): Promise<T> => {
    const topic = await cluster.createTopic(purpose);
    try {
      return await work(topic);
    } finally {
      await cluster.deleteTopic(topic).catch(() => undefined);
    }
  };
  /** A fresh topic holding `records` JSON records, written by ProducerPerformance, for a consumer to read. */
  const seed = async (topic: string, phase: PhaseContext): Promise<void> => {
    phase.log(`seeding ${records.toLocaleString('en')} records with ProducerPerformance`);
    const out = await runTool(PRODUCER_PERFORMANCE, producerPerformanceArgs({ bootstrap, topic, records, payloadFile }), phase, throughputTimeout(records));
    phase.log(`seeded: ${Math.round(parseProducerPerformance(out).recordsPerSec).toLocaleString('en')} records/s`);
  };
  const seeded = async <T>(purpose: string, phase: PhaseContext, work: (topic: string) => Promise<T>): Promise<T> =>
    onTopic(purpose, async (topic) => {
      await seed(topic, phase);
      return work(topic);
    });
  const runTool = (mainClass: string, args: string[], phase: PhaseContext, timeoutMs: number) =>
    runKafkaTool(mainClass, args, { classpath, timeoutMs, signal: phase.signal, onLine: (line) => phase.log(`| ${line}`) });

  // Not measured: the first thousands of records through kafkajs run cold (JIT, connections); without
  // this, whichever Node phase comes first pays for it.
  const warmUp = Math.max(1_000, Math.min(20_000, Math.round(records / 10)));
  await measure('warm-up (not measured)', throughputTimeout(warmUp) * 2, warmUp, (phase) =>
    onTopic('warm-up', async (topic) => {
      await kafkajsProducerBatched({ brokers, topic, records: warmUp, recordSize, batchSize }, phase);
      return kafkajsConsumer({ brokers, topic, records: warmUp, recordSize, mode: 'eachMessage' }, phase);
    }), () => `${warmUp.toLocaleString('en')} records written and read with kafkajs`);

  // Producers, Kafka's first, then ours, close together in time.
  figures.producerPerformance = await measure('Kafka ProducerPerformance', throughputTimeout(records), records, (phase) =>
    onTopic('producer-performance', async (topic) => parseProducerPerformance(await runTool(PRODUCER_PERFORMANCE, producerPerformanceArgs({ bootstrap, topic, records, recordSize }), phase, throughputTimeout(records)))),
    (r) => `${Math.round(r.recordsPerSec).toLocaleString('en')} records/s, ${r.mbPerSec} MB/s, p99 ${r.p99Ms} ms`,
  );
  [figures.kafkajsProducerBatched, figures.messagingProducer, figures.producerRoundRatios] = await inAlternatingRounds(
    options.rounds,
    (round) => measure(`kafkajs sendBatch producer${round}`, throughputTimeout(records), records, (phase) =>
      onTopic('kafkajs-batched', (topic) => kafkajsProducerBatched({ brokers, topic, records, recordSize, batchSize }, phase)), rate),
    (round) => measure(`libs/messaging EventPublisher${round}`, throughputTimeout(records), records, (phase) =>
      onTopic('messaging-producer', (topic) => messagingProducer({ brokers, topic, records, recordSize, batchSize }, phase)), rate),
  );
  const onePerSend = options.onePerSendRecords;
  figures.kafkajsProducerOnePerSend = await measure('kafkajs producer, one per send', roundTripTimeout(onePerSend), onePerSend, (phase) =>
    onTopic('kafkajs-one-per-send', (topic) => kafkajsProducerOnePerSend({ brokers, topic, records: onePerSend, recordSize }, phase)),
    (t) => `${rate(t)}, ${t.avgSendMs?.toFixed(2)} ms per send`,
  );

  // Consumers: each reads a freshly seeded topic from the beginning as a new group (the seeding is not timed).
  const seedAndRead = throughputTimeout(records) * 2;
  figures.consumerPerformance = await measure('Kafka ConsumerPerformance', seedAndRead, records, (phase) =>
    seeded('consumer-performance', phase, async (topic) =>
      parseConsumerPerformance(await runTool(CONSUMER_PERFORMANCE, consumerPerformanceArgs({ bootstrap, topic, records, group: `bench-consumer-performance-${topic}` }), phase, throughputTimeout(records)))),
    (r) => `fetch ${Math.round(r.fetchRecordsPerSec).toLocaleString('en')} records/s, ${r.fetchMbPerSec} MB/s (join ${r.rebalanceMs} ms)`,
  );
  figures.kafkajsConsumerEachMessage = await measure('kafkajs eachMessage consumer', seedAndRead, records, (phase) =>
    seeded('kafkajs-each-message', phase, (topic) => kafkajsConsumer({ brokers, topic, records, recordSize, mode: 'eachMessage' }, phase)), rate);
  figures.stockNestConsumer = await measure('stock Nest ServerKafka consumer', seedAndRead, records, (phase) =>
    seeded('stock-nest', phase, (topic) => nestConsumer({ brokers, topic, records, recordSize, kind: 'stock' }, phase)), rate);
  figures.reliableConsumerNoTracer = await measure('ReliableKafkaServer consumer, no tracer', seedAndRead, records, (phase) =>
    seeded('reliable-no-tracer', phase, (topic) => nestConsumer({ brokers, topic, records, recordSize, kind: 'reliable' }, phase)), rate);
  // From here on the process has the tracer every service has after initTracing without an exporter.
  enableServiceTracing();
  figures.reliableConsumer = await measure('ReliableKafkaServer consumer, as services run it', seedAndRead, records, (phase) =>
    seeded('reliable', phase, (topic) => nestConsumer({ brokers, topic, records, recordSize, kind: 'reliable' }, phase)), rate);
  // The batch pair reads one topic per round, seeded once: each with its own group, from the beginning.
  // (Raw kafkajs is untouched by the tracer enabled above.)
  // Created inside the seeding phase: a topic that cannot be made is that phase's failure, reported,
  // and the rest of the run goes on.
  const onSeededTopic = (round: string) => async (work: (topic: string) => Promise<void>): Promise<void> => {
    let created: string | undefined;
    const ready = await measure(`seeding for the batch consumers${round}`, throughputTimeout(records), records, async (phase) => {
      created = await cluster.createTopic('batch-consumers');
      await seed(created, phase);
      return created;
    }, (topic) => `${topic} ready`);
    try {
      if (ready !== undefined) await work(ready);
    } finally {
      if (created !== undefined) await cluster.deleteTopic(created).catch(() => undefined);
    }
  };
  [figures.kafkajsConsumerEachBatch, figures.reliableBatchConsumer, figures.batchConsumerRoundRatios] = await inAlternatingRounds(
    options.rounds,
    (round, topic) => measure(`kafkajs eachBatch consumer${round}`, throughputTimeout(records), records, (phase) =>
      kafkajsConsumer({ brokers, topic, records, recordSize, mode: 'eachBatch' }, phase), rate),
    (round, topic) => measure(`ReliableKafkaServer batch handler (withBatchDelivery), as services run it${round}`, throughputTimeout(records), records, (phase) =>
      nestConsumer({ brokers, topic, records, recordSize, kind: 'reliable-batch' }, phase), rate),
    onSeededTopic,
  );

  const latency = options.latencyRecords;
  figures.endToEndLatency = await measure('Kafka EndToEndLatency', roundTripTimeout(latency), undefined, (phase) =>
    onTopic('end-to-end-latency', async (topic) => parseEndToEndLatency(await runTool(END_TO_END_LATENCY, endToEndLatencyArgs({ bootstrap, topic, records: latency, recordSize }), phase, roundTripTimeout(latency)))),
    (r) => `avg ${r.avgMs} ms, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, p99.9 ${r.p999Ms} ms`,
  );
}

/**
 * The two sides of a target's ratio (raw kafkajs, then ours) in `rounds` rounds, ours first in every
 * second round, so drift in the machine's speed falls on both alike. Returns each side's median round
 * and the ratio (ours ÷ raw) of every round both sides finished: the target's ratio is their median.
 * Measured once, a second or less per side, the batch consumers' ratio came out 0.88 in one run and
 * 1.48 in another on the same day. `around` gives a round what both sides share (a seeded topic); each
 * side is told its round as a label (" (round 2/3)", empty with one round).
 */
async function inAlternatingRounds<S>(
  rounds: number,
  raw: (round: string, shared: S) => Promise<Throughput | undefined>,
  ours: (round: string, shared: S) => Promise<Throughput | undefined>,
  around: (round: string) => (work: (shared: S) => Promise<void>) => Promise<unknown> = () => (work) => work(undefined as S),
): Promise<[Throughput | undefined, Throughput | undefined, number[]]> {
  const rawRounds: Throughput[] = [];
  const ourRounds: Throughput[] = [];
  const ratios: number[] = [];
  for (let index = 1; index <= rounds; index++) {
    const round = rounds > 1 ? ` (round ${index}/${rounds})` : '';
    let rawResult: Throughput | undefined;
    let ourResult: Throughput | undefined;
    const sides = [
      async (shared: S) => void (rawResult = await raw(round, shared)),
      async (shared: S) => void (ourResult = await ours(round, shared)),
    ];
    if (index % 2 === 0) sides.reverse();
    await around(round)(async (shared) => {
      for (const side of sides) await side(shared);
    });
    if (rawResult) rawRounds.push(rawResult);
    if (ourResult) ourRounds.push(ourResult);
    if (rawResult && ourResult) ratios.push(ourResult.recordsPerSec / rawResult.recordsPerSec);
  }
  return [medianRound(rawRounds, rounds), medianRound(ourRounds, rounds), ratios];
}

/** ProducerPerformance --payload-file: one payload per line, so every seeded record is our JSON value. */
function writePayloadFile(dir: string, recordSize: number): string {
  const file = join(dir, 'payload.json');
  writeFileSync(file, benchValue(recordSize));
  return file;
}

async function waitForQuiet(): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const [load1] = currentLoad();
    if (load1 <= QUIET_LOAD) return;
    if (Date.now() >= deadline) {
      log(`load average still ${load1} after 15 min; running anyway (the report says the machine was busy)`);
      return;
    }
    log(`load average ${load1} > ${QUIET_LOAD}: waiting for a quieter machine (checking every 30 s, up to 15 min)`);
    await new Promise((done) => setTimeout(done, 30_000));
  }
}

main().catch((error: Error) => {
  console.error(error instanceof BenchUsageError ? error.message : `bench: ${error.stack ?? error.message}`);
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});
