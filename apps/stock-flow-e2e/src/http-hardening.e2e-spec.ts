// HTTP hardening of order-service, seen from outside: security headers and no X-Powered-By, the body
// size limit (413), unknown properties refused (400), and the POST /orders rate limit (429 with
// Retry-After; GET not limited; POST accepted again once the window closed). One order-service
// process on a real broker, with a small limit (5/s) and body limit (1kb) so the test can reach them.
import { createScratchDir, freePort, ServiceProcess, startServiceProcess, waitFor } from '@platform/testing';
import { randomUUID } from 'node:crypto';

const RATE_LIMIT = 5;

describe('order-service HTTP hardening', () => {
  let orders: ServiceProcess;

  beforeAll(async () => {
    const brokers = process.env.E2E_KAFKA_BROKERS;
    if (!brokers) throw new Error('E2E_KAFKA_BROKERS is not set: run through the e2e jest config (libs/testing e2e-global-setup)');
    orders = await startServiceProcess({
      name: 'order-service',
      entry: 'apps/order-service/src/main.ts',
      port: await freePort(),
      env: {
        KAFKA_BROKERS: brokers,
        DATA_DIR: createScratchDir('http-hardening-', process.env.E2E_STATE_DIR),
        DATABASE_URL: '',
        ORDERS_RATE_LIMIT: String(RATE_LIMIT),
        HTTP_BODY_LIMIT: '1kb',
      },
    });
  });

  afterAll(async () => {
    await orders?.stop();
  });

  const validOrder = () => ({ customerId: 'c-hardening', items: [{ sku: 'SKU-HARDENING', quantity: 1 }] });

  function post(body: unknown) {
    return fetch(`${orders.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('sends the security headers and no X-Powered-By', async () => {
    // when: any API response, here a 404
    const response = await fetch(`${orders.url}/orders/${randomUUID()}`);

    // then
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:/);
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    expect(response.headers.has('x-powered-by')).toBe(false);
  });

  it('relaxes the Content-Security-Policy for Swagger UI at /docs only', async () => {
    const docs = await fetch(`${orders.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    expect(docs.headers.has('x-powered-by')).toBe(false);
  });

  // The rate-limit test runs before any other POST, so its burst opens a fresh one-second window.
  it(`answers 429 with Retry-After past ${RATE_LIMIT} POST /orders in one second, without limiting GET /orders/:id`, async () => {
    // given: an order id to read while POST is limited
    const unknownId = randomUUID();

    // when: a burst of POSTs and GETs at the same moment
    const [posts, gets] = await Promise.all([
      Promise.all(Array.from({ length: RATE_LIMIT * 4 }, () => post(validOrder()))),
      Promise.all(Array.from({ length: RATE_LIMIT + 5 }, () => fetch(`${orders.url}/orders/${unknownId}`))),
    ]);

    // then: RATE_LIMIT POSTs per one-second window are accepted (a slow machine may stretch the burst
    // over a second window, never more), the rest refused with 429
    const accepted = posts.filter((r) => r.status === 202);
    const refused = posts.filter((r) => r.status === 429);
    expect(accepted.length + refused.length).toBe(posts.length);
    expect(accepted.length).toBeGreaterThanOrEqual(RATE_LIMIT);
    expect(accepted.length).toBeLessThanOrEqual(RATE_LIMIT * 2);
    expect(refused.length).toBeGreaterThanOrEqual(RATE_LIMIT * 2);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.json()).toEqual({
        statusCode: 429,
        message: `rate limit of ${RATE_LIMIT} requests per second exceeded on POST /orders; retry after 1 s`,
      });
    }
    // and GET is not limited: every one answered by the controller
    expect(gets.map((r) => r.status)).toEqual(gets.map(() => 404));

    // and the accepted orders can be read
    const { orderId } = (await accepted[0].json()) as { orderId: string };
    const read = await fetch(`${orders.url}/orders/${orderId}`);
    expect(read.status).toBe(200);
  });

  it('accepts POST /orders again once the window has closed', async () => {
    // when: polling (refused requests do not count) until the next window opens
    const status = await waitFor(
      'POST /orders to be accepted again',
      async () => {
        const response = await post(validOrder());
        await response.arrayBuffer();
        return response.status === 202 ? response.status : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );

    // then
    expect(status).toBe(202);
  });

  it('answers 413 with a JSON message to a body over HTTP_BODY_LIMIT', async () => {
    // given: a valid order padded past 1kb
    const body = JSON.stringify({ ...validOrder(), customerId: 'c'.repeat(2048) });

    // when
    const response = await post(body);

    // then
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ statusCode: 413, message: 'request body larger than 1kb' });
  });

  it('answers 400 naming an unknown property', async () => {
    const response = await post({ ...validOrder(), discount: 100 });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string[] };
    expect(body.message).toContain('property discount should not exist');
  });
});
