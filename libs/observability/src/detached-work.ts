// Background work that a request or an event merely woke up (an outbox relay's drain, its deletes)
// must not run in that caller's context: its log lines would carry the caller's event and trace ids,
// which send an operator tracing one order to lines about other orders.
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { withoutEventContext } from './logging/event-context';

/** Runs `work` (and everything it starts) outside the caller's event log context and trace. */
export function runDetached<T>(work: () => T): T {
  return withoutEventContext(() => context.with(ROOT_CONTEXT, work));
}
