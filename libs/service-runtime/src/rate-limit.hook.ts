// Route rate limits for startService: a Fastify onRequest hook that counts the requests of one route
// in a FixedWindowRateLimiter and answers 429 with Retry-After past the limit. onRequest runs before
// the body is read, so a refused request costs almost nothing. Per process: see the limiter.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

export interface RouteRateLimit {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as its controller declares it, e.g. `/orders` or `/orders/:id`. */
  path: string;
  requestsPerSecond: number;
}

export function routeLabel(route: Pick<RouteRateLimit, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function rateLimitMessage(route: RouteRateLimit, retryAfterSeconds: number): string {
  return `rate limit of ${route.requestsPerSecond} requests per second exceeded on ${routeLabel(route)}; retry after ${retryAfterSeconds} s`;
}

/** The hook for one route; other methods and routes pass through untouched. */
export function rateLimitHook(route: RouteRateLimit, now?: () => number) {
  const limiter = new FixedWindowRateLimiter({ limit: route.requestsPerSecond, windowMs: 1000, now });
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // Fastify has matched the route before onRequest: comparing its template counts exactly the
    // requests the route's handler would get, whatever spelling of the URL reached it.
    if (request.method !== route.method || request.routeOptions.url !== route.path) return done();
    const decision = limiter.take();
    if (decision.allowed) return done();
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    // Answered here, so done() is not called: Fastify skips the rest of the request.
    void reply.code(429).header('Retry-After', String(retryAfterSeconds)).send({ statusCode: 429, message: rateLimitMessage(route, retryAfterSeconds) });
  };
}
