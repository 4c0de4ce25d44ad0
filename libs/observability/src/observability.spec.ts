// The log, trace and metric plumbing in one process: a log line written while an event is handled
// carries its ids and trace id; a trace continues across a `traceparent` header; metrics render in
// Prometheus text with the service label.
import { SpanKind } from '@opentelemetry/api';
import type { DestinationStream } from 'pino';
import { runDetached } from './detached-work';
import { currentEventContext, withEventContext } from './logging/event-context';
import { JsonLogger, logSettingsFromEnv } from './logging/json-logger';
import { registerLagSource } from './metrics/consumer-lag';
import { messagingMetrics } from './metrics/messaging-metrics';
import { METRIC_NAMES } from './metrics/metric-names';
import { initMetrics, metricsRegistry } from './metrics/registry';
import { FLOW_STARTED_AT, flowStartedAtOf } from './tracing/flow-start';
import { currentTraceId, initTracing, inSpan, startDetachedSpan, traceHeaders, traceIdOf } from './tracing/tracing';

function capture(): { lines: string[]; stream: DestinationStream } {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

beforeAll(() => {
  initTracing('spec-service', {});
  initMetrics('spec-service');
});

describe('JsonLogger', () => {
  it('writes one JSON object per line with service, context, message, and the ids of the event being handled', async () => {
    const { lines, stream } = capture();
    const logger = new JsonLogger({ service: 'spec-service', destination: stream });
    logger.log('outside any event', 'Spec');
    let traceId: string | undefined;
    await withEventContext({ eventId: 'e-1', correlationId: 'order-1' }, () =>
      inSpan('handle', { kind: SpanKind.CONSUMER }, async () => {
        traceId = currentTraceId();
        logger.warn('inside', 'Spec');
      }),
    );
    const [outside, inside] = lines.map((line) => JSON.parse(line));
    expect(outside).toMatchObject({ level: 'info', service: 'spec-service', context: 'Spec', msg: 'outside any event' });
    expect(outside.eventId).toBeUndefined();
    expect(inside).toMatchObject({ level: 'warn', msg: 'inside', eventId: 'e-1', correlationId: 'order-1', traceId });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads an event context given as a function only when something asks, once, on top of the outer one', async () => {
    const { lines, stream } = capture();
    const logger = new JsonLogger({ service: 'spec-service', destination: stream });
    let reads = 0;
    const ids = () => (reads++, { eventId: 'e-3', topic: 't' });
    await withEventContext({ correlationId: 'order-3', eventId: 'outer' }, () =>
      withEventContext(ids, async () => {
        await new Promise((done) => setTimeout(done, 1));
        expect(reads).toBe(0); // nothing logged yet: the message's ids were never parsed
        logger.log('first', 'Spec');
        logger.log('second', 'Spec');
      }),
    );
    expect(reads).toBe(1);
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { msg: 'first', eventId: 'e-3', correlationId: 'order-3', topic: 't' },
      { msg: 'second', eventId: 'e-3', correlationId: 'order-3', topic: 't' },
    ]);
  });

  it('logs an error with its stack, and prints a readable line in pretty format', () => {
    const json = capture();
    new JsonLogger({ service: 's', destination: json.stream }).error('it broke', 'Error: it broke\n    at here', 'Spec');
    expect(JSON.parse(json.lines[0])).toMatchObject({ level: 'error', msg: 'it broke', context: 'Spec', stack: 'Error: it broke\n    at here' });

    const pretty = capture();
    withEventContext({ eventId: 'e-2', correlationId: 'order-2' }, () => new JsonLogger({ service: 's', format: 'pretty', destination: pretty.stream }).log('hello', 'Spec'));
    expect(pretty.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[Spec\] hello {2}eventId=e-2 correlationId=order-2\n$/);
  });

  it('validates LOG_FORMAT and LOG_LEVEL', () => {
    expect(logSettingsFromEnv({})).toEqual({ format: 'json', level: 'info' });
    expect(() => logSettingsFromEnv({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT must be json or pretty, got "xml"');
    expect(() => logSettingsFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of .*debug/);
  });
});

describe('trace propagation', () => {
  it('puts the active trace in a traceparent header, and a span started from that header continues the trace', async () => {
    const sent = await inSpan('POST /orders', { kind: SpanKind.SERVER }, async () => ({ headers: traceHeaders(), traceId: currentTraceId() }));
    // No OTLP endpoint here: spans are not recorded (flag 00), their ids travel all the same.
    expect(sent.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(traceIdOf(sent.headers.traceparent)).toBe(sent.traceId);

    const received = await inSpan('process order.order-service.created', { kind: SpanKind.CONSUMER, parentHeaders: sent.headers }, async () => currentTraceId());
    expect(received).toBe(sent.traceId);
  });

  it('starts a new trace when there is no parent, and records a failure without swallowing it', async () => {
    const first = await inSpan('a', {}, async () => currentTraceId());
    const second = await inSpan('b', {}, async () => currentTraceId());
    expect(first).not.toBe(second);
    await expect(inSpan('c', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(traceHeaders()).toEqual({});
    expect(currentEventContext()).toBeUndefined();
  });

  it('runs detached work, and what it starts later, outside the event and trace of the caller that woke it', async () => {
    const seen = await withEventContext({ eventId: 'e-1' }, () =>
      inSpan('process', {}, async () => {
        const inside = { event: currentEventContext()?.eventId, trace: currentTraceId() };
        const detached = await runDetached(async () => {
          await new Promise((done) => setTimeout(done, 1));
          return { event: currentEventContext()?.eventId, trace: currentTraceId() };
        });
        return { inside, detached, after: currentEventContext()?.eventId };
      }),
    );
    expect(seen.inside.event).toBe('e-1');
    expect(seen.inside.trace).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.detached).toEqual({ event: undefined, trace: undefined });
    expect(seen.after).toBe('e-1');
  });
});

describe('flow start (baggage)', () => {
  it('stamps the start of a flow on the first span and carries it through every later hop', async () => {
    // an HTTP request begins the flow: its events carry the time in baggage, next to traceparent
    const sent = await inSpan('POST /orders', { kind: SpanKind.SERVER, startsFlowAt: 1_764_000_000_123 }, async () => traceHeaders());
    expect(sent.baggage).toBe(`${FLOW_STARTED_AT}=1764000000123`);
    // a consumer of that event, and what it publishes in turn, carry the same start
    const consumer = startDetachedSpan('process order.order-service.created', { kind: SpanKind.CONSUMER, parentHeaders: sent });
    expect(flowStartedAtOf(consumer.headers().baggage)).toBe(1_764_000_000_123);
    expect(consumer.run(() => flowStartedAtOf(traceHeaders().baggage))).toBe(1_764_000_000_123);
  });

  it('stamps the start of a flow on a detached span too (an HTTP request, made active only around its handler)', () => {
    const request = startDetachedSpan('POST /orders', { kind: SpanKind.SERVER, startsFlowAt: 1_764_000_000_456 });
    expect(flowStartedAtOf(request.run(() => traceHeaders().baggage))).toBe(1_764_000_000_456);
    const upstream = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, baggage: `${FLOW_STARTED_AT}=1000` };
    const continued = startDetachedSpan('POST /orders', { kind: SpanKind.SERVER, parentHeaders: upstream, startsFlowAt: 2000 });
    expect(flowStartedAtOf(continued.headers().baggage)).toBe(1000);
    expect(traceIdOf(continued.headers().traceparent)).toBe('a'.repeat(32));
  });

  it('keeps the start of a flow that began upstream, and other baggage entries with it', async () => {
    const upstream = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, baggage: `tenant=acme,${FLOW_STARTED_AT}=1000` };
    const sent = await inSpan('POST /orders', { kind: SpanKind.SERVER, parentHeaders: upstream, startsFlowAt: 2000 }, async () => traceHeaders());
    expect(flowStartedAtOf(sent.baggage)).toBe(1000);
    expect(sent.baggage).toContain('tenant=acme');
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['tenant=acme', undefined],
    [`${FLOW_STARTED_AT}=soon`, undefined],
    [`${FLOW_STARTED_AT}=-5`, undefined],
    [`tenant=acme;ttl=5, ${FLOW_STARTED_AT} = 1764000000123;p=1`, 1_764_000_000_123],
  ])('reads the start from the baggage header %j as %j', (header, expected) => {
    expect(flowStartedAtOf(header)).toBe(expected);
  });
});

describe('metrics', () => {
  it('renders counters and the consumer lag of every registered source, labelled with the service', async () => {
    messagingMetrics.consumed().inc({ topic: 'order.order-service.created', group: 'inventory-service', outcome: 'processed' }, 3);
    const unregister = registerLagSource(async () => [{ group: 'inventory-service', topic: 'order.order-service.created', partition: 2, lag: 7 }]);
    const text = await metricsRegistry.metrics();
    expect(text).toContain(`${METRIC_NAMES.messagesConsumed}{topic="order.order-service.created",group="inventory-service",outcome="processed",service="spec-service"} 3`);
    expect(text).toContain(`${METRIC_NAMES.consumerLag}{group="inventory-service",topic="order.order-service.created",partition="2",service="spec-service"} 7`);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="spec-service"\} \d+/m);
    unregister();
    expect(await metricsRegistry.metrics()).not.toContain(`${METRIC_NAMES.consumerLag}{`);
  });
});
