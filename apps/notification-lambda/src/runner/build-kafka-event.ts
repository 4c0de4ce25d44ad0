// Builds the event exactly as AWS's Kafka event source mapping delivers it to the function: records
// grouped under "<topic>-<partition>", key and value base64, headers as [{name: [byte, …]}], timestamps
// in epoch milliseconds.
import type { SelfManagedKafkaEvent } from 'aws-lambda';
import { KafkaMessage } from 'kafkajs';

export interface SourceRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export function buildKafkaEvent(records: SourceRecord[], bootstrapServers: string[]): SelfManagedKafkaEvent {
  const grouped: SelfManagedKafkaEvent['records'] = {};
  for (const { topic, partition, message } of records) {
    const group = (grouped[`${topic}-${partition}`] ??= []);
    group.push({
      topic,
      partition,
      offset: Number(message.offset),
      timestamp: Number(message.timestamp),
      timestampType: 'CREATE_TIME',
      key: message.key ? message.key.toString('base64') : (undefined as unknown as string),
      value: message.value ? message.value.toString('base64') : '',
      headers: Object.entries(message.headers ?? {}).map(([name, value]) => ({
        [name]: [...Buffer.from(Array.isArray(value) ? value.join(',') : (value ?? '').toString())],
      })),
    });
  }
  return { eventSource: 'SelfManagedKafka', bootstrapServers: bootstrapServers.join(','), records: grouped };
}
