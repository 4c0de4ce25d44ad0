// The Kafka event a Lambda function receives from an event source mapping (Amazon MSK or self-managed
// Kafka), as typed by @types/aws-lambda: records grouped by "<topic>-<partition>", key and value
// base64, headers as a list of {name: byte array}. Helpers to read one record.
import type { MSKEvent, MSKRecord, SelfManagedKafkaEvent } from 'aws-lambda';

export type KafkaEvent = MSKEvent | SelfManagedKafkaEvent;
export type KafkaRecord = MSKRecord;

export function recordsOf(event: KafkaEvent): KafkaRecord[] {
  return Object.values(event.records).flat();
}

export function recordValue(record: KafkaRecord): Buffer {
  return Buffer.from(record.value ?? '', 'base64');
}

export function recordKey(record: KafkaRecord): string | null {
  return record.key === undefined || record.key === null ? null : Buffer.from(record.key, 'base64').toString('utf8');
}

export function recordHeaders(record: KafkaRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of record.headers ?? []) {
    for (const [name, bytes] of Object.entries(header)) headers[name] = Buffer.from(bytes as number[]).toString('utf8');
  }
  return headers;
}

export function describeRecord(record: KafkaRecord): string {
  return `${record.topic}[${record.partition}]@${record.offset}`;
}
