import { EventRejection } from '@platform/events';
import { deadLetterHeaders, DLT_HEADERS } from './dead-letter-headers';

const cause = {
  topic: 'order.order-service.created',
  partition: 2,
  offset: '41',
  timestamp: '1795600000000',
  consumerGroup: 'inventory-service',
  attempts: 1,
  firstFailureAt: new Date('2026-11-25T10:00:00.000Z'),
  lastFailureAt: new Date('2026-11-25T10:00:01.000Z'),
};

describe('deadLetterHeaders', () => {
  it('keeps the original headers and adds where the message came from and why it failed', () => {
    const headers = deadLetterHeaders(
      { traceparent: Buffer.from('00-abc-def-01') },
      { ...cause, error: new EventRejection('InvalidPayload', 'items.0.quantity: must not be less than 1') },
    );

    expect(headers.traceparent).toEqual(Buffer.from('00-abc-def-01'));
    expect(headers).toMatchObject({
      [DLT_HEADERS.originalTopic]: 'order.order-service.created',
      [DLT_HEADERS.originalPartition]: '2',
      [DLT_HEADERS.originalOffset]: '41',
      [DLT_HEADERS.originalTimestamp]: '1795600000000',
      [DLT_HEADERS.originalConsumerGroup]: 'inventory-service',
      [DLT_HEADERS.exceptionFqcn]: 'EventRejection.InvalidPayload',
      [DLT_HEADERS.exceptionMessage]: 'items.0.quantity: must not be less than 1',
      [DLT_HEADERS.attempts]: '1',
      [DLT_HEADERS.firstFailureAt]: '2026-11-25T10:00:00.000Z',
      [DLT_HEADERS.lastFailureAt]: '2026-11-25T10:00:01.000Z',
    });
    expect(String(headers[DLT_HEADERS.exceptionStacktrace])).toMatch(/^InvalidPayload: items.0.quantity[^]*dead-letter-headers.spec.ts/);
  });

  it('replaces the dead-letter headers of an earlier failure instead of repeating them', () => {
    const first = deadLetterHeaders({}, { ...cause, error: new Error('first') });
    const second = deadLetterHeaders(first, { ...cause, attempts: 5, error: new TypeError('second') });

    expect(second[DLT_HEADERS.exceptionFqcn]).toBe('TypeError');
    expect(second[DLT_HEADERS.attempts]).toBe('5');
  });

  it('truncates long stack traces', () => {
    const error = new Error('deep');
    error.stack = 'x'.repeat(10_000);
    expect(String(deadLetterHeaders({}, { ...cause, error })[DLT_HEADERS.exceptionStacktrace]).length).toBe(4000);
  });
});
