// How a letter's value is shown: whole on its own, previewed in lists when it is large.
import { DeadLetterRow } from './dead-letter.tables';
import { toListView, toSummaryView, toView } from './dead-letter.view';

const row = (value: string | null): DeadLetterRow => ({
  seq: 1,
  dlqTopic: 'order.order-service.dlq',
  partition: 0,
  offset: 7,
  key: 'order-1',
  keyBase64: Buffer.from('order-1').toString('base64'),
  valueBase64: value === null ? null : Buffer.from(value).toString('base64'),
  headers: {},
  headersBase64: [],
  timestamp: new Date('2026-11-28T17:00:00Z'),
  originalTopic: 'order.order-service.created',
  exceptionFqcn: 'EventRejection.MalformedJson',
  exceptionMessage: 'not JSON',
  replayCount: 0,
  status: 'open',
  lastReplayId: null,
  replayedAt: null,
  resolvedAt: null,
});

/** What the repository's list query gives: the value's first `preview` bytes and its whole size. */
function listed(value: string | null, preview: number) {
  const whole = row(value);
  const bytes = value === null ? null : Buffer.from(value);
  return { ...whole, valueBase64: bytes === null ? null : bytes.subarray(0, preview).toString('base64'), valueBytes: bytes?.length ?? null };
}

describe('dead letter views', () => {
  it('shows a letter whole, parsed when it is JSON, with its size', () => {
    expect(toView(row('{"a":1}'))).toMatchObject({ value: { a: 1 }, valueIsJson: true, valueBytes: 7, valueTruncated: false });
    expect(toView(row('{not json'))).toMatchObject({ value: '{not json', valueIsJson: false, valueBytes: 9, valueTruncated: false });
    expect(toView(row(null))).toMatchObject({ value: null, valueIsJson: false, valueBytes: null, valueTruncated: false });
  });

  it('lists a value that fits the preview as it is', () => {
    expect(toListView(listed('{"a":1}', 12), 12)).toMatchObject({ value: { a: 1 }, valueIsJson: true, valueBytes: 7, valueTruncated: false });
    expect(toListView(listed('', 12), 12)).toMatchObject({ value: '', valueBytes: 0, valueTruncated: false });
    expect(toListView(listed(null, 12), 12)).toMatchObject({ value: null, valueBytes: null, valueTruncated: false });
  });

  it('lists a larger value as the text of its first bytes, marked truncated, with its whole size', () => {
    const large = `{"payload":"${'x'.repeat(100)}"}`;
    expect(toListView(listed(large, 12), 12)).toMatchObject({ value: '{"payload":"', valueIsJson: false, valueBytes: large.length, valueTruncated: true });
  });

  it('summarises a letter without value and headers, its size kept', () => {
    const summary = toSummaryView(listed('', 0));
    expect(summary).toMatchObject({ key: 'order-1', offset: 7, status: 'open', exception: 'EventRejection.MalformedJson' });
    expect(summary).not.toHaveProperty('value');
    expect(summary).not.toHaveProperty('headers');
    expect(toSummaryView({ ...listed('', 0), valueBytes: 2_000_000 }).valueBytes).toBe(2_000_000);
  });
});
