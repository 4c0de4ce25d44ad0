// Headers of a replayed message: the original headers without the dead-letter ones (the message is
// being tried afresh), plus where it was replayed from. x-replay-count carries over, so a message that
// fails again comes back to the DLQ knowing how often it was replayed (the loop guard reads it).
// The original headers go out as the bytes that arrived, a header sent more than once as often as it
// was; a letter indexed before its bytes were kept goes out with its headers' text.
import { DLT_HEADERS } from '@platform/messaging';
import { IHeaders } from 'kafkajs';
import { REPLAY_COUNT_HEADER } from '../dead-letters/dead-letter-indexer';
import { DeadLetterRow } from '../dead-letters/dead-letter.tables';
import { groupedByName } from '../dead-letters/header-entries';

export const REPLAY_HEADERS = {
  replayId: 'x-replay-id',
  replayedFrom: 'x-replayed-from',
  replayCount: REPLAY_COUNT_HEADER,
} as const;

const DROPPED = new Set<string>([...Object.values(DLT_HEADERS), ...Object.values(REPLAY_HEADERS)]);

type ReplayedLetter = Pick<DeadLetterRow, 'headers' | 'headersBase64' | 'dlqTopic' | 'partition' | 'offset' | 'replayCount'>;

export function replayHeaders(row: ReplayedLetter, replayId: string): IHeaders {
  return {
    ...originalHeaders(row),
    [REPLAY_HEADERS.replayId]: replayId,
    [REPLAY_HEADERS.replayedFrom]: `${row.dlqTopic}/${row.partition}/${row.offset}`,
    [REPLAY_HEADERS.replayCount]: String(row.replayCount + 1),
  };
}

function originalHeaders({ headers, headersBase64 }: ReplayedLetter): IHeaders {
  if (!headersBase64) return Object.fromEntries(Object.entries(headers).filter(([name]) => !DROPPED.has(name)));
  const kept = groupedByName(
    headersBase64
      .map(([nameBase64, valueBase64]): [string, string | null] => [Buffer.from(nameBase64, 'base64').toString(), valueBase64])
      .filter(([name]) => !DROPPED.has(name))
      // kafkajs 2.2.4 cannot send a null header value (sizing it throws): an empty one is the closest.
      .map(([name, valueBase64]): [string, Buffer] => [name, Buffer.from(valueBase64 ?? '', 'base64')]),
  );
  return Object.fromEntries([...kept].map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

/** The key to replay with: its bytes as they arrived, or its text for a letter indexed before those were kept. */
export function replayKey(row: Pick<DeadLetterRow, 'key' | 'keyBase64'>): Buffer | string | null {
  return row.keyBase64 == null ? row.key : Buffer.from(row.keyBase64, 'base64');
}
