// A tiny JSON client for e2e tests: status and parsed body, nothing hidden. Bodies are `any` on
// purpose: tests assert on their shape, which is the point of the test.
// One connection per request (no keep-alive): a pooled connection the server closes while idle can
// fail a request with ECONNRESET under load, and a retried POST could create a second order.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { request } from 'node:http';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

export function requestJson<T = any>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch {
            reject(new Error(`${method} ${url} answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
