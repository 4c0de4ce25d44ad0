// The HTTP front every service gets from startService, over a real socket (Nest on Fastify, no Kafka):
// the body limit's 413 naming the limit (with or without Content-Length), parser and validation errors
// as JSON, security headers on every answer, the request's trace and flow start seen by its handler,
// and the HTTP metrics labelled by route template (a request its client abandoned included).
import { Body, Controller, Get, HttpCode, INestApplication, Module, Param, Post } from '@nestjs/common';
import { flowStartedAtOf, METRIC_NAMES, traceHeaders, traceIdOf } from '@platform/observability';
import { IsString } from 'class-validator';
import { connect, type AddressInfo } from 'node:net';
import { MetricsController } from './metrics.controller';
import { startService } from './start-service';

class EchoRequest {
  @IsString()
  text!: string;
}

@Controller()
class EchoController {
  @Post('echo')
  @HttpCode(202)
  echo(@Body() request: EchoRequest) {
    return { text: request.text, headers: traceHeaders() };
  }

  @Get('items/:id')
  item(@Param('id') id: string) {
    return { id };
  }

  @Get('slow')
  async slow() {
    slowHandler.started = true;
    await new Promise((resolve) => setTimeout(resolve, 300));
    slowHandler.finished = true;
    return { slow: true };
  }
}

/** Where the slow handler is: the abandoned-request test hangs up while it runs, and checks after it. */
const slowHandler = { started: false, finished: false };

@Module({ controllers: [EchoController, MetricsController] })
class EchoModule {}

describe('startService (HTTP)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    process.env.LOG_LEVEL ??= 'warn';
    app = await startService({ name: 'spec-service', description: 'spec', module: EchoModule, port: 0, host: '127.0.0.1', bodyLimit: '1kb' });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers 400 naming the field for text holding NUL, which PostgreSQL cannot store', async () => {
    const body = await post(JSON.stringify({ text: 'a\u0000b' }));
    expect(body.status).toBe(400);
    expect(await body.json()).toEqual({ statusCode: 400, message: 'body.text must not contain the NUL character (U+0000)', error: 'Bad Request' });
    const path = await fetch(`${url}/items/a%00b`);
    expect(path.status).toBe(400);
    expect(((await path.json()) as { message: string }).message).toBe('path.id must not contain the NUL character (U+0000)');
    expect((await post(JSON.stringify({ text: 'a\\u0000b' }))).status).toBe(202); // an escaped backslash: text, not NUL
  });

  it('answers 413 with a JSON message naming the limit', async () => {
    const response = await post(JSON.stringify({ text: 'x'.repeat(2048) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ statusCode: 413, message: 'request body larger than 1kb' });
  });

  it('answers 413 for a body sent without a length (chunked) too, and still serves the next request', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
        controller.close();
      },
    });
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ statusCode: 413, message: 'request body larger than 1kb' });
    const next = await post(JSON.stringify({ text: 'ok' }));
    expect(next.status).toBe(202);
    expect(await next.json()).toMatchObject({ text: 'ok' });
  });

  it('answers 400 with the reason to a body that is not JSON, and to one that fails validation', async () => {
    const broken = await post('{not json');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/JSON/);
    const invalid = await post(JSON.stringify({ text: 5, extra: true }));
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string[] }).message).toEqual(expect.arrayContaining(['property extra should not exist', 'text must be a string']));
  });

  it('sends the security headers on every answer, a 404 included, and no X-Powered-By', async () => {
    for (const response of [await post(JSON.stringify({ text: 'a' })), await fetch(`${url}/nowhere`)]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.has('x-powered-by')).toBe(false);
    }
  });

  it("runs the handler in the request's span: the caller's trace continues, and the flow starts at the request's arrival", async () => {
    const traceId = 'c'.repeat(32);
    const before = Date.now();
    const response = await post(JSON.stringify({ text: 'traced' }), { traceparent: `00-${traceId}-${'d'.repeat(16)}-01`, baggage: 'flow.started_at=1' });
    const { headers } = (await response.json()) as { headers: Record<string, string> };
    expect(traceIdOf(headers.traceparent)).toBe(traceId);
    // the caller's baggage is not taken: the flow starts here
    const startedAt = flowStartedAtOf(headers.baggage) ?? 0;
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(startedAt).toBeLessThanOrEqual(Date.now());
  });

  it('counts requests by route template and status, never by URL', async () => {
    await fetch(`${url}/items/a-1`);
    expect((await fetch(`${url}/items/b-2/`)).status).toBe(200); // a trailing slash is ignored
    await fetch(`${url}/nowhere/else`);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(new RegExp(`^${METRIC_NAMES.httpRequests}\\{method="GET",route="/items/:id",status="200"[^}]*\\} 2$`, 'm'));
    expect(text).toMatch(new RegExp(`^${METRIC_NAMES.httpRequests}\\{method="GET",route="unmatched",status="404"[^}]*\\} \\d+$`, 'm'));
    expect(text).not.toContain('a-1');
  });

  it('counts a request whose client hung up before the answer as 499', async () => {
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /slow HTTP/1.1\r\nHost: spec\r\n\r\n'));
    const until = async (condition: () => boolean | Promise<boolean>) => {
      for (const deadline = Date.now() + 5000; !(await condition()) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(() => slowHandler.started);
    socket.destroy();
    const counted = new RegExp(`^${METRIC_NAMES.httpRequests}\\{method="GET",route="/slow",status="499"[^}]*\\} 1$`, 'm');
    let text = '';
    await until(async () => counted.test((text = await (await fetch(`${url}/metrics`)).text())));
    expect(text).toMatch(counted);
    // and once the handler has answered into the closed connection, it is not counted again as a 200
    await until(() => slowHandler.finished);
    await new Promise((resolve) => setTimeout(resolve, 50));
    text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(counted);
    expect(text).not.toMatch(/route="\/slow",status="200"/);
  });

  it('matches paths as Express did: trailing slash and letter case ignored, parameters kept as sent', async () => {
    expect(await (await fetch(`${url}/items/AbC/`)).json()).toEqual({ id: 'AbC' });
    expect(await (await fetch(`${url}/Items/AbC`)).json()).toEqual({ id: 'AbC' });
  });
});
