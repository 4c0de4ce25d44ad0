// The benchmark targets of the platform (2-core machine), judged from the files the runs write: the
// baselines of `npm run bench` and two `npm run bench:steps` runs. Pure: reads parsed JSON, returns
// one row per target, so the verdicts are tested without a broker.
import { Figures, paired } from './report';

export const TARGETS = {
  producerRatio: 0.9,
  consumerRatio: 0.9,
  sustainedRate: 5_000,
  latencyRate: 1_000,
  p99Ms: 50,
} as const;

/** The fields of a bench:steps step this reads (tools/loadtest/src/steps.ts writes them). */
export interface StepResult {
  offered: number;
  orders: number;
  completed: number;
  completedPerSecond: number;
  p99Ms: number;
  fromReceiptMs?: { p99: number };
  drainSeconds: number;
  errors: number;
}

/** A bench:steps file: its steps, and the ProducerPerformance ceiling measured before them. */
export interface StepsFile {
  rows: StepResult[];
  ceiling?: { before?: { recordsPerSecond?: number } };
}

export interface TargetInputs {
  baselines: { figures: Figures };
  events: StepsFile;
  http: StepsFile;
}

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean;
}

/** The backlog left at the last send must be gone within this: the pipeline kept up (as bench:steps). */
const MAX_DRAIN_SECONDS = 1;

export function evaluateTargets({ baselines, events, http }: TargetInputs): TargetRow[] {
  const f = baselines.figures;
  const ratio = (ours?: { recordsPerSec: number }, raw?: { recordsPerSec: number }) => (ours && raw && raw.recordsPerSec > 0 ? ours.recordsPerSec / raw.recordsPerSec : undefined);
  // Measured in rounds: the median of the rounds' own ratios, as the baselines report gives it.
  const producer = paired(f.producerRoundRatios, f.messagingProducer?.recordsPerSec, f.kafkajsProducerBatched?.recordsPerSec);
  const batchConsumer = paired(f.batchConsumerRoundRatios, f.reliableBatchConsumer?.recordsPerSec, f.kafkajsConsumerEachBatch?.recordsPerSec);
  const oneByOne = ratio(f.reliableConsumer, f.kafkajsConsumerEachMessage);
  const stockNest = ratio(f.stockNestConsumer, f.kafkajsConsumerEachMessage);
  const sustained = stepAt(events.rows, TARGETS.sustainedRate);
  const eventsLatency = stepAt(events.rows, TARGETS.latencyRate);
  const httpLatency = stepAt(http.rows, TARGETS.latencyRate);
  const receiptP99 = httpLatency?.fromReceiptMs?.p99;
  return [
    ratioRow(`libs/messaging producer ≥ ${TARGETS.producerRatio} × raw kafkajs (EventPublisher ÷ sendBatch)`, producer, TARGETS.producerRatio),
    ratioRow(`libs/messaging consumer ≥ ${TARGETS.consumerRatio} × raw kafkajs: batch handlers, as every service uses (÷ eachBatch)`, batchConsumer, TARGETS.consumerRatio),
    ratioRow(
      `libs/messaging consumer ≥ ${TARGETS.consumerRatio} × raw kafkajs: one message at a time through Nest (÷ eachMessage)`,
      oneByOne,
      TARGETS.consumerRatio,
      stockNest === undefined ? '' : ` (stock Nest transport: ${stockNest.toFixed(2)})`,
    ),
    {
      target: `pipeline sustains ≥ ${TARGETS.sustainedRate.toLocaleString('en')} orders/s with zero loss (events mode)`,
      measured: sustained ? describeSustained(sustained) : 'not run (bench:steps stopped below this rate)',
      met: sustained !== undefined && keptUp(sustained),
    },
    latencyRow(`end-to-end p99 ≤ ${TARGETS.p99Ms} ms at ${TARGETS.latencyRate.toLocaleString('en')} orders/s, events mode (from the scheduled send)`, eventsLatency, eventsLatency?.p99Ms),
    latencyRow(`end-to-end p99 ≤ ${TARGETS.p99Ms} ms at ${TARGETS.latencyRate.toLocaleString('en')} orders/s through HTTP (from order-service's receipt)`, httpLatency, receiptP99),
  ];
}

function stepAt(rows: StepResult[], rate: number): StepResult | undefined {
  return rows.find((row) => row.offered === rate);
}

/** Every order completed, no send failed, and the backlog at the last send drained at once. */
function keptUp(step: StepResult): boolean {
  return step.completed === step.orders && step.errors === 0 && step.drainSeconds <= MAX_DRAIN_SECONDS;
}

function describeSustained(step: StepResult): string {
  const lost = step.orders - step.completed;
  return `${step.completedPerSecond.toLocaleString('en')}/s completed of ${step.offered.toLocaleString('en')}/s offered; ${lost === 0 ? 'every order completed' : `${lost} not completed`}; ${step.errors} send errors; backlog drained in ${step.drainSeconds} s`;
}

function ratioRow(target: string, value: number | undefined, bound: number, note = ''): TargetRow {
  return { target, measured: value === undefined ? 'not measured (a phase failed)' : `${value.toFixed(2)}${note}`, met: value !== undefined && value >= bound };
}

function latencyRow(target: string, step: StepResult | undefined, p99Ms: number | undefined): TargetRow {
  if (!step || p99Ms === undefined) return { target, measured: 'not measured', met: false };
  const kept = keptUp(step) ? '' : ` (and the pipeline did not keep up: ${describeSustained(step)})`;
  return { target, measured: `p99 ${p99Ms} ms${kept}`, met: p99Ms <= TARGETS.p99Ms && keptUp(step) };
}

export function targetsTable(rows: TargetRow[]): string {
  return [
    '| target | measured | |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.target} | ${row.measured} | ${row.met ? '✔' : '✘'} |`),
  ].join('\n');
}
