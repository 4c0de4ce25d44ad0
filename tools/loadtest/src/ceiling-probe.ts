// The ceiling of this machine at the time of a stepped run: Apache Kafka's own ProducerPerformance on
// the run's broker, just before the warm-up and again after the last step. The box's speed moves by up
// to 2× during a day (docs/benchmarks.md), so a rate is only comparable with the ceiling measured next
// to it: the report divides the best passing rate by it, the "pipeline ÷ ProducerPerformance".
import { parseProducerPerformance, PRODUCER_PERFORMANCE, producerPerformanceArgs, runKafkaTool } from '@platform/kafka-tools';
import { resolveClasspath } from '@platform/kafka-local';
import { createKafkaClient } from '@platform/messaging';
import { LoadSystem } from './loadtest-system';

/** As `npm run bench` measures it: 512-byte records, acks=all, all partitions of a fresh topic. */
const RECORDS = 100_000;
const RECORD_SIZE = 512;
const TIMEOUT_MS = 120_000;

export type CeilingProbe = { recordsPerSecond: number } | { error: string };

export async function probeProducerCeiling(system: LoadSystem, partitions: number, log: (line: string) => void): Promise<CeilingProbe> {
  const topic = `bench.loadtest.ceiling-${Date.now()}`;
  const admin = createKafkaClient({ clientId: 'loadtest-ceiling', brokers: system.brokers }).admin();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    const classpath = await resolveClasspath((line) => log(`kafka-local: ${line}`));
    const output = await runKafkaTool(PRODUCER_PERFORMANCE, producerPerformanceArgs({ bootstrap: system.brokers[0], topic, records: RECORDS, recordSize: RECORD_SIZE }), { classpath, timeoutMs: TIMEOUT_MS });
    return { recordsPerSecond: Math.round(parseProducerPerformance(output).recordsPerSec) };
  } catch (error) {
    // No Java on PATH, or a shared cluster that refuses new topics: the steps still run, the report says why.
    return { error: (error as Error).message.split('\n')[0] };
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

export function describeCeiling(probe: CeilingProbe | undefined): string {
  if (!probe) return 'not measured';
  return 'error' in probe ? `not measured (${probe.error})` : `${probe.recordsPerSecond.toLocaleString('en')} records/s`;
}
