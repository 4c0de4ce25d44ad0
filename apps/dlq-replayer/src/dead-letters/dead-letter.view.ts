// How a dead letter is shown by the API and the CLI: the value decoded (JSON when it parses), every
// header as text, and its replay/resolve state.
import { DeadLetterRow } from './dead-letter.tables';

export interface DeadLetterView {
  dlqTopic: string;
  partition: number;
  offset: number;
  key: string | null;
  timestamp: string;
  originalTopic: string | null;
  exception: string | null;
  exceptionMessage: string | null;
  status: string;
  replayCount: number;
  lastReplayId: string | null;
  /** Parsed JSON, or the raw text when the value is not JSON (e.g. a malformed message). */
  value: unknown;
  valueIsJson: boolean;
  headers: Record<string, string>;
}

export function toView(row: DeadLetterRow): DeadLetterView {
  const text = row.valueBase64 === null ? null : Buffer.from(row.valueBase64, 'base64').toString('utf8');
  let value: unknown = text;
  let valueIsJson = false;
  if (text !== null) {
    try {
      value = JSON.parse(text);
      valueIsJson = true;
    } catch {
      // keep the text: showing what actually arrived is the point
    }
  }
  return {
    dlqTopic: row.dlqTopic,
    partition: row.partition,
    offset: row.offset,
    key: row.key,
    timestamp: row.timestamp.toISOString(),
    originalTopic: row.originalTopic,
    exception: row.exceptionFqcn,
    exceptionMessage: row.exceptionMessage,
    status: row.status,
    replayCount: row.replayCount,
    lastReplayId: row.lastReplayId,
    value,
    valueIsJson,
    headers: row.headers,
  };
}
