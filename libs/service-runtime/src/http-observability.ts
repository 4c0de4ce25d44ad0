// In front of every route: a server span per request (continuing the caller's `traceparent` if it
// sent one), so work done for the request — an order and the events it causes — belongs to that trace,
// and the request's arrival is the start of its flow (`flow.started_at` in the baggage the events carry
// on); and the HTTP request metrics, labelled by route template, never by URL.
// A caller's own `baggage` header is not taken: this is the edge, and whatever it said would travel in
// the headers of every event the request causes.
// Fastify has no hook around the handler, so the span is started in onRequest (the first thing that
// sees a request), made active in preHandler, and ended when the response closes (below). Fastify
// calls the handler from preHandler's done() synchronously, so running done() inside the span makes
// the span the active one for the whole handler (Nest's guards, pipes and controller, and every
// promise they create). A Nest interceptor could do the same, but Nest then binds two AsyncResources
// per request, and on Node 20 each bind() builds two deprecation wrappers: 7% of order-service's CPU
// at 1,000 requests/s.
// The span ends and the request is counted when the response closes, not in Fastify's onResponse:
// a client that hangs up before its answer (a timeout, a cancelled page) never gets a 'finish', so
// onResponse never runs for it, and neither would its span end nor its request count. Such a request
// is counted with status 499 (nginx's "client closed request") and its span ends as failed.
import { counter, DetachedSpan, histogram, LATENCY_BUCKETS_SECONDS, METRIC_NAMES, SpanKind, startDetachedSpan } from '@platform/observability';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { performance } from 'node:perf_hooks';
import { pathOf } from './request-path';

/** Scrapes and probes are neither traced nor worth a span each. */
const UNTRACED = /^\/(metrics|health)(\/|$)/;

/** The status a request is counted with when its client went away before the answer was sent. */
export const CLIENT_CLOSED_REQUEST = 499;

/** The span of each request in flight; gone with the request. */
const requestSpans = new WeakMap<FastifyRequest, DetachedSpan>();

export interface HttpObservability {
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  preHandler(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
}

export function httpObservability(): HttpObservability {
  const requests = counter({ name: METRIC_NAMES.httpRequests, help: 'HTTP requests, by method, route and status (499: the client went away before the answer).', labelNames: ['method', 'route', 'status'] });
  const duration = histogram({
    name: METRIC_NAMES.httpRequestDuration,
    help: 'HTTP request duration in seconds, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS_SECONDS,
  });
  const closed = (request: FastifyRequest, reply: FastifyReply, arrivedAt: number) => {
    const answered = reply.raw.writableFinished;
    const status = answered ? reply.statusCode : CLIENT_CLOSED_REQUEST;
    // The route template keeps the label set small; a URL that matched no route is one label.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(status) };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - arrivedAt) / 1000);
    const error = answered ? undefined : new Error('the client closed the connection before the answer was sent');
    requestSpans.get(request)?.end(error, { 'http.response.status_code': status });
  };
  return {
    onRequest(request, reply, done) {
      const path = pathOf(request.url);
      if (!UNTRACED.test(path)) {
        // Fastify matched the route before onRequest: the span is named by its template from the start.
        const route = request.routeOptions.url;
        const span = startDetachedSpan(`${request.method} ${route ?? path}`, {
          kind: SpanKind.SERVER,
          parentHeaders: traceContextOf(request),
          startsFlowAt: Date.now(),
          attributes: () => ({ 'http.request.method': request.method, 'url.path': path, ...(route ? { 'http.route': route } : {}) }),
        });
        requestSpans.set(request, span);
      }
      // 'close' comes after 'finish' for an answered request, and alone for an abandoned one.
      // (Timed here: Fastify's reply.elapsedTime is only kept when an onResponse hook exists.)
      const arrivedAt = performance.now();
      reply.raw.once('close', () => closed(request, reply, arrivedAt));
      done();
    },
    preHandler(request, _reply, done) {
      const span = requestSpans.get(request);
      if (span) span.run(done);
      else done();
    },
  };
}

/** The caller's W3C trace context, and nothing else of its headers. */
function traceContextOf(request: FastifyRequest): Record<string, string | undefined> {
  const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);
  return { traceparent: text(request.headers.traceparent), tracestate: text(request.headers.tracestate) };
}
