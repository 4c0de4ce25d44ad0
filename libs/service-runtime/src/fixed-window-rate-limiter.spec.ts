import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` requests in a window and refuses the next, saying how long until the window closes', () => {
    const clock = fakeClock();
    const limiter = new FixedWindowRateLimiter({ limit: 3, windowMs: 1000, now: clock.now });
    expect([limiter.take(), limiter.take(), limiter.take()].map((d) => d.allowed)).toEqual([true, true, true]);
    clock.advance(400);
    expect(limiter.take()).toEqual({ allowed: false, used: 3, retryAfterMs: 600 });
  });

  it('opens a new window once the previous one closed', () => {
    const clock = fakeClock();
    const limiter = new FixedWindowRateLimiter({ limit: 2, windowMs: 1000, now: clock.now });
    limiter.take();
    limiter.take();
    clock.advance(999);
    expect(limiter.take()).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(limiter.take()).toEqual({ allowed: true, used: 1, retryAfterMs: 1000 });
    expect(limiter.take()).toMatchObject({ allowed: true, used: 2 });
    expect(limiter.take()).toMatchObject({ allowed: false });
  });

  it('starts the window at the first request, not at a clock boundary, and does not count refused requests', () => {
    const clock = fakeClock(1_000_900);
    const limiter = new FixedWindowRateLimiter({ limit: 1, windowMs: 1000, now: clock.now });
    expect(limiter.take().allowed).toBe(true);
    clock.advance(200); // past a whole second of the clock, still inside the window
    expect(limiter.take()).toMatchObject({ allowed: false, used: 1, retryAfterMs: 800 });
    expect(limiter.take()).toMatchObject({ allowed: false, used: 1 });
    clock.advance(800);
    expect(limiter.take().allowed).toBe(true);
  });

  it('defaults to one-second windows', () => {
    const clock = fakeClock();
    const limiter = new FixedWindowRateLimiter({ limit: 1, now: clock.now });
    limiter.take();
    expect(limiter.take().retryAfterMs).toBe(1000);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (limit) => {
    expect(() => new FixedWindowRateLimiter({ limit })).toThrow(`rate limit must be a positive integer, got ${limit}`);
  });
});
