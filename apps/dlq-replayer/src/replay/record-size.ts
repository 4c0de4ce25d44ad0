// The size of a replayed record as the broker weighs it against the topic's max.message.bytes: the
// record batch that carries it, alone (a replay sends one record per request, uncompressed). Kafka's
// record batch format (v2): a 61-byte batch header, then the record, whose fields are zigzag varints
// and bytes. Computed, not sent: a dry run uses it to predict a refusal a real replay would meet.
import { IHeaders } from 'kafkajs';
import { headerEntries } from '../dead-letters/header-entries';

/** DefaultRecordBatch.RECORD_BATCH_OVERHEAD in Apache Kafka. */
const RECORD_BATCH_OVERHEAD = 61;

export interface RecordToSize {
  key: Buffer | string | null;
  /** The value's size in bytes; null for a record without one. */
  valueBytes: number | null;
  headers: IHeaders;
}

/** Bytes of the record batch of this one record, as Kafka encodes it (v2, no compression). */
export function recordBatchBytes({ key, valueBytes, headers }: RecordToSize): number {
  const keyBytes = key === null ? null : Buffer.byteLength(key);
  let body = 1 + varintBytes(0) + varintBytes(0); // attributes, timestamp delta, offset delta
  body += lengthPrefixed(keyBytes) + lengthPrefixed(valueBytes);
  const all = headerEntries(headers);
  body += varintBytes(all.length);
  for (const [name, value] of all) body += lengthPrefixed(Buffer.byteLength(name)) + lengthPrefixed(value === null ? null : Buffer.byteLength(value));
  return RECORD_BATCH_OVERHEAD + varintBytes(body) + body;
}

/** A length (-1 for null) as a zigzag varint, then that many bytes. */
function lengthPrefixed(bytes: number | null): number {
  return bytes === null ? varintBytes(-1) : varintBytes(bytes) + bytes;
}

/** The size of a zigzag varint (Kafka's ByteUtils.sizeOfVarint). */
export function varintBytes(value: number): number {
  let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag >>>= 7;
    bytes++;
  }
  return bytes;
}
