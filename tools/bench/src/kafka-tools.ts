// Apache Kafka's own performance tools (kafka-tools jar, run with `java -cp <classpath>` as the broker
// is) and parsers of what they print. The parsers are tested against output captured from Kafka 4.4.0
// (src/fixtures/*.txt); if a Kafka upgrade changes the format, they fail with the line they could not read.
import { ChildProcess, spawn } from 'node:child_process';

export const PRODUCER_PERFORMANCE = 'org.apache.kafka.tools.ProducerPerformance';
export const CONSUMER_PERFORMANCE = 'org.apache.kafka.tools.ConsumerPerformance';
export const END_TO_END_LATENCY = 'org.apache.kafka.tools.EndToEndLatency';

export class KafkaToolError extends Error {
  override name = 'KafkaToolError';
}

export interface ProducerPerformanceResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

export interface ConsumerPerformanceResult {
  records: number;
  mb: number;
  /** Over the whole run, group join (rebalance) included. */
  recordsPerSec: number;
  mbPerSec: number;
  rebalanceMs: number;
  /** Fetching only: the run minus the join. Comparable to "first record to last" of our consumers. */
  fetchMs: number;
  fetchRecordsPerSec: number;
  fetchMbPerSec: number;
}

export interface EndToEndLatencyResult {
  avgMs: number;
  /** EndToEndLatency prints percentiles as whole milliseconds, truncated. */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
}

const number = '([\\d.]+)';

/**
 * The final summary line of ProducerPerformance, e.g.
 * `50000 records sent, 15532.774153 records/sec (7.58 MB/sec), 1547.62 ms avg latency, 2143.00 ms max latency,
 * 1691 ms 50th, 2098 ms 95th, 2120 ms 99th, 2142 ms 99.9th.` Interim lines (every reporting interval) have no percentiles.
 */
export function parseProducerPerformance(output: string): ProducerPerformanceResult {
  const summary = new RegExp(
    `^(\\d+) records sent, ${number} records/sec \\(${number} MB/sec\\), ${number} ms avg latency, ${number} ms max latency, ` +
      `(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th\\.?$`,
  );
  const match = lines(output)
    .map((line) => summary.exec(line))
    .filter(Boolean)
    .pop();
  if (!match) throw new KafkaToolError(`no ProducerPerformance summary line in its output: ${tail(output)}`);
  const [records, recordsPerSec, mbPerSec, avgLatencyMs, maxLatencyMs, p50Ms, p95Ms, p99Ms, p999Ms] = match.slice(1).map(Number);
  return { records, recordsPerSec, mbPerSec, avgLatencyMs, maxLatencyMs, p50Ms, p95Ms, p99Ms, p999Ms };
}

/**
 * ConsumerPerformance prints a CSV header and one line of values (after a WARNING line if it timed out):
 * `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`.
 */
export function parseConsumerPerformance(output: string): ConsumerPerformanceResult {
  const all = lines(output);
  const headerAt = all.findIndex((line) => line.startsWith('start.time,'));
  if (headerAt < 0) throw new KafkaToolError(`no ConsumerPerformance header in its output: ${tail(output)}`);
  const columns = all[headerAt].split(',').map((column) => column.trim());
  const values = all.slice(headerAt + 1).find((line) => line.split(',').length === columns.length && /^\d{4}-/.test(line));
  if (!values) throw new KafkaToolError(`no ConsumerPerformance values after its header: ${tail(output)}`);
  const row = Object.fromEntries(values.split(',').map((value, i) => [columns[i], value.trim()]));
  const field = (name: string): number => {
    const value = Number(row[name]);
    if (!Number.isFinite(value)) throw new KafkaToolError(`ConsumerPerformance column ${name} is "${row[name]}" in: ${values}`);
    return value;
  };
  return {
    records: field('data.consumed.in.nMsg'),
    mb: field('data.consumed.in.MB'),
    recordsPerSec: field('nMsg.sec'),
    mbPerSec: field('MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
    fetchMs: field('fetch.time.ms'),
    fetchRecordsPerSec: field('fetch.nMsg.sec'),
    fetchMbPerSec: field('fetch.MB.sec'),
  };
}

/** `Avg latency: 1.7867 ms` then `Percentiles: 50th = 0, 99th = 15, 99.9th = 46` (after one line per 1,000 records). */
export function parseEndToEndLatency(output: string): EndToEndLatencyResult {
  const text = lines(output).join('\n');
  const avg = /^Avg latency: ([\d.]+) ms$/m.exec(text);
  const percentiles = /^Percentiles: 50th = (\d+), 99th = (\d+), 99\.9th = (\d+)$/m.exec(text);
  if (!avg || !percentiles) throw new KafkaToolError(`no EndToEndLatency summary in its output: ${tail(output)}`);
  return { avgMs: Number(avg[1]), p50Ms: Number(percentiles[1]), p99Ms: Number(percentiles[2]), p999Ms: Number(percentiles[3]) };
}

export interface ToolRun {
  classpath: string;
  /** Called with every line the tool prints (its interim reports are our progress lines). */
  onLine?: (line: string) => void;
  timeoutMs: number;
  signal?: AbortSignal;
}

const running = new Set<ChildProcess>();

/** Runs one tool to completion and returns what it printed (stdout and stderr interleaved). */
export function runKafkaTool(mainClass: string, args: string[], run: ToolRun): Promise<string> {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  // The heap kafka-producer-perf-test.sh and friends give these tools.
  const child = spawn(java, ['-Xmx512m', '-Djava.awt.headless=true', '-cp', run.classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  let partial = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) if (line.trim()) run.onLine?.(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const name = mainClass.split('.').pop();
  return new Promise<string>((resolve, reject) => {
    const stop = (reason: string) => {
      child.kill('SIGKILL');
      reject(new KafkaToolError(`${name} ${reason}; last output: ${tail(output)}`));
    };
    const timer = setTimeout(() => stop(`did not finish within ${Math.round(run.timeoutMs / 1000)} s and was killed`), run.timeoutMs);
    const onAbort = () => stop('was stopped');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => reject(new KafkaToolError(`could not run java for ${name}: ${error.message}; install a JDK 17+ or set JAVA_HOME`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new KafkaToolError(`${name} exited with ${code ?? signal}: ${tail(output)}`));
    });
  });
}

/** For SIGINT: no tool outlives the benchmark. */
export function killRunningTools(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function producerPerformanceArgs(options: { bootstrap: string; topic: string; records: number; recordSize?: number; payloadFile?: string }): string[] {
  return [
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    ...(options.payloadFile ? ['--payload-file', options.payloadFile] : ['--record-size', String(options.recordSize)]),
    '--throughput',
    '-1',
    '--bootstrap-server',
    options.bootstrap,
    // Kafka 4.4 deprecates --producer-props in favour of --command-property; same effect.
    '--command-property',
    'acks=all',
    '--reporting-interval',
    '5000',
  ];
}

export function consumerPerformanceArgs(options: { bootstrap: string; topic: string; records: number; group: string }): string[] {
  // 4.4 deprecates --messages in favour of --num-records.
  return ['--bootstrap-server', options.bootstrap, '--topic', options.topic, '--num-records', String(options.records), '--group', options.group, '--timeout', '30000'];
}

export function endToEndLatencyArgs(options: { bootstrap: string; topic: string; records: number; recordSize: number }): string[] {
  // 4.4 deprecates the positional form (broker_list topic num_messages producer_acks message_size_bytes).
  return ['--bootstrap-server', options.bootstrap, '--topic', options.topic, '--num-records', String(options.records), '--producer-acks', 'all', '--record-size', String(options.recordSize)];
}

function lines(output: string): string[] {
  return output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

function tail(output: string): string {
  return lines(output).slice(-3).join(' | ') || '(nothing)';
}
