// Applies inventory-service's answers to orders, exactly once per event: the processed-event records
// and the status changes of a batch are one statement (one round trip, atomic by itself), so a
// redelivered StockReserved/StockRejected changes nothing. Answers are applied in the order given; an
// order settles once, and a later answer for it is reported and ignored.
import { Injectable, Logger } from '@nestjs/common';
import { ProcessedEvents } from '@platform/database';
import { EventEnvelope, StockRejectedV1Payload, StockReservedV1Payload } from '@platform/events';
import { orderMetrics } from '@platform/observability';
import { OrdersRepository } from './orders.repository';

type FinalStatus = 'CONFIRMED' | 'REJECTED';

/** An answer event, and (from a Kafka batch) the log context of its message. */
export interface StockAnswer<P extends object> {
  envelope: EventEnvelope<P>;
  inContext?<T>(work: () => T): T;
}

type SettleOutcome = { acceptedAt: Date } | 'duplicate' | 'not-pending';

interface Settlement {
  answer: StockAnswer<object>;
  orderId: string;
  status: FinalStatus;
  reason: string | null;
}

@Injectable()
export class SettleOrderService {
  private readonly logger = new Logger(SettleOrderService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly processed: ProcessedEvents,
  ) {}

  confirm(event: EventEnvelope<StockReservedV1Payload>): Promise<void> {
    return this.confirmAll([{ envelope: event }]);
  }

  reject(event: EventEnvelope<StockRejectedV1Payload>): Promise<void> {
    return this.rejectAll([{ envelope: event }]);
  }

  confirmAll(answers: StockAnswer<StockReservedV1Payload>[]): Promise<void> {
    return this.settleAll(answers.map((answer) => ({ answer, orderId: answer.envelope.payload.orderId, status: 'CONFIRMED', reason: null })));
  }

  rejectAll(answers: StockAnswer<StockRejectedV1Payload>[]): Promise<void> {
    return this.settleAll(
      answers.map((answer) => ({ answer, orderId: answer.envelope.payload.orderId, status: 'REJECTED', reason: answer.envelope.payload.reason })),
    );
  }

  private async settleAll(settlements: Settlement[]): Promise<void> {
    const envelopes = settlements.map(({ answer }) => answer.envelope);
    const { firstSeen, applied } = await this.orders.settleFirstSeen(
      this.processed.firstSeenStatement(envelopes),
      settlements.map(({ answer, orderId, status, reason }) => ({ eventId: answer.envelope.eventId, orderId, status, reason })),
    );
    const outcomes = settlements.map(({ answer }): SettleOutcome => {
      // An id comes back once even if its event came twice: only its first occurrence is fresh.
      if (!firstSeen.delete(answer.envelope.eventId)) return 'duplicate';
      const acceptedAt = applied.get(answer.envelope.eventId);
      return acceptedAt ? { acceptedAt } : 'not-pending';
    });
    settlements.forEach((settlement, index) => this.report(settlement, outcomes[index]));
  }

  private report({ answer, orderId, status, reason }: Settlement, outcome: SettleOutcome): void {
    if (outcome === 'duplicate') return;
    if (typeof outcome === 'object') {
      orderMetrics.settled().inc({ status });
      orderMetrics.endToEnd().observe((Date.now() - outcome.acceptedAt.getTime()) / 1000);
    }
    const log = () =>
      typeof outcome === 'object'
        ? this.logger.log(`order ${orderId} ${status}${reason ? ` (${reason})` : ''}`)
        : this.logger.warn(`order ${orderId} was not PENDING (unknown or already settled); ${answer.envelope.type} ${answer.envelope.eventId} ignored`);
    if (answer.inContext) answer.inContext(log);
    else log();
  }
}
