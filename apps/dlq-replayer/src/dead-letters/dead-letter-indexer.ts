// Reads every DLQ topic of the registry (consumer group dlq-replayer) and records each dead letter
// in the index: the exact bytes of key, value and headers, their text, and the fields operators filter on. Inserting
// is idempotent, and the offset is committed only after the insert, so nothing is missed or doubled.
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ALL_TOPICS, SERVICES } from '@platform/events';
import { createKafkaClient, DLT_HEADERS } from '@platform/messaging';
import { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { DLQ_REPLAYER_CONFIG } from '../config/config.tokens';
import { DlqReplayerConfig } from '../config/dlq-replayer.config';
import { storableHeaders, storableText } from '../database/storable-text';
import { groupedByName, headerEntries } from './header-entries';
import { ExactHeader, NewDeadLetter } from './dead-letter.tables';
import { DeadLettersRepository } from './dead-letters.repository';

export const REPLAY_COUNT_HEADER = 'x-replay-count';

export const DEAD_LETTER_TOPICS = ALL_TOPICS.filter((topic) => topic.kind === 'dead-letter');

@Injectable()
export class DeadLetterIndexer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLetterIndexer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(DLQ_REPLAYER_CONFIG) private readonly config: DlqReplayerConfig,
    private readonly repository: DeadLettersRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = createKafkaClient({ clientId: SERVICES.dlqReplayer, brokers: this.config.kafkaBrokers }).consumer({
      groupId: SERVICES.dlqReplayer,
      maxWaitTimeInMs: 1000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: DEAD_LETTER_TOPICS.map((topic) => topic.name), fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        await this.repository.insert(toDeadLetter(topic, partition, message));
      },
    });
    this.logger.log(`indexing ${DEAD_LETTER_TOPICS.map((topic) => topic.name).join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** The index row of a dead letter: the key's, value's and headers' bytes exactly (base64), every text storable. */
export function toDeadLetter(dlqTopic: string, partition: number, message: KafkaMessage): NewDeadLetter {
  const headers = storableHeaders(decodeHeaders(message.headers));
  return {
    dlqTopic,
    partition,
    offset: Number(message.offset),
    key: storableText(message.key?.toString() ?? null),
    keyBase64: message.key?.toString('base64') ?? null,
    valueBase64: message.value?.toString('base64') ?? null,
    headers,
    headersBase64: exactHeaders(message.headers),
    timestamp: new Date(Number(message.timestamp)),
    originalTopic: headers[DLT_HEADERS.originalTopic] ?? null,
    exceptionFqcn: headers[DLT_HEADERS.exceptionFqcn] ?? null,
    exceptionMessage: headers[DLT_HEADERS.exceptionMessage] ?? null,
    replayCount: Number(headers[REPLAY_COUNT_HEADER] ?? 0) || 0,
  };
}

/** The bytes a replay sends: every header but the dead-letter ones (a replay drops those; a stack trace is kilobytes). */
function exactHeaders(headers: IHeaders | undefined): ExactHeader[] {
  return headerEntries(headers)
    .filter(([name]) => !DEAD_LETTER_HEADER_NAMES.has(name))
    .map(([name, value]): ExactHeader => [base64(name), value === null ? null : base64(value)]);
}

const DEAD_LETTER_HEADER_NAMES = new Set<string>(Object.values(DLT_HEADERS));

function base64(bytes: Buffer | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes) : bytes).toString('base64');
}

/** Every header as text, a repeated one's values joined with commas. */
function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const text = groupedByName(headerEntries(headers).map(([name, value]): [string, string] => [name, String(value ?? '')]));
  return Object.fromEntries([...text].map(([name, values]) => [name, values.join(',')]));
}
