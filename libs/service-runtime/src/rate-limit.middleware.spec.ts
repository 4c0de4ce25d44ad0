import type { Request, Response } from 'express';
import { rateLimitMiddleware } from './rate-limit.middleware';

interface FakeResponse {
  statusCode?: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs the middleware on one request; `passed` says whether it called next(). */
function call(middleware: ReturnType<typeof rateLimitMiddleware>, method: string, path: string) {
  const recorded: FakeResponse = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => (recorded.headers[name] = value),
    status(code: number) {
      recorded.statusCode = code;
      return this;
    },
    json: (body: unknown) => (recorded.body = body),
  };
  let passed = false;
  middleware({ method, path } as Request, res as unknown as Response, () => (passed = true));
  return { passed, ...recorded };
}

describe('rateLimitMiddleware', () => {
  const route = { method: 'POST', path: '/orders', requestsPerSecond: 2 } as const;

  it('answers 429 with Retry-After and a message naming the limit and route past the limit', () => {
    let now = 5_000;
    const middleware = rateLimitMiddleware(route, () => now);
    expect(call(middleware, 'POST', '/orders').passed).toBe(true);
    expect(call(middleware, 'POST', '/orders/').passed).toBe(true);
    now += 300;
    expect(call(middleware, 'POST', '/orders')).toEqual({
      passed: false,
      statusCode: 429,
      headers: { 'Retry-After': '1' },
      body: { statusCode: 429, message: 'rate limit of 2 requests per second exceeded on POST /orders; retry after 1 s' },
    });
    now += 700;
    expect(call(middleware, 'POST', '/orders').passed).toBe(true);
  });

  it('counts the route however Express would match it (case, trailing slash)', () => {
    const middleware = rateLimitMiddleware(route, () => 0);
    call(middleware, 'POST', '/Orders');
    call(middleware, 'POST', '/orders/');
    expect(call(middleware, 'POST', '/ORDERS').statusCode).toBe(429);
  });

  it('leaves other methods and paths alone, and does not count them', () => {
    const middleware = rateLimitMiddleware(route, () => 0);
    for (let i = 0; i < 5; i++) {
      expect(call(middleware, 'GET', '/orders/4f1c').passed).toBe(true);
      expect(call(middleware, 'GET', '/orders').passed).toBe(true);
      expect(call(middleware, 'POST', '/orders/4f1c').passed).toBe(true);
    }
    expect(call(middleware, 'POST', '/orders').passed).toBe(true);
  });
});
