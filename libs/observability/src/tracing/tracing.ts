// Distributed tracing with OpenTelemetry and W3C Trace Context. Every service starts a tracer at
// boot; a span's context travels in the `traceparent` Kafka header (written into the outbox with
// the event, read back by the consumer), so one order — HTTP request, OrderCreated, reservation,
// StockReserved, settlement — is one trace across processes.
// Spans are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; otherwise they exist only to carry ids into headers
// and log lines.
import { Attributes, context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';

let provider: BasicTracerProvider | undefined;
let serviceName = 'unknown-service';

export interface TracingStatus {
  exporting: boolean;
  endpoint?: string;
}

/** Sets up the tracer of this process once; later calls return the same status. */
export function initTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingStatus {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined);
  if (provider) return { exporting: Boolean(endpoint), endpoint };
  serviceName = service;
  const spanProcessors: SpanProcessor[] = endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))] : [];
  provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { exporting: Boolean(endpoint), endpoint };
}

/** Flushes spans still buffered for the exporter (on shutdown). */
export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

/** The current trace context as headers (`traceparent`, maybe `tracestate`) to send with a message. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace id of the active span, for log lines. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

/** The trace id inside a `traceparent` header value (00-<trace-id>-<span-id>-<flags>). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Headers carrying the parent's context (a Kafka message's, an HTTP request's). */
  parentHeaders?: Record<string, string | undefined>;
}

/** Runs `work` inside a new active span (child of `parentHeaders` if given); records a failure on it. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parentHeaders ? propagation.extract(context.active(), options.parentHeaders) : context.active();
  return trace.getTracer(serviceName).startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };

/** A span that is not made active: for one message of a batch, handled alongside the others. */
export interface DetachedSpan {
  /** This span's context as headers (`traceparent`), for what the message causes. */
  headers(): Record<string, string>;
  /** Runs `work` with this span active, so log lines and nested spans belong to it. */
  run<T>(work: () => T): T;
  /** Ends the span, marked failed if `error` is given. */
  end(error?: unknown): void;
}

/** Starts a span (child of `parentHeaders` if given) without making it the active one. */
export function startDetachedSpan(name: string, options: SpanOptions): DetachedSpan {
  const parent = options.parentHeaders ? propagation.extract(context.active(), options.parentHeaders) : context.active();
  const span = trace.getTracer(serviceName).startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  const spanContext = trace.setSpan(parent, span);
  return {
    headers() {
      const carrier: Record<string, string> = {};
      propagation.inject(spanContext, carrier);
      return carrier;
    },
    run: (work) => context.with(spanContext, work),
    end(error) {
      if (error !== undefined) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      }
      span.end();
    },
  };
}
