// Producer side of the contract: what order-service publishes matches the released JSON Schema of
// the current OrderCreated version, and the consumers' parser accepts it.
import { currentEvent, parseEvent, TOPICS } from '@platform/events';
import { readReleasedSchema, schemaErrors } from '@platform/events/catalog';
import { randomUUID } from 'node:crypto';
import { orderCreatedEvent } from './order-created.event';

describe('OrderCreated as order-service publishes it', () => {
  const schema = readReleasedSchema(TOPICS.orderCreated, currentEvent(TOPICS.orderCreated));

  it.each([
    ['without a sales channel', undefined],
    ['with a sales channel', 'mobile' as const],
  ])('matches the released schema of the current version %s', (_case, salesChannel) => {
    const event = orderCreatedEvent({ orderId: randomUUID(), customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }], salesChannel });

    expect(event.version).toBe(currentEvent(TOPICS.orderCreated).version);
    expect(schemaErrors(schema ?? {}, JSON.parse(JSON.stringify(event)))).toEqual([]);
    expect(parseEvent(TOPICS.orderCreated, JSON.stringify(event)).envelope.eventId).toBe(event.eventId);
  });
});
