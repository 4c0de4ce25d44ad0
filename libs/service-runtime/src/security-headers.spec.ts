import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentSecurityPolicyFor, DOCS_CSP, securityHeaders, STRICT_CSP } from './security-headers';

function headersFor(url: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  let passed = false;
  securityHeaders()({ url } as FastifyRequest, reply as unknown as FastifyReply, () => (passed = true));
  expect(passed).toBe(true);
  return headers;
}

describe('securityHeaders', () => {
  it('sets the security headers on every response', () => {
    expect(headersFor('/orders')).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Content-Security-Policy': STRICT_CSP,
    });
  });

  it('reads the path without the query string', () => {
    expect(headersFor('/docs?page=1')['Content-Security-Policy']).toBe(DOCS_CSP);
    expect(headersFor('/orders?docs')['Content-Security-Policy']).toBe(STRICT_CSP);
  });

  it('allows only same-origin content, no inline script, inline styles and data: images outside /docs', () => {
    expect(STRICT_CSP).toContain("default-src 'self'");
    expect(STRICT_CSP).toContain("style-src 'self' 'unsafe-inline'");
    expect(STRICT_CSP).toContain("img-src 'self' data:");
    expect(STRICT_CSP).toContain("frame-ancestors 'none'");
    expect(STRICT_CSP).not.toContain('script-src');
  });

  it.each(['/docs', '/docs/', '/docs/swagger-ui-init.js', '/docs-json', '/docs-yaml'])('relaxes the policy for Swagger UI on %s', (path) => {
    expect(contentSecurityPolicyFor(path)).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self' 'unsafe-inline'");
  });

  it.each(['/', '/console/assets/console.js', '/orders/docs', '/docsx', '/docs-json/x', '/health/ready'])('keeps the strict policy on %s', (path) => {
    expect(contentSecurityPolicyFor(path)).toBe(STRICT_CSP);
  });
});
