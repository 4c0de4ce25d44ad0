// The partition of a keyed record, as every Kafka client computes it (Java's Utils.murmur2 of the
// key's UTF-8 bytes, made positive, modulo the partition count), in 32-bit integer arithmetic. (A
// string key with a lone UTF-16 surrogate, which no id has, is encoded as Node encodes it, U+FFFD, as
// kafkajs did; Java's getBytes writes '?' there.)
// kafkajs's own murmur2 does the same with 64-bit Long objects and a new Buffer per key: 1.7 µs for a
// short key (`key-123`), the largest single cost of EventPublisher's own work per record; this takes
// 0.2–0.3 µs for a 36-byte UUID key. key-partition.spec.ts checks it against the values of Kafka's own
// Utils.murmur2 and against kafkajs, key by key.

/** Reused for the UTF-8 bytes of keys that fit (a key is an id: tens of bytes). */
const scratch = Buffer.allocUnsafe(1024);

/** Kafka's murmur2 hash (org.apache.kafka.common.utils.Utils.murmur2) of `length` bytes of `data`. */
export function murmur2(data: Uint8Array, length = data.length): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The last one to three bytes, as Java's switch falls through its cases.
  const rest = length & 3;
  if (rest > 0) {
    const tail = length & ~3;
    if (rest === 3) h ^= data[tail + 2] << 16;
    if (rest >= 2) h ^= data[tail + 1] << 8;
    h ^= data[tail];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner gives a record with this key among `partitions`. */
export function partitionOfKey(key: string | Buffer, partitions: number): number {
  let hash: number;
  if (typeof key !== 'string') hash = murmur2(key);
  // At most 3 bytes per UTF-16 unit: a key this short always fits whole.
  else if (key.length * 3 <= scratch.length) hash = murmur2(scratch, scratch.write(key, 0, 'utf8'));
  else hash = murmur2(Buffer.from(key, 'utf8'));
  return (hash & 0x7fffffff) % partitions;
}
