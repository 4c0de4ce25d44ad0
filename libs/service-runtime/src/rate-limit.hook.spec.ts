// The hook on a real Fastify instance (requests injected, no socket): what a client of a limited
// route gets, and that other routes are neither limited nor counted.
import Fastify, { FastifyInstance } from 'fastify';
import { rateLimitHook } from './rate-limit.hook';

describe('rateLimitHook', () => {
  const route = { method: 'POST', path: '/orders', requestsPerSecond: 2 } as const;
  let now: number;
  let app: FastifyInstance;

  beforeEach(async () => {
    now = 5_000;
    app = Fastify();
    app.addHook('onRequest', rateLimitHook(route, () => now));
    app.post('/orders', async () => ({ accepted: true }));
    app.get('/orders', async () => []);
    app.get('/orders/:id', async () => ({}));
    app.post('/orders/:id', async () => ({}));
    await app.ready();
  });

  afterEach(() => app.close());

  const post = (url = '/orders') => app.inject({ method: 'POST', url, payload: {} });

  it('answers 429 with Retry-After and a message naming the limit and route past the limit', async () => {
    expect((await post()).statusCode).toBe(200);
    expect((await post('/orders?source=web')).statusCode).toBe(200);
    now += 300;
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toEqual({ statusCode: 429, message: 'rate limit of 2 requests per second exceeded on POST /orders; retry after 1 s' });
    now += 700;
    expect((await post()).statusCode).toBe(200);
  });

  it('leaves other methods and routes alone, and does not count them', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await app.inject({ method: 'GET', url: '/orders/4f1c' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/orders' })).statusCode).toBe(200);
      expect((await post('/orders/4f1c')).statusCode).toBe(200);
    }
    expect((await post()).statusCode).toBe(200);
  });
});
