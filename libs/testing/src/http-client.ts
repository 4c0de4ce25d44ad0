// A tiny JSON client for e2e tests: status and parsed body, nothing hidden. Bodies are `any` on
// purpose: tests assert on their shape, which is the point of the test.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

export async function requestJson<T = any>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
