// The parsers against output captured from Apache Kafka 4.4.0's tools on a local broker
// (src/fixtures; how each was produced is in tools/bench/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  consumerPerformanceArgs,
  endToEndLatencyArgs,
  KafkaToolError,
  parseConsumerPerformance,
  parseEndToEndLatency,
  parseProducerPerformance,
  producerPerformanceArgs,
} from './kafka-tools';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseProducerPerformance', () => {
  it('reads the summary line', () => {
    expect(parseProducerPerformance(fixture('producer-performance.txt'))).toEqual({
      records: 50000,
      recordsPerSec: 15532.774153,
      mbPerSec: 7.58,
      avgLatencyMs: 1547.62,
      maxLatencyMs: 2143,
      p50Ms: 1691,
      p95Ms: 2098,
      p99Ms: 2120,
      p999Ms: 2142,
    });
  });

  it('skips the interim lines printed every reporting interval', () => {
    const result = parseProducerPerformance(fixture('producer-performance-interim.txt'));
    expect(result.records).toBe(100000);
    expect(result.recordsPerSec).toBe(33613.445378);
    expect(result.p99Ms).toBe(1099);
  });

  it('says what it saw when there is no summary', () => {
    const interimOnly = fixture('producer-performance-interim.txt').split('\n').slice(0, 2).join('\n');
    expect(() => parseProducerPerformance(interimOnly)).toThrow(KafkaToolError);
    expect(() => parseProducerPerformance(interimOnly)).toThrow(/no ProducerPerformance summary line.*21576 records sent/);
  });
});

describe('parseConsumerPerformance', () => {
  it('reads the values by their column names', () => {
    expect(parseConsumerPerformance(fixture('consumer-performance.txt'))).toEqual({
      records: 200000,
      mb: 97.6563,
      recordsPerSec: 95238.0952,
      mbPerSec: 46.503,
      rebalanceMs: 1102,
      fetchMs: 998,
      fetchRecordsPerSec: 200400.8016,
      fetchMbPerSec: 97.852,
    });
  });

  it('reads the values after the WARNING a timeout prints (zero records)', () => {
    const result = parseConsumerPerformance(fixture('consumer-performance-timeout.txt'));
    expect(result.records).toBe(0);
    expect(result.fetchMs).toBe(2740);
  });

  it('fails on output without the header', () => {
    expect(() => parseConsumerPerformance('Exception in thread "main" org.apache.kafka.common.KafkaException')).toThrow(/no ConsumerPerformance header/);
  });
});

describe('parseEndToEndLatency', () => {
  it('reads the average and the percentiles', () => {
    expect(parseEndToEndLatency(fixture('end-to-end-latency.txt'))).toEqual({ avgMs: 1.7867, p50Ms: 0, p99Ms: 15, p999Ms: 46 });
  });

  it('fails when the run ended before its summary', () => {
    expect(() => parseEndToEndLatency('0\t140.553702\n1000\t1.879254')).toThrow(/no EndToEndLatency summary.*1000/);
  });
});

describe('tool arguments (Kafka 4.4 named options)', () => {
  it('asks ProducerPerformance for acks=all, unthrottled', () => {
    const args = producerPerformanceArgs({ bootstrap: 'localhost:9092', topic: 't', records: 10, recordSize: 512 });
    expect(args.join(' ')).toBe('--topic t --num-records 10 --record-size 512 --throughput -1 --bootstrap-server localhost:9092 --command-property acks=all --reporting-interval 5000');
    expect(producerPerformanceArgs({ bootstrap: 'b:1', topic: 't', records: 10, payloadFile: '/tmp/p' })).toEqual(expect.arrayContaining(['--payload-file', '/tmp/p']));
  });

  it('uses --num-records, not the deprecated --messages or positional forms', () => {
    expect(consumerPerformanceArgs({ bootstrap: 'b:1', topic: 't', records: 5, group: 'g' })).toContain('--num-records');
    expect(endToEndLatencyArgs({ bootstrap: 'b:1', topic: 't', records: 5, recordSize: 512 }).join(' ')).toBe(
      '--bootstrap-server b:1 --topic t --num-records 5 --producer-acks all --record-size 512',
    );
  });
});
