// The batch-delivery extras a handler declares: its batch size, and the retry policy its messages
// get when a batch falls back to one message at a time.
import { batchDeliveryFrom, withBatchDelivery } from './event-batch';
import { DEFAULT_RETRY_POLICY, retryPolicyFrom } from './retry-policy';

describe('withBatchDelivery', () => {
  it('defaults to batches of 500 with the default retry policy', () => {
    const extras = withBatchDelivery();
    expect(batchDeliveryFrom(extras)).toEqual({ maxBatchSize: 500 });
    expect(retryPolicyFrom(extras, DEFAULT_RETRY_POLICY)).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('carries the batch size and the per-message retry policy together', () => {
    const extras = withBatchDelivery({ maxBatchSize: 50, attempts: 2, maxDelayMs: 100 });
    expect(batchDeliveryFrom(extras)).toEqual({ maxBatchSize: 50 });
    expect(retryPolicyFrom(extras, DEFAULT_RETRY_POLICY)).toMatchObject({ attempts: 2, maxDelayMs: 100 });
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => withBatchDelivery({ maxBatchSize: 0 })).toThrow('maxBatchSize must be an integer >= 1, got 0');
    expect(() => withBatchDelivery({ maxBatchSize: 2.5 })).toThrow('maxBatchSize must be an integer >= 1');
  });

  it('says nothing for a handler without it: one message at a time', () => {
    expect(batchDeliveryFrom({})).toBeUndefined();
    expect(batchDeliveryFrom(undefined)).toBeUndefined();
  });
});
