import { EventRejection } from '@platform/events';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableByDefault,
  NonRetryableError,
  retryPolicyFrom,
  withRetryPolicy,
} from './retry-policy';

describe('retry policy', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.5 };

  it('doubles the delay per attempt up to the maximum (no jitter drawn)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, () => 0));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes jitter off the delay, never adding to it', () => {
    expect(backoffDelay(policy, 3, () => 1)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
  });

  it('never retries contract rejections or NonRetryableError, retries anything else', () => {
    expect(isRetryableByDefault(new EventRejection('InvalidPayload', 'x'))).toBe(false);
    expect(isRetryableByDefault(new NonRetryableError('x'))).toBe(false);
    expect(isRetryableByDefault(new Error('connection reset'))).toBe(true);
  });

  it('lets a handler override part of the defaults through @EventPattern extras', () => {
    const resolved = retryPolicyFrom(withRetryPolicy({ attempts: 3 }), DEFAULT_RETRY_POLICY);
    expect(resolved).toMatchObject({ attempts: 3, initialDelayMs: DEFAULT_RETRY_POLICY.initialDelayMs });
    expect(retryPolicyFrom(undefined, DEFAULT_RETRY_POLICY)).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('refuses a policy without at least one attempt', () => {
    expect(() => retryPolicyFrom(withRetryPolicy({ attempts: 0 }), DEFAULT_RETRY_POLICY)).toThrow(/attempts must be an integer >= 1/);
  });
});
