// How EventPublisher cuts a partition's records into produce requests: in order, at most 500 records
// or about 512 KB each, so a burst never exceeds the broker's 1 MB record-batch limit.
import { chunks } from './event-publisher';

const record = (bytes: number, i = 0) => ({ key: `k${i}`, value: 'x'.repeat(bytes) });

describe('chunks', () => {
  it('keeps order and cuts at 500 records', () => {
    const messages = Array.from({ length: 1201 }, (_, i) => record(10, i));
    const cut = chunks(messages);
    expect(cut.map((c) => c.length)).toEqual([500, 500, 201]);
    expect(cut.flat()).toEqual(messages);
  });

  it('cuts at about 512 KB, and sends an oversized record on its own', () => {
    expect(chunks(Array.from({ length: 9 }, (_, i) => record(100_000, i))).map((c) => c.length)).toEqual([5, 4]);
    expect(chunks([record(10), record(2_000_000), record(10)]).map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('gives nothing for nothing', () => {
    expect(chunks([])).toEqual([]);
  });
});
