// A Fastify onRequest hook in front of every route (and the 404 answer): the response headers that tell a browser not to sniff
// types, frame the page, leak the URL in Referer or let another site embed our responses, and a
// Content-Security-Policy that only allows same-origin content. Swagger UI (/docs) needs inline
// scripts and styles, so its paths get a relaxed policy; everything else (the JSON APIs and the
// operations console page of dlq-replayer, which loads its own script and stylesheet) gets the strict one.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { pathOf } from './request-path';

/** Same-origin only; inline styles allowed (style attributes written by the console's script), no inline scripts. */
export const STRICT_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI's page carries an inline <style> and its bundle injects inline styles and scripts. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** /docs, /docs/…, /docs-json and /docs-yaml: what SwaggerModule.setup('docs', …) serves. */
const DOCS_PATH = /^\/docs(\/|-json$|-yaml$|$)/;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function contentSecurityPolicyFor(path: string): string {
  return DOCS_PATH.test(path) ? DOCS_CSP : STRICT_CSP;
}

export function securityHeaders() {
  const headers = Object.entries(SECURITY_HEADERS);
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    for (const [name, value] of headers) reply.header(name, value);
    reply.header('Content-Security-Policy', contentSecurityPolicyFor(pathOf(request.url)));
    done();
  };
}
