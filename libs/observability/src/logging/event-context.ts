// The event being handled right now, per async call chain: the consumer transport sets it around a
// handler, and every log line written inside (by any logger) carries its ids.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface EventLogContext {
  eventId?: string;
  correlationId?: string;
  eventType?: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

const storage = new AsyncLocalStorage<EventLogContext>();

export function withEventContext<T>(eventContext: EventLogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...eventContext }, work);
}

export function currentEventContext(): EventLogContext | undefined {
  return storage.getStore();
}

/** Runs `work` with no event context at all (background work must not inherit its waker's ids). */
export function withoutEventContext<T>(work: () => T): T {
  return storage.exit(work);
}
