// Headers of a replayed message: the original headers without the dead-letter ones (the message is
// being tried afresh), plus where it was replayed from. x-replay-count carries over, so a message that
// fails again comes back to the DLQ knowing how often it was replayed (the loop guard reads it).
// The original headers go out as the bytes that arrived, a header sent more than once as often as it
// was; a letter indexed before its bytes were kept goes out with its headers' text.
import { DLT_HEADERS } from '@platform/messaging';
import { IHeaders } from 'kafkajs';
import { REPLAY_COUNT_HEADER } from '../dead-letters/dead-letter-indexer';
import { DeadLetterRow } from '../dead-letters/dead-letter.tables';

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
  // A Map, not an object: a header may be named __proto__.
  const kept = new Map<string, Buffer[]>();
  for (const [nameBase64, valueBase64] of headersBase64) {
    const name = Buffer.from(nameBase64, 'base64').toString();
    if (DROPPED.has(name)) continue;
    // kafkajs 2.2.4 cannot send a null header value (sizing it throws): an empty one is the closest.
    const value = Buffer.from(valueBase64 ?? '', 'base64');
    const values = kept.get(name);
    if (values) values.push(value);
    else kept.set(name, [value]);
  }
  return Object.fromEntries([...kept].map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

/** The key to replay with: its bytes as they arrived, or its text for a letter indexed before those were kept. */
export function replayKey(row: Pick<DeadLetterRow, 'key' | 'keyBase64'>): Buffer | string | null {
  return row.keyBase64 == null ? row.key : Buffer.from(row.keyBase64, 'base64');
}
