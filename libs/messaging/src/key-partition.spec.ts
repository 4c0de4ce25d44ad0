// The partition of a key must be the one every other Kafka client picks: per-key order holds only if
// all producers of a topic agree. Checked against the values of Kafka's own Utils.murmur2 (read from
// kafka-clients 4.4.0's Utils.murmur2 and toPositive, the Java producer's BuiltInPartitioner) and
// against kafkajs's DefaultPartitioner for many keys.
import { Partitioners } from 'kafkajs';
import { murmur2, partitionOfKey } from './key-partition';

describe('murmur2 / partitionOfKey', () => {
  it("gives Kafka's own hash and partition", () => {
    const java: [string, number, number][] = [
      ['21', -973932308, 0],
      ['foobar', -790332482, 0],
      ['a-little-bit-long-string', -985981536, 2],
      ['a-little-bit-longer-string', -1486304829, 5],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5],
      ['abc', 479470107, 3],
      ['주문-123', -62708460, 2],
      ['🙂x', 1680436754, 2],
    ];
    for (const [key, hash, partitionOf6] of java) {
      expect(murmur2(Buffer.from(key, 'utf8'))).toBe(hash);
      expect(partitionOfKey(key, 6)).toBe(partitionOf6);
      expect(partitionOfKey(Buffer.from(key, 'utf8'), 6)).toBe(partitionOf6);
    }
  });

  it("agrees with kafkajs's default partitioner for every key, short or long, text or bytes", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const alphabet = 'abcXYZ019-_주문🙂é';
    const keys: (string | Buffer)[] = [''];
    for (let i = 0; i < 3000; i++) {
      const length = i % 45;
      let key = '';
      for (let j = 0; j < length; j++) key += [...alphabet][(i * 7 + j * 13) % [...alphabet].length];
      keys.push(key, Buffer.from(`${key}${i}`));
    }
    keys.push('k'.repeat(400), '주'.repeat(400), Buffer.alloc(2000, 7), '\uD800x');
    for (const partitions of [1, 3, 6, 7, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
      for (const key of keys) {
        expect(partitionOfKey(key, partitions)).toBe(kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }
    }
  });
});
