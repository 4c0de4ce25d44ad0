// The figures of one run, the ratios that matter (our path against raw kafkajs, kafkajs against
// Kafka's own tools), the machine they were measured on, and their two renderings:
// docs/bench/baselines.json (everything) and docs/bench/baselines.md (the same as tables), or --name's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchOptions } from './bench-options';
import { ConsumerPerformanceResult, EndToEndLatencyResult, ProducerPerformanceResult } from './kafka-tools';
import { median, round, Throughput } from './throughput';

/** Above this 1-minute load average on the machine, the figures were measured next to other work. */
export const QUIET_LOAD = 2.5;

export interface Figures {
  producerPerformance?: ProducerPerformanceResult;
  consumerPerformance?: ConsumerPerformanceResult;
  endToEndLatency?: EndToEndLatencyResult;
  kafkajsProducerOnePerSend?: Throughput;
  kafkajsProducerBatched?: Throughput;
  kafkajsConsumerEachMessage?: Throughput;
  kafkajsConsumerEachBatch?: Throughput;
  messagingProducer?: Throughput;
  stockNestConsumer?: Throughput;
  reliableConsumerNoTracer?: Throughput;
  reliableConsumer?: Throughput;
  reliableBatchConsumer?: Throughput;
  /** Ours ÷ raw in each round both finished (EventPublisher ÷ sendBatch): the ratio is their median. */
  producerRoundRatios?: number[];
  /** The same for our batch handler ÷ raw eachBatch. */
  batchConsumerRoundRatios?: number[];
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  java: string;
  kafka: string;
  kafkajs: string;
  nestMicroservices: string;
}

export interface PhaseRecord {
  name: string;
  seconds: number;
  /** 1-minute load average when the phase ended. */
  load1: number;
  error?: string;
}

export interface Ratio {
  name: string;
  value?: number;
  /** What was divided by what, and how to read it. */
  meaning: string;
}

export interface BenchReport {
  command: string;
  date: string;
  broker: string;
  options: Omit<BenchOptions, 'outDir' | 'name'>;
  machine: Machine;
  load: { atStart: number[]; atEnd: number[]; maxPhaseLoad1: number; quiet: boolean };
  minutes: number;
  figures: Figures;
  ratios: Ratio[];
  phases: PhaseRecord[];
}

const per = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? round(a / b, 3) : undefined);

/** Measured in rounds: the median of the rounds' ratios (each pair ran side by side); else first ÷ second. */
export function paired(ratios: number[] | undefined, a: number | undefined, b: number | undefined): number | undefined {
  const middle = median(ratios ?? []);
  return middle === undefined ? per(a, b) : round(middle, 3);
}

/** "; median of the rounds' ratios 1.01 / 0.80 / 0.67" when measured in rounds. */
function roundsNote(ratios: number[] | undefined): string {
  return ratios && ratios.length > 1 ? `; median of the rounds' ratios ${ratios.map((ratio) => ratio.toFixed(2)).join(' / ')}` : '';
}

export function computeRatios(f: Figures): Ratio[] {
  return [
    {
      name: 'libs/messaging producer ÷ raw kafkajs batched producer',
      value: paired(f.producerRoundRatios, f.messagingProducer?.recordsPerSec, f.kafkajsProducerBatched?.recordsPerSec),
      meaning: `EventPublisher.publishRecords vs producer.sendBatch, both 1,000 records per awaited call (records/s; 1 = as fast)${roundsNote(f.producerRoundRatios)}`,
    },
    {
      name: 'ReliableKafkaServer consumer ÷ raw kafkajs eachMessage',
      value: per(f.reliableConsumer?.recordsPerSec, f.kafkajsConsumerEachMessage?.recordsPerSec),
      meaning: 'our Nest transport as services run it (tracer without exporter: a span of ids per message, not recorded) vs a bare eachMessage counter',
    },
    {
      name: 'ReliableKafkaServer batch handler ÷ raw kafkajs eachBatch',
      value: paired(f.batchConsumerRoundRatios, f.reliableBatchConsumer?.recordsPerSec, f.kafkajsConsumerEachBatch?.recordsPerSec),
      meaning: `our transport with withBatchDelivery (batches of 500; a message's span is made when the handler asks for its ids, which this no-op never does) vs a bare eachBatch counter${roundsNote(f.batchConsumerRoundRatios)}`,
    },
    {
      name: 'ReliableKafkaServer batch handler ÷ raw kafkajs eachMessage',
      value: per(f.reliableBatchConsumer?.recordsPerSec, f.kafkajsConsumerEachMessage?.recordsPerSec),
      meaning: 'the same against the per-message baseline the target names',
    },
    {
      name: 'ReliableKafkaServer (no tracer) ÷ raw kafkajs eachMessage',
      value: per(f.reliableConsumerNoTracer?.recordsPerSec, f.kafkajsConsumerEachMessage?.recordsPerSec),
      meaning: 'the same without a tracer provider (spans are no-ops): what the ids cost',
    },
    {
      name: 'stock Nest ServerKafka ÷ raw kafkajs eachMessage',
      value: per(f.stockNestConsumer?.recordsPerSec, f.kafkajsConsumerEachMessage?.recordsPerSec),
      meaning: "Nest's own Kafka transport: the cost of Nest alone",
    },
    {
      name: 'ReliableKafkaServer ÷ stock Nest ServerKafka',
      value: per(f.reliableConsumer?.recordsPerSec, f.stockNestConsumer?.recordsPerSec),
      meaning: 'the cost of our extensions (retry wrapper, span, log context, metrics) on top of Nest',
    },
    {
      name: 'raw kafkajs batched producer ÷ ProducerPerformance',
      value: per(f.kafkajsProducerBatched?.recordsPerSec, f.producerPerformance?.recordsPerSec),
      meaning: "kafkajs vs Kafka's Java producer (which batches and pipelines by itself), acks=all both",
    },
    {
      name: 'raw kafkajs one-per-send ÷ raw kafkajs batched',
      value: per(f.kafkajsProducerOnePerSend?.recordsPerSec, f.kafkajsProducerBatched?.recordsPerSec),
      meaning: 'awaiting every record (a round trip each) vs 1,000 per call',
    },
    {
      name: 'raw kafkajs eachBatch ÷ ConsumerPerformance (fetch rate)',
      value: per(f.kafkajsConsumerEachBatch?.recordsPerSec, f.consumerPerformance?.fetchRecordsPerSec),
      meaning: "kafkajs's fastest consumer vs Kafka's Java consumer, both without the group join",
    },
    {
      name: 'raw kafkajs eachMessage ÷ eachBatch',
      value: per(f.kafkajsConsumerEachMessage?.recordsPerSec, f.kafkajsConsumerEachBatch?.recordsPerSec),
      meaning: 'one handler call per record vs one per batch',
    },
  ];
}

export function machineInfo(kafkaVersion: string): Machine {
  const cpuModel = (() => {
    try {
      return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
    } catch {
      return cpus()[0]?.model ?? 'unknown';
    }
  })();
  return {
    cores: cpus().length,
    cpuModel,
    memoryGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    java: javaVersion(),
    kafka: kafkaVersion,
    kafkajs: packageVersion('kafkajs'),
    nestMicroservices: packageVersion('@nestjs/microservices'),
  };
}

function javaVersion(): string {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  // `java -version` prints to stderr; the properties give the exact runtime build.
  const result = spawnSync(java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
  return /java\.runtime\.version = (.+)/.exec(output)?.[1]?.trim() ?? (/version "([^"]+)"/.exec(output)?.[1] || 'unknown');
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function currentLoad(): number[] {
  return loadavg().map((value) => round(value, 2));
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The figures as rows: what, how many records, records/s, MB/s, and what else the tool reports. */
export function figureRows(f: Figures): string[][] {
  const rows: string[][] = [];
  const add = (what: string, records: number | undefined, perSec: number | undefined, mbPerSec: number | undefined, notes: string) =>
    rows.push([what, fmt(records), fmt(perSec), fmt(mbPerSec, 2), notes]);
  const tp = (t: Throughput | undefined, extra = '') =>
    [
      t?.rounds ? `median of ${t.rounds.length} rounds: ${t.rounds.map((value) => fmt(value)).join(' / ')} records/s` : '',
      t?.startupMs !== undefined ? `connect + join ${fmt(t.startupMs)} ms` : '',
      t?.avgSendMs !== undefined ? `${fmt(t.avgSendMs, 2)} ms per send` : '',
      extra,
    ]
      .filter(Boolean)
      .join('; ');
  const p = f.producerPerformance;
  add('Kafka ProducerPerformance (acks=all)', p?.records, p?.recordsPerSec, p?.mbPerSec, p ? `latency avg ${fmt(p.avgLatencyMs, 1)} / p50 ${p.p50Ms} / p99 ${p.p99Ms} ms (under full load)` : '');
  const c = f.consumerPerformance;
  add('Kafka ConsumerPerformance (fetch rate)', c?.records, c?.fetchRecordsPerSec, c?.fetchMbPerSec, c ? `with the join: ${fmt(c.recordsPerSec)}/s; join ${fmt(c.rebalanceMs)} ms` : '');
  const e = f.endToEndLatency;
  rows.push(['Kafka EndToEndLatency (acks=all)', '', '', '', e ? `avg ${fmt(e.avgMs, 2)} ms, p50 ${e.p50Ms} ms, p99 ${e.p99Ms} ms, p99.9 ${e.p999Ms} ms` : '—']);
  const t = (what: string, value: Throughput | undefined, extra = '') => add(what, value?.records, value?.recordsPerSec, value?.mbPerSec, tp(value, extra));
  t('kafkajs producer, one record per awaited send', f.kafkajsProducerOnePerSend);
  t('kafkajs producer, sendBatch of 1,000', f.kafkajsProducerBatched);
  t('kafkajs consumer, eachMessage', f.kafkajsConsumerEachMessage);
  t('kafkajs consumer, eachBatch', f.kafkajsConsumerEachBatch);
  t('libs/messaging EventPublisher.publishRecords, 1,000 per call', f.messagingProducer);
  t('stock Nest ServerKafka, @EventPattern', f.stockNestConsumer);
  t('ReliableKafkaServer, @EventPattern, no tracer', f.reliableConsumerNoTracer);
  t('ReliableKafkaServer, @EventPattern (as services run it)', f.reliableConsumer);
  t('ReliableKafkaServer, @EventPattern withBatchDelivery (as services run it)', f.reliableBatchConsumer);
  return rows;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

export function figuresTable(report: BenchReport): string {
  return table(['measurement', 'records', 'records/s', 'MB/s', 'notes'], figureRows(report.figures));
}

export function ratiosTable(report: BenchReport): string {
  const e = report.figures.endToEndLatency;
  return table(
    ['ratio', 'value', 'meaning'],
    [
      ...report.ratios.map((r) => [r.name, r.value === undefined ? '—' : `**${r.value.toFixed(2)}**`, r.meaning]),
      ['EndToEndLatency p99', e ? `**${e.p99Ms} ms**` : '—', 'produce (acks=all) to consume, one record at a time, Kafka\'s Java clients'],
    ],
  );
}

export function renderMarkdown(report: BenchReport, notes: string[] = []): string {
  const m = report.machine;
  const load = report.load;
  const quiet = load.quiet
    ? `The machine was quiet: 1-minute load average ${load.atStart[0]} at the start (5 and 15 minutes: ${load.atStart[1]}, ${load.atStart[2]}), at most ${load.maxPhaseLoad1} during the run.`
    : `**The machine was not quiet**: 1-minute load average ${load.atStart[0]} at the start and up to ${load.maxPhaseLoad1} during the run (other work on the ${m.cores} cores; above ${QUIET_LOAD} counts as busy). Read the absolute figures as a lower bound; the ratios were measured under the same conditions within one run.`;
  const failed = report.phases.filter((phase) => phase.error);
  return [
    '# Baselines: our Kafka path against raw kafkajs and Kafka\'s own tools',
    '',
    'Written by `npm run bench` (tools/bench; what each figure means is in tools/bench/README.md). Do not edit by hand: run it again.',
    '',
    `\`${report.command}\` · ${report.date} · ${report.minutes} min`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB; Node ${m.node}, Java ${m.java}, Apache Kafka ${m.kafka}, kafkajs ${m.kafkajs}, @nestjs/microservices ${m.nestMicroservices}.`,
    `Broker: ${report.broker}. Every measurement on a fresh topic of 3 partitions, records of ${report.options.recordSize} bytes.`,
    '',
    quiet,
    '',
    '## Ratios (throughput in records/s, first ÷ second: 1.00 = as fast, 0.50 = half as fast)',
    '',
    ratiosTable(report),
    '',
    '## Figures',
    '',
    figuresTable(report),
    '',
    '## Phases',
    '',
    table(
      ['phase', 'time', 'load (1 min) at its end', 'outcome'],
      report.phases.map((phase) => [phase.name, `${phase.seconds} s`, String(phase.load1), phase.error ? `failed: ${phase.error}` : 'ok']),
    ),
    ...(failed.length ? ['', `${failed.length} phase(s) failed; their figures are missing (—).`] : []),
    ...(notes.length ? ['', '## Notes', '', ...notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}

export function writeReport(report: BenchReport, dir: string, name: string, notes: string[] = []): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const markdown = join(dir, `${name}.md`);
  writeFileSync(json, `${JSON.stringify({ ...report, notes }, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report, notes));
  return { json, markdown };
}
