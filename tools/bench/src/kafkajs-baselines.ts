// Raw kafkajs 2.2.4, configured like our clients where it matters (idempotent producer with one
// request in flight, acks=-1, Kafka's default partitioner) and otherwise left at its defaults: the
// floor our libs/messaging path is measured against.
import { Kafka, logLevel, Message, Partitioners } from 'kafkajs';
import { benchKeys, benchValue } from './bench-records';
import { abortable, PhaseContext } from './phase';
import { RecordCounter, Throughput, throughput } from './throughput';

export interface ClientRun {
  brokers: string[];
  topic: string;
  records: number;
  recordSize: number;
}

function rawKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR });
}

function rawProducer(kafka: Kafka) {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
}

/** One record per `send`, each awaited before the next: the cost of a round trip with acks=all. */
export async function kafkajsProducerOnePerSend(run: ClientRun, phase: PhaseContext): Promise<Throughput> {
  const producer = rawProducer(rawKafka(run.brokers, 'bench-kafkajs-one-per-send'));
  await producer.connect();
  try {
    const keys = benchKeys();
    const value = benchValue(run.recordSize);
    const started = process.hrtime.bigint();
    for (let i = 0; i < run.records && !phase.signal.aborted; i++) {
      await producer.send({ topic: run.topic, acks: -1, messages: [{ key: keys[i % keys.length], value }] });
      if (i % 100 === 0) phase.progress(i);
    }
    const elapsed = process.hrtime.bigint() - started;
    return throughput(run.records, elapsed, run.recordSize, { avgSendMs: Number(elapsed) / 1e6 / run.records });
  } finally {
    await producer.disconnect();
  }
}

/** `sendBatch` of `batchSize` records at a time, each batch awaited (all partitions in one request). */
export async function kafkajsProducerBatched(run: ClientRun & { batchSize: number }, phase: PhaseContext): Promise<Throughput> {
  const producer = rawProducer(rawKafka(run.brokers, 'bench-kafkajs-batched'));
  await producer.connect();
  try {
    const keys = benchKeys();
    const value = benchValue(run.recordSize);
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < run.records && !phase.signal.aborted; ) {
      const size = Math.min(run.batchSize, run.records - sent);
      const messages: Message[] = Array.from({ length: size }, (_, i) => ({ key: keys[(sent + i) % keys.length], value }));
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: run.topic, messages }] });
      sent += size;
      phase.progress(sent);
    }
    return throughput(run.records, process.hrtime.bigint() - started, run.recordSize);
  } finally {
    await producer.disconnect();
  }
}

/**
 * A new group reads the topic from the beginning with a handler that only counts. `eachMessage`
 * calls it per record (as Nest does), `eachBatch` once per fetched batch.
 */
export async function kafkajsConsumer(run: ClientRun & { mode: 'eachMessage' | 'eachBatch' }, phase: PhaseContext): Promise<Throughput> {
  const kafka = rawKafka(run.brokers, `bench-kafkajs-${run.mode}`);
  const consumer = kafka.consumer({ groupId: `bench-kafkajs-${run.mode}-${run.topic}` });
  const counter = new RecordCounter(run.records);
  const ticker = setInterval(() => phase.progress(counter.count), 1000);
  const started = process.hrtime.bigint();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [run.topic], fromBeginning: true });
    // The same partition concurrency as our consumers (kafkaConsumerOptions: 3).
    await consumer.run(
      run.mode === 'eachMessage'
        ? { partitionsConsumedConcurrently: 3, eachMessage: async () => counter.add(1) }
        : { partitionsConsumedConcurrently: 3, eachBatch: async ({ batch }) => counter.add(batch.messages.length) },
    );
    counter.ready();
    await abortable(counter.complete, phase.signal);
    return counter.result(run.recordSize, started);
  } finally {
    clearInterval(ticker);
    await consumer.disconnect();
  }
}
