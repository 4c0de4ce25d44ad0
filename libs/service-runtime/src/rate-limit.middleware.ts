// Route rate limits for startService: Express middleware that counts the requests of one method and
// path in a FixedWindowRateLimiter and answers 429 with Retry-After past the limit. It runs before
// the body is parsed, so a refused request costs almost nothing. Per process: see the limiter.
import type { NextFunction, Request, Response } from 'express';
import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

export interface RouteRateLimit {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The exact path, e.g. `/orders`; no parameters (a trailing slash is tolerated). */
  path: string;
  requestsPerSecond: number;
}

export function routeLabel(route: Pick<RouteRateLimit, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function rateLimitMessage(route: RouteRateLimit, retryAfterSeconds: number): string {
  return `rate limit of ${route.requestsPerSecond} requests per second exceeded on ${routeLabel(route)}; retry after ${retryAfterSeconds} s`;
}

/** Middleware for one route; other methods and paths pass through untouched. */
export function rateLimitMiddleware(route: RouteRateLimit, now?: () => number) {
  const limiter = new FixedWindowRateLimiter({ limit: route.requestsPerSecond, windowMs: 1000, now });
  // Express matches paths case-insensitively and ignores a trailing slash: so does this check.
  const normalize = (path: string) => path.replace(/\/+$/, '').toLowerCase();
  const path = normalize(route.path);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== route.method || normalize(req.path) !== path) return next();
    const decision = limiter.take();
    if (decision.allowed) return next();
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    res.setHeader('Retry-After', String(retryAfterSeconds));
    res.status(429).json({ statusCode: 429, message: rateLimitMessage(route, retryAfterSeconds) });
  };
}
