import { benchValue } from './bench-records';
import { BenchReport, computeRatios, Figures, renderMarkdown } from './report';
import { throughput } from './throughput';

const perSec = (recordsPerSec: number) => throughput(recordsPerSec, 1_000_000_000n, 512);

describe('computeRatios', () => {
  const figures: Figures = {
    kafkajsProducerBatched: perSec(40_000),
    messagingProducer: perSec(30_000),
    kafkajsConsumerEachMessage: perSec(100_000),
    reliableConsumer: perSec(20_000),
    stockNestConsumer: perSec(50_000),
  };
  const ratio = (name: string) => computeRatios(figures).find((r) => r.name.startsWith(name))?.value;

  it('divides ours by the raw baseline', () => {
    expect(ratio('libs/messaging producer')).toBe(0.75);
    expect(ratio('ReliableKafkaServer consumer')).toBe(0.2);
    expect(ratio('stock Nest')).toBe(0.5);
    expect(ratio('ReliableKafkaServer ÷ stock Nest')).toBe(0.4);
  });

  it('takes a ratio measured in rounds as the median of the rounds\' ratios, and lists them', () => {
    const inRounds: Figures = { ...figures, producerRoundRatios: [1.01, 0.8, 0.67], batchConsumerRoundRatios: [1.07, 0.96, 1.14] };
    const ratios = computeRatios(inRounds);
    const producer = ratios.find((r) => r.name.startsWith('libs/messaging producer'));
    expect(producer?.value).toBe(0.8);
    expect(producer?.meaning).toContain("median of the rounds' ratios 1.01 / 0.80 / 0.67");
    expect(ratios.find((r) => r.name === 'ReliableKafkaServer batch handler ÷ raw kafkajs eachBatch')?.value).toBe(1.07);
  });

  it('leaves a ratio out when either figure is missing', () => {
    expect(ratio('raw kafkajs batched producer ÷ ProducerPerformance')).toBeUndefined();
  });
});

describe('renderMarkdown', () => {
  it('says when the machine was not quiet, and shows missing figures as —', () => {
    const report = {
      command: 'npm run bench',
      date: '2026-01-01T00:00:00.000Z',
      broker: 'local',
      options: { records: 1, recordSize: 512, onePerSendRecords: 1, latencyRecords: 1, batchSize: 1, rounds: 1, quick: false, waitForQuiet: false },
      machine: { cores: 2, cpuModel: 'cpu', memoryGb: 4, node: 'v20', java: '17', kafka: '4.4.0', kafkajs: '2.2.4', nestMicroservices: '11' },
      load: { atStart: [3, 3, 3], atEnd: [3, 3, 3], maxPhaseLoad1: 3.2, quiet: false },
      minutes: 1,
      figures: {},
      ratios: computeRatios({}),
      phases: [{ name: 'x', seconds: 1, load1: 3.2, error: 'timed out' }],
    } satisfies BenchReport;
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('**The machine was not quiet**');
    expect(markdown).toContain('| libs/messaging producer ÷ raw kafkajs batched producer | — |');
    expect(markdown).toContain('failed: timed out');
  });
});

describe('benchValue', () => {
  it('is a JSON envelope of exactly the record size', () => {
    const value = benchValue(512);
    expect(value).toHaveLength(512);
    expect(JSON.parse(value.toString())).toMatchObject({ type: 'BenchEvent', version: 1 });
    expect(() => benchValue(100)).toThrow(/at least 291 bytes/);
  });
});
