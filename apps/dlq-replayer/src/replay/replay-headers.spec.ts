import { DLT_HEADERS } from '@platform/messaging';
import { toDeadLetter } from '../dead-letters/dead-letter-indexer';
import { DeadLetterRow } from '../dead-letters/dead-letter.tables';
import { replayHeaders } from './replay-headers';

describe('dead letters in and out', () => {
  const received = toDeadLetter('inventory.inventory-service.dlq', 1, {
    key: Buffer.from('order-1'),
    value: Buffer.from('{"type":"OrderCreated"}'),
    timestamp: '1795600000000',
    attributes: 0,
    offset: '17',
    headers: {
      traceparent: Buffer.from('00-abc-def-01'),
      [DLT_HEADERS.originalTopic]: Buffer.from('order.order-service.created'),
      [DLT_HEADERS.exceptionFqcn]: Buffer.from('DatabaseError'),
      [DLT_HEADERS.attempts]: Buffer.from('5'),
      'x-replay-count': Buffer.from('1'),
    },
  });

  it('indexes what operators filter on, and the exact value bytes', () => {
    expect(received).toMatchObject({
      offset: 17,
      key: 'order-1',
      originalTopic: 'order.order-service.created',
      exceptionFqcn: 'DatabaseError',
      replayCount: 1,
      timestamp: new Date(1795600000000),
    });
    expect(Buffer.from(received.valueBase64 as string, 'base64').toString()).toBe('{"type":"OrderCreated"}');
  });

  it('replays with the original headers, without the dead-letter ones, and says where from', () => {
    const headers = replayHeaders(received as DeadLetterRow, 'replay-9');

    expect(headers).toEqual({
      traceparent: '00-abc-def-01',
      'x-replay-id': 'replay-9',
      'x-replayed-from': 'inventory.inventory-service.dlq/1/17',
      'x-replay-count': '2',
    });
  });
});
