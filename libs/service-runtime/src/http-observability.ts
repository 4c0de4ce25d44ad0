// Express middleware in front of every route: a server span per request (continuing the caller's
// `traceparent` if it sent one), so work done for the request — an order and the events it causes —
// belongs to that trace, and the request's arrival is the start of its flow (`flow.started_at` in the
// baggage the events carry on, unless the caller's baggage says the flow began earlier); and the HTTP
// request metrics, labelled by route template, never by URL.
import { counter, histogram, inSpan, LATENCY_BUCKETS_SECONDS, METRIC_NAMES, SpanKind } from '@platform/observability';
import type { NextFunction, Request, Response } from 'express';

/** Scrapes and probes are neither traced nor worth a span each. */
const UNTRACED = /^\/(metrics|health)(\/|$)/;

export function httpObservability() {
  const requests = counter({ name: METRIC_NAMES.httpRequests, help: 'HTTP requests answered, by method, route and status.', labelNames: ['method', 'route', 'status'] });
  const duration = histogram({
    name: METRIC_NAMES.httpRequestDuration,
    help: 'HTTP request duration in seconds, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS_SECONDS,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const receivedAt = Date.now();
    const started = process.hrtime.bigint();
    const finished = new Promise<void>((done) => {
      res.once('finish', () => {
        // req.route is set once Express matched a route: its template keeps the label set small.
        const route = req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched';
        const labels = { method: req.method, route, status: String(res.statusCode) };
        requests.inc(labels);
        duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        done();
      });
      res.once('close', () => done());
    });
    if (UNTRACED.test(req.path)) return next();
    void inSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER, parentHeaders: req.headers as Record<string, string>, startsFlowAt: receivedAt, attributes: { 'http.request.method': req.method, 'url.path': req.path } }, async (span) => {
      next();
      await finished;
      if (req.route) span.updateName(`${req.method} ${req.baseUrl}${req.route.path}`);
      span.setAttribute('http.response.status_code', res.statusCode);
    });
  };
}
