import { DLT_HEADERS } from '@platform/messaging';
import { toDeadLetter } from '../dead-letters/dead-letter-indexer';
import { DeadLetterRow } from '../dead-letters/dead-letter.tables';
import { replayHeaders, replayKey } from './replay-headers';

const dltHeaders = {
  [DLT_HEADERS.originalTopic]: Buffer.from('order.order-service.created'),
  [DLT_HEADERS.exceptionFqcn]: Buffer.from('DatabaseError'),
  [DLT_HEADERS.attempts]: Buffer.from('5'),
  'x-replay-count': Buffer.from('1'),
};

describe('dead letters in and out', () => {
  const received = toDeadLetter('inventory.inventory-service.dlq', 1, {
    key: Buffer.from('order-1'),
    value: Buffer.from('{"type":"OrderCreated"}'),
    timestamp: '1795600000000',
    attributes: 0,
    offset: '17',
    headers: { traceparent: Buffer.from('00-abc-def-01'), ...dltHeaders },
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

    expect(stringsOf(headers)).toEqual({
      traceparent: '00-abc-def-01',
      'x-replay-id': 'replay-9',
      'x-replayed-from': 'inventory.inventory-service.dlq/1/17',
      'x-replay-count': '2',
    });
  });

  it('replays a letter indexed before its bytes were kept from its text', () => {
    const indexedEarlier = { ...received, keyBase64: null, headersBase64: null } as DeadLetterRow;

    expect(replayKey(indexedEarlier)).toBe('order-1');
    expect(replayHeaders(indexedEarlier, 'replay-9')).toMatchObject({ traceparent: '00-abc-def-01', 'x-replay-count': '2' });
  });
});

describe('a dead letter whose key and headers are not text', () => {
  const binaryKey = Buffer.from([0x00, 0xff, 0xfe, 0x41]);
  const binaryHeader = Buffer.from([0xc3, 0x28, 0x00]);
  const received = toDeadLetter('inventory.inventory-service.dlq', 0, {
    key: binaryKey,
    value: Buffer.from('{}'),
    timestamp: '1795600000000',
    attributes: 0,
    offset: '3',
    // kafkajs gives a header that arrived twice as an array.
    headers: { 'x-binary': binaryHeader, 'x-hop': [Buffer.from('a'), Buffer.from('b')], 'x-empty': undefined, ...dltHeaders },
  });

  it('keeps their text storable for operators (no NUL, which PostgreSQL refuses)', () => {
    expect(received.key).not.toContain('\u0000');
    expect(received.headers['x-binary']).not.toContain('\u0000');
    expect(received.headers['x-hop']).toBe('a,b');
  });

  it('replays them as the bytes that arrived, a repeated header as often as it came', () => {
    const row = received as DeadLetterRow;
    const headers = replayHeaders(row, 'replay-9');

    expect(replayKey(row)).toEqual(binaryKey);
    expect(headers['x-binary']).toEqual(binaryHeader);
    expect(headers['x-hop']).toEqual([Buffer.from('a'), Buffer.from('b')]);
    expect(headers['x-empty']).toEqual(Buffer.alloc(0));
    expect(Object.keys(headers)).not.toContain(DLT_HEADERS.originalTopic);
    expect(headers['x-replay-count']).toBe('2');
  });

  it('keeps a header named __proto__ as a header (kafkajs decodes it into an array with Object.prototype)', () => {
    const letter = toDeadLetter('inventory.inventory-service.dlq', 0, {
      key: null,
      value: Buffer.from('{}'),
      timestamp: '1795600000000',
      attributes: 0,
      offset: '4',
      headers: JSON.parse('{"__proto__": ["ignored"]}') as never,
    });
    letter.headersBase64 = [[Buffer.from('__proto__').toString('base64'), Buffer.from('v').toString('base64')]];

    const headers = replayHeaders(letter as DeadLetterRow, 'replay-9');
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(Buffer.from('v'));
  });

  it('does not keep the bytes of the dead-letter headers, which a replay drops', () => {
    expect(received.headersBase64?.map(([name]) => Buffer.from(name, 'base64').toString())).toEqual(['x-binary', 'x-hop', 'x-hop', 'x-empty', 'x-replay-count']);
  });

  it('survives the trip through a jsonb column', () => {
    const stored = JSON.parse(JSON.stringify(received)) as DeadLetterRow;

    expect(replayKey(stored)).toEqual(binaryKey);
    expect(replayHeaders(stored, 'replay-9')['x-binary']).toEqual(binaryHeader);
  });
});

function stringsOf(headers: object): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
