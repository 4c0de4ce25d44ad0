// Distributed tracing with OpenTelemetry and W3C Trace Context. Every service starts a tracer at
// boot; a span's context travels in the `traceparent` Kafka header (written into the outbox with
// the event, read back by the consumer), so one order — HTTP request, OrderCreated, reservation,
// StockReserved, settlement — is one trace across processes.
// Spans are recorded and exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set. Otherwise nothing would ever read them, so they are not
// recorded at all: a span is then only its ids (trace id kept from the parent, a new span id), which
// still travel in headers and log lines, at a fraction of the cost per message (sampled flag 00).
import { Attributes, Context, context, isSpanContextValid, propagation, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { withFlowStart } from './flow-start';

let provider: BasicTracerProvider | undefined;
let serviceName = 'unknown-service';
let cachedTracer: Tracer | undefined;
/** Until initTracing says otherwise: a tracer provider set up elsewhere may record. */
let recordsSpans = true;

/** This service's tracer (looked up once: it is asked for by every message). */
function tracer(): Tracer {
  return (cachedTracer ??= trace.getTracer(serviceName));
}

export interface TracingStatus {
  exporting: boolean;
  endpoint?: string;
}

/** Sets up the tracer of this process once; later calls return the same status. */
export function initTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingStatus {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined);
  if (provider) return { exporting: Boolean(endpoint), endpoint };
  serviceName = service;
  cachedTracer = undefined;
  recordsSpans = Boolean(endpoint);
  const spanProcessors: SpanProcessor[] = endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))] : [];
  // Exporting: record every span, also under a parent from a service that does not export (its
  // traceparent says "not sampled"), so one exporting service still shows its part of each flow.
  const sampler = endpoint ? new AlwaysOnSampler() : new AlwaysOffSampler();
  provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors, sampler });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Baggage next to the trace context: it carries when the flow began (flow-start.ts).
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  return { exporting: Boolean(endpoint), endpoint };
}

/** Flushes spans still buffered for the exporter (on shutdown). */
export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

/** The current trace context as headers (`traceparent`, maybe `tracestate` and `baggage`) to send with a message. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace id of the active span, for log lines (recorded or not: the id is what ties lines together). */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The trace id inside a `traceparent` header value (00-<trace-id>-<span-id>-<flags>). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];
}

export interface SpanOptions {
  kind?: SpanKind;
  /** A function is called only for a recorded span: attributes of a span nobody reads cost nothing. */
  attributes?: Attributes | (() => Attributes);
  /** Headers carrying the parent's context (a Kafka message's, an HTTP request's). */
  parentHeaders?: Record<string, string | undefined>;
  /** This span begins a business flow at this time (epoch ms), unless the parent's flow began earlier. */
  startsFlowAt?: number;
}

/** Runs `work` inside a new active span (child of `parentHeaders` if given); records a failure on it. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = parentContext(options);
  return tracer().startActiveSpan(name, { kind: options.kind }, parent, async (span) => {
    setAttributes(span, options);
    try {
      return await work(span);
    } catch (error) {
      endFailed(span, error);
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
  /** Ends the span, marked failed if `error` is given, with `attributes` learnt at the end (a status code). */
  end(error?: unknown, attributes?: Attributes): void;
}

/**
 * A span (child of `parentHeaders` if given) that is not made the active one. A recorded span starts
 * now; one that is not recorded is only ids, so it is created when something first asks for them
 * (headers, run): a message whose handler neither logs nor publishes never pays for one.
 */
export function startDetachedSpan(name: string, options: SpanOptions): DetachedSpan {
  const handle = new SpanHandle(name, options, context.active());
  if (recordsSpans) handle.started();
  return handle;
}

// A class, not an object of closures: a batch holds hundreds of these at once.
class SpanHandle implements DetachedSpan {
  private span?: Span;
  private spanContext?: Context;

  constructor(
    private readonly name: string,
    private readonly options: SpanOptions,
    private readonly activeAtStart: Context,
  ) {}

  started(): Context {
    if (!this.spanContext) {
      const parent = parentContext(this.options, this.activeAtStart);
      this.span = tracer().startSpan(this.name, { kind: this.options.kind }, parent);
      setAttributes(this.span, this.options);
      this.spanContext = trace.setSpan(parent, this.span);
    }
    return this.spanContext;
  }

  headers(): Record<string, string> {
    const carrier: Record<string, string> = {};
    propagation.inject(this.started(), carrier);
    return carrier;
  }

  run<T>(work: () => T): T {
    return context.with(this.started(), work);
  }

  end(error?: unknown, attributes?: Attributes): void {
    if (!this.span) return; // never asked for: nothing to end
    if (attributes && this.span.isRecording()) this.span.setAttributes(attributes);
    if (error !== undefined) endFailed(this.span, error);
    this.span.end();
  }
}

/** The caller's context (from `parentHeaders` if given, else `active`), with the flow's start if this span begins one. */
function parentContext(options: SpanOptions, active: Context = context.active()): Context {
  const parent = options.parentHeaders ? propagation.extract(active, options.parentHeaders) : active;
  return options.startsFlowAt === undefined ? parent : withFlowStart(parent, options.startsFlowAt);
}

function setAttributes(span: Span, { attributes }: SpanOptions): void {
  if (!attributes || !span.isRecording()) return;
  span.setAttributes(typeof attributes === 'function' ? attributes() : attributes);
}

function endFailed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
}
