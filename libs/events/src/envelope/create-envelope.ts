// Builds a new envelope for an outgoing event. Producers never assemble envelopes by hand, so
// ids, timestamps and correlation are always set the same way.
import { randomUUID } from 'node:crypto';
import { EventDefinition } from '../event-definition';
import { EventEnvelope } from './event-envelope';

export interface NewEvent<P extends object> {
  definition: EventDefinition<P>;
  payload: P;
  aggregateId: string;
  source: string;
  /** Defaults to the aggregateId: a flow that starts here is correlated by its own aggregate. */
  correlationId?: string;
  /** The envelope that caused this event, if any: its eventId and correlationId carry over. */
  causedBy?: Pick<EventEnvelope, 'eventId' | 'correlationId'>;
}

export function createEnvelope<P extends object>(event: NewEvent<P>): EventEnvelope<P> {
  return {
    eventId: randomUUID(),
    type: event.definition.type,
    version: event.definition.version,
    occurredAt: new Date().toISOString(),
    aggregateId: event.aggregateId,
    correlationId: event.causedBy?.correlationId ?? event.correlationId ?? event.aggregateId,
    causationId: event.causedBy?.eventId ?? null,
    source: event.source,
    payload: event.payload,
  };
}
