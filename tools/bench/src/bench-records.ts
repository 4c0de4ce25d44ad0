// The records every client writes and reads: a value of exactly --record-size bytes shaped like our
// event envelope (JSON; ReliableKafkaServer parses values for their ids, so a random blob would
// flatter it), keyed by an order-like id as our topics are. Kafka's ProducerPerformance writes its own
// random, unkeyed payload of the same size.
import { randomUUID } from 'node:crypto';

export function benchValue(recordSize: number): Buffer {
  const envelope = {
    eventId: randomUUID(),
    type: 'BenchEvent',
    version: 1,
    occurredAt: new Date(0).toISOString(),
    aggregateId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null,
    source: 'bench',
    payload: { padding: '' },
  };
  const bare = Buffer.byteLength(JSON.stringify(envelope));
  if (recordSize < bare) throw new Error(`--record-size must be at least ${bare} bytes (an envelope with no payload), got ${recordSize}`);
  envelope.payload.padding = 'x'.repeat(recordSize - bare);
  const value = Buffer.from(JSON.stringify(envelope));
  if (value.length !== recordSize) throw new Error(`internal: bench value is ${value.length} bytes, not ${recordSize}`);
  return value;
}

/** 1,000 keys used in turn: spread evenly over the partitions, cheap to produce. */
export function benchKeys(count = 1000): string[] {
  return Array.from({ length: count }, () => randomUUID());
}
