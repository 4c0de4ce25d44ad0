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

/** Resolved on first read: most messages are handled without a log line, and reading ids has a price. */
interface StoredContext {
  readonly context: EventLogContext;
}

const storage = new AsyncLocalStorage<StoredContext>();

/**
 * Runs `work` with these ids added to the current ones. A function is called only when something
 * reads the context (a log line): the consumer passes one that parses the message's envelope.
 */
export function withEventContext<T>(eventContext: EventLogContext | (() => EventLogContext), work: () => T): T {
  const outer = storage.getStore();
  let resolved: EventLogContext | undefined;
  const stored: StoredContext = {
    get context() {
      return (resolved ??= { ...outer?.context, ...(typeof eventContext === 'function' ? eventContext() : eventContext) });
    },
  };
  return storage.run(stored, work);
}

export function currentEventContext(): EventLogContext | undefined {
  return storage.getStore()?.context;
}

/** Runs `work` with no event context at all (background work must not inherit its waker's ids). */
export function withoutEventContext<T>(work: () => T): T {
  return storage.exit(work);
}
