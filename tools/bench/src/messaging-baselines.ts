// Our path, as the services use it: EventPublisher.publishRecords for producing, and a Nest
// microservice on ReliableKafkaServer (kafkaConsumerOptions) for consuming — next to the stock
// @nestjs/microservices ServerKafka with the same no-op @EventPattern handler, so the cost of Nest
// and the cost of our extensions (retry wrapper, span, log context, metrics) can be told apart.
import { Controller, INestMicroservice, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { initTracing } from '@platform/observability';
import { createKafkaClient, EventBatchContext, EventPublisher, kafkaConsumerOptions, OutgoingRecord, withBatchDelivery } from '@platform/messaging';
import { logLevel } from 'kafkajs';
import { benchKeys, benchValue } from './bench-records';
import { ClientRun } from './kafkajs-baselines';
import { abortable, PhaseContext } from './phase';
import { RecordCounter, Throughput, throughput } from './throughput';

/** EventPublisher.publishRecords in batches of `batchSize`, each awaited: what the outbox relay does. */
export async function messagingProducer(run: ClientRun & { batchSize: number }, phase: PhaseContext): Promise<Throughput> {
  const publisher = new EventPublisher(createKafkaClient({ clientId: 'bench-event-publisher', brokers: run.brokers }), 'bench');
  await publisher.connect();
  try {
    const keys = benchKeys();
    const value = benchValue(run.recordSize);
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < run.records && !phase.signal.aborted; ) {
      const size = Math.min(run.batchSize, run.records - sent);
      const records: OutgoingRecord[] = Array.from({ length: size }, (_, i) => ({ topic: run.topic, key: keys[(sent + i) % keys.length], value }));
      await publisher.publishRecords(records);
      sent += size;
      phase.progress(sent);
    }
    return throughput(run.records, process.hrtime.bigint() - started, run.recordSize);
  } finally {
    await publisher.disconnect();
  }
}

/** stock: Nest's ServerKafka; reliable: ours, one message per call; reliable-batch: ours, withBatchDelivery. */
export type NestConsumerKind = 'reliable' | 'reliable-batch' | 'stock';

/** A Nest microservice with one no-op @EventPattern handler on the topic, read from the beginning. */
export async function nestConsumer(run: ClientRun & { kind: NestConsumerKind }, phase: PhaseContext): Promise<Throughput> {
  const counter = new RecordCounter(run.records);
  const groupId = `bench-nest-${run.kind}-${run.topic}`;
  const options: MicroserviceOptions =
    run.kind !== 'stock'
      ? kafkaConsumerOptions({ clientId: groupId, groupId, brokers: run.brokers, deadLetterTopic: `${run.topic}.dlq` })
      : {
          transport: Transport.KAFKA,
          options: {
            client: { clientId: groupId, brokers: run.brokers, logLevel: logLevel.ERROR },
            consumer: { groupId },
            subscribe: { fromBeginning: true },
            // The same partition concurrency as kafkaConsumerOptions gives ours.
            run: { partitionsConsumedConcurrently: 3 },
          },
        };
  const started = process.hrtime.bigint();
  const app: INestMicroservice = await NestFactory.createMicroservice(countingModule(run.topic, counter, run.kind === 'reliable-batch'), { ...options, logger: ['error', 'warn'] });
  const ticker = setInterval(() => phase.progress(counter.count), 1000);
  try {
    // Resolves once ServerKafka's consumer.run() has: the group is joined.
    await app.listen();
    counter.ready();
    await abortable(counter.complete, phase.signal);
    return counter.result(run.recordSize, started);
  } finally {
    clearInterval(ticker);
    await app.close();
  }
}

/** A module whose only controller counts the records of `topic`; the topic is known only at run time. */
function countingModule(topic: string, counter: RecordCounter, batches: boolean): Type<unknown> {
  @Controller()
  class CountingController {
    @EventPattern(topic)
    onRecord(): void {
      counter.add(1);
    }
  }
  // The same no-op for a batch handler, with the batch size inventory-service uses.
  @Controller()
  class BatchCountingController {
    @EventPattern(topic, withBatchDelivery({ maxBatchSize: 500 }))
    onRecords(@Ctx() batch: EventBatchContext): void {
      counter.add(batch.getMessages().length);
    }
  }
  @Module({ controllers: [batches ? BatchCountingController : CountingController] })
  class CountingModule {}
  return CountingModule;
}

/** What every service does at boot without an OTLP endpoint: spans carry ids, nothing is recorded. */
export function enableServiceTracing(): void {
  initTracing('bench', {});
}
