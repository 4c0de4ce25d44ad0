// The 413 answer behind a real Express JSON parser, over a real socket: the client must get the
// JSON message even though the server stopped parsing at the limit.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { payloadTooLargeAsJson } from './body-limit';

describe('payloadTooLargeAsJson', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.use(express.json({ limit: '1kb' }));
    app.use(payloadTooLargeAsJson('1kb'));
    app.post('/echo', (req, res) => void res.json(req.body));
    await new Promise<void>((listening) => (server = app.listen(0, '127.0.0.1', () => listening())));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  });

  afterAll(() => new Promise((closed) => server.close(closed)));

  const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers 413 with a JSON message naming the limit', async () => {
    const response = await post(JSON.stringify({ padding: 'x'.repeat(2048) }));
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
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ statusCode: 413, message: 'request body larger than 1kb' });
    const next = await post('{"ok":true}');
    expect(await next.json()).toEqual({ ok: true });
  });

  it('leaves other parser errors to the next error handler', async () => {
    const response = await post('{not json');
    expect(response.status).toBe(400);
  });
});
