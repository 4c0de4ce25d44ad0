import orderCreated from '../../schemas/order.order-service.created/v1.example.json';
import orderCreatedV2 from '../../schemas/order.order-service.created/v2.example.json';
import stockRejected from '../../schemas/inventory.inventory-service.rejected/v1.example.json';
import stockReserved from '../../schemas/inventory.inventory-service.reserved/v1.example.json';
import { OrderCreatedV1, OrderCreatedV2, OrderCreatedV2Payload } from '../order-service';
import { TOPICS } from '../topics';
import { createEnvelope } from './create-envelope';
import { EventRejection } from './event-rejection';
import { parseEvent } from './parse-event';

function rejectionOf(run: () => unknown): EventRejection {
  try {
    run();
  } catch (error) {
    if (error instanceof EventRejection) return error;
    throw error;
  }
  throw new Error('expected an EventRejection');
}

describe('parseEvent', () => {
  it.each([
    ['OrderCreated', TOPICS.orderCreated, orderCreated],
    ['StockReserved', TOPICS.stockReserved, stockReserved],
    ['StockRejected', TOPICS.stockRejected, stockRejected],
  ])('accepts the %s v1 fixture as bytes', (_type, topic, fixture) => {
    const parsed = parseEvent(topic, Buffer.from(JSON.stringify(fixture)));

    expect(parsed.envelope.eventId).toBe(fixture.eventId);
    expect(parsed.definition.type).toBe(fixture.type);
    expect(parsed.envelope.payload).toMatchObject(fixture.payload);
  });

  it('upcasts a v1 OrderCreated to v2, the version consumers read', () => {
    const parsed = parseEvent(TOPICS.orderCreated, orderCreated);

    expect(parsed.receivedVersion).toBe(1);
    expect(parsed.definition).toBe(OrderCreatedV2);
    expect(parsed.envelope.version).toBe(2);
    expect(parsed.envelope.payload).toEqual({ ...orderCreated.payload, salesChannel: 'unknown' });
  });

  it('reads a v2 OrderCreated as it is', () => {
    const parsed = parseEvent(TOPICS.orderCreated, orderCreatedV2);

    expect(parsed.receivedVersion).toBe(2);
    expect((parsed.envelope.payload as OrderCreatedV2Payload).salesChannel).toBe('web');
  });

  it('validates nested items too', () => {
    const payload = { ...orderCreated.payload, items: [{ sku: 'SKU-1' }] };
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, { ...orderCreated, payload }));
    expect(rejection.code).toBe('InvalidPayload');
    expect(rejection.message).toContain('items.0.quantity');
  });

  it('round-trips what createEnvelope produces', () => {
    const envelope = createEnvelope({
      definition: OrderCreatedV1,
      payload: orderCreated.payload,
      aggregateId: orderCreated.payload.orderId,
      source: 'order-service',
    });

    expect(parseEvent(TOPICS.orderCreated, JSON.stringify(envelope)).envelope.eventId).toBe(envelope.eventId);
    expect(envelope.correlationId).toBe(orderCreated.payload.orderId);
    expect(envelope.causationId).toBeNull();
  });

  it('rejects bytes that are not JSON as MalformedJson', () => {
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, Buffer.from('{not json')));
    expect(rejection.code).toBe('MalformedJson');
  });

  it('names a binary value in its reason with the control characters escaped', () => {
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, Buffer.from([0x00, 0x01, 0x7b, 0x0a])));
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(rejection.message).not.toMatch(/[\u0000-\u001f]/);
    expect(rejection.message).toContain('\\u0000\\u0001{\\u000a');
  });

  it('rejects an envelope without an eventId as InvalidEnvelope, naming the field', () => {
    const { eventId: _dropped, ...withoutId } = orderCreated;
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, withoutId));
    expect(rejection.code).toBe('InvalidEnvelope');
    expect(rejection.message).toContain('eventId');
  });

  it('rejects a version the topic does not carry as UnknownEventType', () => {
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, { ...orderCreated, version: 99 }));
    expect(rejection.code).toBe('UnknownEventType');
    expect(rejection.message).toContain('OrderCreated v99');
  });

  it('rejects an event type on the wrong topic', () => {
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, stockReserved));
    expect(rejection.code).toBe('UnknownEventType');
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'items.0.quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'items.0.quantity'],
    ['an empty sku', { sku: '' }, 'items.0.sku'],
  ])('rejects a payload with %s as InvalidPayload', (_case, override, path) => {
    const payload = { ...orderCreated.payload, items: [{ ...orderCreated.payload.items[0], ...override }] };
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, { ...orderCreated, payload }));
    expect(rejection.code).toBe('InvalidPayload');
    expect(rejection.message).toContain(path);
  });

  it('rejects a quantity that JSON.parse turns into Infinity (1e999) as InvalidPayload', () => {
    const bytes = JSON.stringify(orderCreatedV2).replace('"quantity":2', '"quantity":1e999');
    expect(bytes).toContain('1e999');
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, Buffer.from(bytes)));
    expect(rejection.code).toBe('InvalidPayload');
    expect(rejection.message).toContain('items.0.quantity');
  });

  it('rejects NUL in a payload string as InvalidPayload, naming the field (no database stores it)', () => {
    const payload = { ...orderCreatedV2.payload, items: [{ ...orderCreatedV2.payload.items[0], sku: 'SKU-1\u0000' }] };
    const bytes = Buffer.from(JSON.stringify({ ...orderCreatedV2, payload }));
    expect(bytes.toString()).toContain('SKU-1\\u0000');

    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, bytes));
    expect(rejection.code).toBe('InvalidPayload');
    expect(rejection.message).toBe('event.payload.items[0].sku must not contain the NUL character (U+0000)');
  });

  it('rejects NUL in an envelope field as InvalidEnvelope, also in an event the transport decoded', () => {
    const rejection = rejectionOf(() => parseEvent(TOPICS.orderCreated, { ...orderCreatedV2, correlationId: '\u0000' }));
    expect(rejection.code).toBe('InvalidEnvelope');
    expect(rejection.message).toContain('event.correlationId');
  });

  it('accepts the text "\\u0000" (an escaped backslash, not NUL)', () => {
    const payload = { ...orderCreatedV2.payload, customerId: 'c\\u0000' };
    expect(parseEvent(TOPICS.orderCreated, Buffer.from(JSON.stringify({ ...orderCreatedV2, payload }))).envelope.payload).toMatchObject({ customerId: 'c\\u0000' });
  });

  it('tolerates an unknown payload field (a producer may add optional fields), also in nested items', () => {
    const payload = { ...orderCreated.payload, giftWrap: true, items: [{ ...orderCreated.payload.items[0], colour: 'red' }] };
    const parsed = parseEvent(TOPICS.orderCreated, Buffer.from(JSON.stringify({ ...orderCreated, payload })));
    expect(parsed.envelope.payload).not.toHaveProperty('giftWrap');
    expect((parsed.envelope.payload as OrderCreatedV2Payload).items[0]).toEqual(orderCreated.payload.items[0]);
  });

  it('keeps envelope fields it does not know, as before', () => {
    const parsed = parseEvent(TOPICS.orderCreated, Buffer.from(JSON.stringify({ ...orderCreatedV2, tenant: 'eu' })));
    expect(parsed.envelope).toHaveProperty('tenant', 'eu');
  });

  it('does not change an object the transport already decoded', () => {
    const decoded = { ...orderCreatedV2, payload: { ...orderCreatedV2.payload, giftWrap: true } };
    parseEvent(TOPICS.orderCreated, decoded);
    expect(decoded.payload).toHaveProperty('giftWrap', true);
  });
});
