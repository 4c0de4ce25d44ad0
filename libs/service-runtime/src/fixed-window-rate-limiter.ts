// A fixed-window request counter, in memory: at most `limit` requests per window; the window opens
// at the first request after the previous one closed. Per process on purpose (no Redis): N replicas
// allow N × limit in total, and two windows back to back can let up to 2 × limit through within one
// window's length. That is enough to shield one process from a burst, not to meter clients.
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included when allowed. */
  used: number;
  /** Milliseconds until the current window closes (0 when none is open). */
  retryAfterMs: number;
}

export interface FixedWindowRateLimiterOptions {
  /** Requests allowed per window; a positive integer. */
  limit: number;
  /** Window length; 1000 for "per second". */
  windowMs?: number;
  /** The clock, replaceable in tests. */
  now?: () => number;
}

export class FixedWindowRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private windowEnd = 0;
  private used = 0;

  constructor(options: FixedWindowRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`rate limit must be a positive integer, got ${options.limit}`);
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one request if the window has room; a refused request does not count. */
  take(): RateLimitDecision {
    const now = this.now();
    if (now >= this.windowEnd) {
      this.windowEnd = now + this.windowMs;
      this.used = 0;
    }
    const retryAfterMs = this.windowEnd - now;
    if (this.used >= this.limit) return { allowed: false, used: this.used, retryAfterMs };
    this.used += 1;
    return { allowed: true, used: this.used, retryAfterMs };
  }
}
