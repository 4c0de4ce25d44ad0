// What the function does with one batch: validate every record against the contract (libs/events),
// and send one "order confirmed" notification per StockReserved event, at most once per eventId.
// A record that is not a valid event fails the invocation with its coordinates, as Lambda expects:
// the event source then retries, bisects and finally sends it to the on-failure destination.
import { EventEnvelope, parseEvent, StockReservedV1Payload, TOPICS } from '@platform/events';
import { describeRecord, KafkaEvent, recordsOf, recordValue } from './kafka-event';
import { NotificationDeps } from './notification-config';
import { orderConfirmed } from './notifications/notification';

export interface BatchOutcome {
  sent: number;
  alreadySent: number;
}

export class InvalidRecordError extends Error {
  override name = 'InvalidRecordError';
}

export async function notifyOrderConfirmed(event: KafkaEvent, deps: NotificationDeps): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { sent: 0, alreadySent: 0 };
  for (const record of recordsOf(event)) {
    let envelope: EventEnvelope<StockReservedV1Payload>;
    try {
      envelope = parseEvent(TOPICS.stockReserved, recordValue(record)).envelope as EventEnvelope<StockReservedV1Payload>;
    } catch (error) {
      throw new InvalidRecordError(`${describeRecord(record)}: ${(error as Error).message}`, { cause: error });
    }
    if (await deps.idempotency.has(envelope.eventId)) {
      outcome.alreadySent++;
      continue;
    }
    await deps.sender.send(orderConfirmed(envelope));
    // Marked after sending: a crash in between may send twice (at-least-once), never zero times.
    await deps.idempotency.mark(envelope.eventId);
    outcome.sent++;
  }
  return outcome;
}
