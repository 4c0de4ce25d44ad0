// When the business flow a message belongs to began — order-service received the HTTP request that
// placed the order — travels next to the trace context as W3C baggage (`baggage: flow.started_at=<epoch
// ms>`). Every event the flow causes carries it on, the way `traceparent` is carried, so any consumer
// or tool can tell how long ago its flow began without asking the services in between: the load test's
// "from HTTP receipt" latency and the `eventbus_flow_age_seconds` metric are read from it.
import { Context, propagation } from '@opentelemetry/api';

export const FLOW_STARTED_AT = 'flow.started_at';

/** `parent` with its flow starting at `at` (epoch ms), unless it already has a start: the flow began upstream. */
export function withFlowStart(parent: Context, at: number): Context {
  const baggage = propagation.getBaggage(parent);
  if (baggage?.getEntry(FLOW_STARTED_AT)) return parent;
  return propagation.setBaggage(parent, (baggage ?? propagation.createBaggage()).setEntry(FLOW_STARTED_AT, { value: String(at) }));
}

/**
 * The flow's start (epoch ms) in a `baggage` header value, if it holds a valid one. Parsed by hand, not
 * with the propagator: tools that do not set up tracing read it too, and this runs for every message.
 */
export function flowStartedAtOf(baggageHeader: string | undefined): number | undefined {
  if (!baggageHeader) return undefined;
  for (const member of baggageHeader.split(',')) {
    const pair = member.split(';', 1)[0];
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== FLOW_STARTED_AT) continue;
    const at = Number(pair.slice(equals + 1).trim());
    return Number.isSafeInteger(at) && at > 0 ? at : undefined;
  }
  return undefined;
}
