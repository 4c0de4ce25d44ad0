// How a dead letter is shown by the API and the CLI: the value decoded (JSON when it parses), every
// header as text, and its replay/resolve state.
import { ShownDeadLetterRow } from './dead-letter.tables';

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
  /** The value's size in bytes; null when the message had no value. */
  valueBytes: number | null;
  /** In a list, a value larger than the preview: `value` is its first bytes as text; the letter's own endpoint has it whole. */
  valueTruncated: boolean;
  headers: Record<string, string>;
}

/** A letter with its whole value (GET …/messages/:partition/:offset, the order trace). */
export function toView(row: ShownDeadLetterRow): DeadLetterView {
  const bytes = row.valueBase64 === null ? null : Buffer.from(row.valueBase64, 'base64');
  return view(row, bytes, bytes?.length ?? null);
}

/**
 * A listed letter, whose `valueBase64` holds at most the first `previewBytes` of its value: the value
 * whole if it fits, else that preview as text, marked truncated.
 */
export function toListView(row: ShownDeadLetterRow & { valueBytes: number | null }, previewBytes: number): DeadLetterView {
  const preview = row.valueBase64 === null ? null : Buffer.from(row.valueBase64, 'base64');
  if (row.valueBytes === null || row.valueBytes <= previewBytes) return view(row, preview, row.valueBytes);
  return { ...view(row, null, row.valueBytes), value: preview?.toString('utf8') ?? null, valueTruncated: true };
}

function view(row: ShownDeadLetterRow, bytes: Buffer | null, valueBytes: number | null): DeadLetterView {
  const text = bytes === null ? null : bytes.toString('utf8');
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
    valueBytes,
    valueTruncated: false,
    headers: row.headers,
  };
}

/** A listed letter without its value and headers (`fields=summary`): what a listing shows, a fraction of the bytes. */
export type DeadLetterSummary = Omit<DeadLetterView, 'value' | 'valueIsJson' | 'valueTruncated' | 'headers'>;

export function toSummaryView(row: ShownDeadLetterRow & { valueBytes: number | null }): DeadLetterSummary {
  const { value: _value, valueIsJson: _isJson, valueTruncated: _truncated, headers: _headers, ...summary } = view(row, null, row.valueBytes);
  return summary;
}
