// Headers of a replayed message: the original headers without the dead-letter ones (the message is
// being tried afresh), plus where it was replayed from. x-replay-count carries over, so a message that
// fails again comes back to the DLQ knowing how often it was replayed (the loop guard reads it).
import { DLT_HEADERS } from '@platform/messaging';
import { REPLAY_COUNT_HEADER } from '../dead-letters/dead-letter-indexer';
import { DeadLetterRow } from '../dead-letters/dead-letter.tables';

export const REPLAY_HEADERS = {
  replayId: 'x-replay-id',
  replayedFrom: 'x-replayed-from',
  replayCount: REPLAY_COUNT_HEADER,
} as const;

const DROPPED = new Set<string>([...Object.values(DLT_HEADERS), ...Object.values(REPLAY_HEADERS)]);

export function replayHeaders(row: Pick<DeadLetterRow, 'headers' | 'dlqTopic' | 'partition' | 'offset' | 'replayCount'>, replayId: string): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(row.headers).filter(([name]) => !DROPPED.has(name)));
  return {
    ...kept,
    [REPLAY_HEADERS.replayId]: replayId,
    [REPLAY_HEADERS.replayedFrom]: `${row.dlqTopic}/${row.partition}/${row.offset}`,
    [REPLAY_HEADERS.replayCount]: String(row.replayCount + 1),
  };
}
