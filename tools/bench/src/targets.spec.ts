// The verdicts of bench:targets from the runs' files: each target met or missed for the right reason.
import { Throughput } from './throughput';
import { evaluateTargets, StepResult, TargetInputs, targetsTable } from './targets';

const rate = (recordsPerSec: number): Throughput => ({ records: 1, seconds: 1, recordsPerSec, mbPerSec: 0 });

function step(offered: number, overrides: Partial<StepResult> = {}): StepResult {
  const orders = offered * 60;
  return { offered, orders, completed: orders, completedPerSecond: offered, p99Ms: 40, drainSeconds: 0.05, errors: 0, ...overrides };
}

function inputs(overrides: { events?: StepResult[]; http?: StepResult[]; figures?: TargetInputs['baselines']['figures'] } = {}): TargetInputs {
  return {
    baselines: {
      figures: overrides.figures ?? {
        kafkajsProducerBatched: rate(40_000),
        messagingProducer: rate(50_000),
        kafkajsConsumerEachBatch: rate(270_000),
        reliableBatchConsumer: rate(300_000),
        kafkajsConsumerEachMessage: rate(170_000),
        reliableConsumer: rate(40_000),
        stockNestConsumer: rate(45_000),
      },
    },
    events: { rows: overrides.events ?? [step(1000), step(5000)] },
    http: { rows: overrides.http ?? [step(1000, { p99Ms: 112, fromReceiptMs: { p99: 83 } })] },
  };
}

describe('evaluateTargets', () => {
  it('judges a ratio measured in rounds by the median of the rounds\' own ratios, not by the two medians', () => {
    const figures = { ...inputs().baselines.figures, producerRoundRatios: [0.94, 0.83, 0.95], batchConsumerRoundRatios: [0.8, 0.85, 1.2] };
    const rows = evaluateTargets(inputs({ figures }));
    expect(rows[0]).toMatchObject({ measured: '0.94', met: true });
    expect(rows[1]).toMatchObject({ measured: '0.85', met: false });
  });

  it('judges each target from its own figure', () => {
    const rows = evaluateTargets(inputs());

    expect(rows.map((row) => row.met)).toEqual([true, true, false, true, true, false]);
    expect(rows[0].measured).toBe('1.25');
    expect(rows[2].measured).toBe('0.24 (stock Nest transport: 0.26)');
    expect(rows[3].measured).toContain('every order completed');
    // Through HTTP the definition counts: from order-service's receipt, not the scheduled send.
    expect(rows[5].measured).toBe('p99 83 ms');
  });

  it('does not count a rate as sustained when an order is missing, a send failed or the backlog grew', () => {
    for (const broken of [{ completed: 299_999 }, { errors: 1 }, { drainSeconds: 3.2 }]) {
      const [, , , sustained] = evaluateTargets(inputs({ events: [step(1000), step(5000, broken)] }));
      expect(sustained.met).toBe(false);
    }
  });

  it('misses a latency target whose p99 is in bound if the pipeline did not keep up', () => {
    const rows = evaluateTargets(inputs({ events: [step(1000, { p99Ms: 30, drainSeconds: 4 })] }));

    expect(rows[4]).toMatchObject({ met: false });
    expect(rows[4].measured).toContain('did not keep up');
  });

  it('says what was not measured instead of passing it', () => {
    const rows = evaluateTargets(inputs({ figures: {}, events: [step(1000)], http: [] }));

    expect(rows[0]).toEqual(expect.objectContaining({ measured: 'not measured (a phase failed)', met: false }));
    expect(rows[3]).toEqual(expect.objectContaining({ measured: 'not run (bench:steps stopped below this rate)', met: false }));
    expect(rows[5]).toEqual(expect.objectContaining({ measured: 'not measured', met: false }));
    expect(targetsTable(rows).split('\n')).toHaveLength(2 + rows.length);
  });
});
