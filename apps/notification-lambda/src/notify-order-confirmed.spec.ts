// The handler with events in the exact format AWS delivers (@types/aws-lambda MSKEvent), against a
// real folder-backed sender and idempotency store.
import { readExample } from '@platform/events/catalog';
import { currentEvent, TOPICS } from '@platform/events';
import type { MSKEvent } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FolderIdempotencyStore } from './notifications/idempotency-store';
import { LocalFolderSender } from './notifications/local-folder-sender';
import { InvalidRecordError, notifyOrderConfirmed } from './notify-order-confirmed';

const TOPIC = TOPICS.stockReserved.name;
const example = readExample(TOPICS.stockReserved, currentEvent(TOPICS.stockReserved)) as { eventId: string; payload: { orderId: string } };

function stockReserved(orderId: string) {
  return { ...example, eventId: randomUUID(), aggregateId: orderId, correlationId: orderId, payload: { ...example.payload, orderId } };
}

/** An MSK event as Lambda receives it: base64 key/value, headers as byte arrays, grouped by topic-partition. */
function mskEvent(values: { partition: number; offset: number; value: unknown }[]): MSKEvent {
  const records: MSKEvent['records'] = {};
  for (const { partition, offset, value } of values) {
    (records[`${TOPIC}-${partition}`] ??= []).push({
      topic: TOPIC,
      partition,
      offset,
      timestamp: 1795600000000,
      timestampType: 'CREATE_TIME',
      key: Buffer.from('k').toString('base64'),
      value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64'),
      headers: [{ 'content-type': [...Buffer.from('application/json')] }],
    });
  }
  return { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/c/1', bootstrapServers: 'b-1:9092', records };
}

describe('notifyOrderConfirmed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notification-spec-'));
  const sender = new LocalFolderSender(join(dir, 'outbox'));
  const deps = { sender, idempotency: new FolderIdempotencyStore(join(dir, 'notified')) };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends one "order confirmed" notification per StockReserved record, across partitions', async () => {
    const [a, b]: string[] = [randomUUID(), randomUUID()];
    const outcome = await notifyOrderConfirmed(
      mskEvent([
        { partition: 0, offset: 5, value: stockReserved(a) },
        { partition: 2, offset: 9, value: stockReserved(b) },
      ]),
      deps,
    );

    expect(outcome).toEqual({ sent: 2, alreadySent: 0 });
    const sent = await sender.sent();
    expect(sent.filter((n) => [a, b].includes(n.orderId)).map((n) => n.subject).sort()).toEqual([`Order ${a} confirmed`, `Order ${b} confirmed`].sort());
  });

  it('sends nothing twice when a batch is delivered again', async () => {
    const event = mskEvent([{ partition: 1, offset: 3, value: stockReserved(randomUUID()) }]);

    const first = await notifyOrderConfirmed(event, deps);
    const again = await notifyOrderConfirmed(event, deps);

    expect([first, again]).toEqual([
      { sent: 1, alreadySent: 0 },
      { sent: 0, alreadySent: 1 },
    ]);
  });

  it('fails the invocation on a record that is not a valid event, naming where it is', async () => {
    const event = mskEvent([{ partition: 1, offset: 42, value: '{"type":"StockReserved"' }]);

    await expect(notifyOrderConfirmed(event, deps)).rejects.toThrow(InvalidRecordError);
    await expect(notifyOrderConfirmed(event, deps)).rejects.toThrow(`${TOPIC}[1]@42: value is not JSON`);
  });
});
