// The span and log context of one message of a batch: a child of the producer's trace, with the
// envelope's ids in the log context, and nothing but text from a poison message.
import { currentEventContext, currentTraceId, initTracing, traceIdOf } from '@platform/observability';
import { KafkaMessage } from 'kafkajs';
import { envelopeIds, MessageInSpan } from './message-span';

const position = { topic: 'order.order-service.created', partition: 2, groupId: 'inventory-service' };
const traceId = 'a'.repeat(32);

function record(value: string, headers: KafkaMessage['headers'] = {}): KafkaMessage {
  return { key: Buffer.from('order-1'), value: Buffer.from(value), offset: '41', timestamp: '0', attributes: 0, headers };
}

beforeAll(() => initTracing('spec-service', {}));

describe('MessageInSpan', () => {
  const envelope = JSON.stringify({ eventId: 'e-1', correlationId: 'order-1', type: 'OrderCreated', payload: {} });

  it('continues the trace of the traceparent header, as a span of its own', () => {
    const parent = `00-${traceId}-${'b'.repeat(16)}-01`;
    const inSpan = new MessageInSpan(record(envelope, { traceparent: Buffer.from(parent) }), position);

    expect(traceIdOf(inSpan.traceHeaders.traceparent)).toBe(traceId);
    expect(inSpan.traceHeaders.traceparent).not.toBe(parent);
    expect(inSpan.inContext(() => currentTraceId())).toBe(traceId);
  });

  it('puts the envelope ids and the position in the log context of the work it runs', () => {
    const inSpan = new MessageInSpan(record(envelope), position);

    expect(inSpan.inContext(() => currentEventContext())).toEqual({
      eventId: 'e-1',
      correlationId: 'order-1',
      eventType: 'OrderCreated',
      topic: position.topic,
      partition: 2,
      offset: '41',
    });
    expect(currentEventContext()).toBeUndefined();
  });

  it('keeps its context when inContext is passed around on its own', () => {
    const { inContext } = new MessageInSpan(record(envelope), position);

    expect(inContext(() => currentEventContext()?.eventId)).toBe('e-1');
  });

  it('starts a new trace for a message without a traceparent', () => {
    const first = new MessageInSpan(record(envelope), position);
    const second = new MessageInSpan(record(envelope), position);

    expect(traceIdOf(first.traceHeaders.traceparent)).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf(first.traceHeaders.traceparent)).not.toBe(traceIdOf(second.traceHeaders.traceparent));
  });
});

describe('envelopeIds', () => {
  it('reads nothing from bytes that are not an envelope', () => {
    expect(envelopeIds(Buffer.from('{not json'))).toEqual({});
    expect(envelopeIds(null)).toEqual({});
    expect(envelopeIds('{"eventId": 7}')).toEqual({ eventId: undefined, correlationId: undefined, eventType: undefined });
  });
});
