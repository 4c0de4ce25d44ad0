// The computed size of a replayed record's batch against the bytes kafkajs actually encodes.
import { recordBatchBytes, varintBytes } from './record-size';

// kafkajs's own encoders (internal modules: this is the code that builds the produce request).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: { records: unknown[] }) => Promise<{ size(): number }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => unknown;

async function encodedBytes(key: Buffer | string | null, value: Buffer | null, headers: Record<string, Buffer | string | Buffer[]>): Promise<number> {
  const batch = await RecordBatch({ records: [Record({ offsetDelta: 0, timestampDelta: 0, key, value, headers })] });
  return batch.size();
}

describe('recordBatchBytes', () => {
  it.each([
    ['a small record', 'order-1', Buffer.from('{}'), { 'x-replay-id': 'r-1' }],
    ['no key, no headers', null, Buffer.alloc(300), {}],
    ['no value', 'k', null, { a: 'b' }],
    ['a header sent twice and a binary key', Buffer.from([0, 255]), Buffer.alloc(20_000), { 'x-hop': [Buffer.from('a'), Buffer.from('bc')], traceparent: '00-abc-01' }],
    ['a record near the 1 MiB limit', 'order-1', Buffer.alloc(1_048_500), { 'x-replayed-from': 'order.order-service.dlq/0/17' }],
  ])('matches what kafkajs encodes: %s', async (_case, key, value, headers) => {
    expect(recordBatchBytes({ key, valueBytes: value?.length ?? null, headers })).toBe(await encodedBytes(key, value, headers));
  });

  it('sizes zigzag varints as Kafka does', () => {
    expect([0, -1, 63, 64, 8191, 8192, 1_048_576].map(varintBytes)).toEqual([1, 1, 1, 2, 2, 3, 4]);
  });
});
