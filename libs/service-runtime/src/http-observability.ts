// Express middleware in front of every route: a server span per request (continuing the caller's
// `traceparent` if it sent one), so work done for the request — an order and the events it causes —
// belongs to that trace, and the request's arrival is the start of its flow (`flow.started_at` in the
// baggage the events carry on); and the HTTP request metrics, labelled by route template, never by URL.
// A caller's own `baggage` header is not taken: this is the edge, and whatever it said would travel in
// the headers of every event the request causes.
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
    void inSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER, parentHeaders: traceContextOf(req), startsFlowAt: receivedAt, attributes: { 'http.request.method': req.method, 'url.path': req.path } }, async (span) => {
      next();
      await finished;
      if (req.route) span.updateName(`${req.method} ${req.baseUrl}${req.route.path}`);
      span.setAttribute('http.response.status_code', res.statusCode);
    });
  };
}

/** The caller's W3C trace context, and nothing else of its headers. */
function traceContextOf(req: Request): Record<string, string | undefined> {
  const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);
  return { traceparent: text(req.headers.traceparent), tracestate: text(req.headers.tracestate) };
}
