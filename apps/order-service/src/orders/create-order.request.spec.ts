import { validateInstance } from '@platform/events';
import { CreateOrderRequest } from './create-order.request';

// The same rules the global ValidationPipe applies (whitelist + forbidNonWhitelisted).
function errorsFor(body: unknown): string[] {
  return validateInstance(CreateOrderRequest, body, 'reject').errors;
}

describe('CreateOrderRequest', () => {
  it('accepts the documented example', () => {
    expect(errorsFor({ customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }] })).toEqual([]);
  });

  it('lists every problem of a bad body, with its path', () => {
    const errors = errorsFor({ items: [{ sku: '', quantity: 0 }, { sku: 'SKU-2', quantity: 2.5 }], extra: 1 });
    expect(errors).toEqual(
      expect.arrayContaining([
        'extra: property extra should not exist',
        'customerId: customerId should not be empty',
        'items.0.sku: sku should not be empty',
        'items.0.quantity: quantity must not be less than 1',
        'items.1.quantity: quantity must be an integer number',
      ]),
    );
  });

  it('refuses an empty item list', () => {
    expect(errorsFor({ customerId: 'c-1', items: [] })).toEqual(['items: items must contain at least 1 elements']);
  });
});
