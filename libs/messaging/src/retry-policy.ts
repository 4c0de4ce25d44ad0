// How a consumer treats a failing handler. Failures that can never succeed (the message is not a
// valid event) go to the dead-letter topic at once; anything else is retried with exponential backoff
// and jitter, and dead-lettered after the last attempt. Services set the policy per handler:
//   @EventPattern(TOPICS.orderCreated.name, withRetryPolicy({ attempts: 5 }))
import { EventRejection } from '@platform/events';

export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** 0..1: the delay is drawn uniformly from [delay * (1 - jitter), delay]. */
  jitter: number;
  /** False sends the message to the dead-letter topic without retrying. */
  isRetryable: (error: unknown) => boolean;
}

/** Throw this (or a subclass) from a handler for a failure that retrying cannot fix. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

export function isRetryableByDefault(error: unknown): boolean {
  return !(error instanceof EventRejection) && !(error instanceof NonRetryableError);
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
  isRetryable: isRetryableByDefault,
};

/** The wait before attempt `attempt + 1`, after `attempt` failures (attempt >= 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.multiplier ** (attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - policy.jitter * random()));
}

const POLICY_KEY = 'retryPolicy';

/** Extras for @EventPattern: the handler's retry policy (unset fields keep the defaults). */
export function withRetryPolicy(policy: Partial<RetryPolicy>): Record<string, unknown> {
  return { [POLICY_KEY]: policy };
}

export function retryPolicyFrom(extras: Record<string, unknown> | undefined, defaults: RetryPolicy): RetryPolicy {
  const override = (extras?.[POLICY_KEY] ?? {}) as Partial<RetryPolicy>;
  const policy = { ...defaults, ...override };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new Error(`retry policy attempts must be an integer >= 1, got ${policy.attempts}`);
  }
  return policy;
}
