// Reserving orders' items: all or nothing per order, never below zero, exactly once per OrderCreated
// event. A batch of events is applied atomically: the processed-event records, the new levels and the
// answers (StockReserved or StockRejected) in the outbox commit together; the answers are handed to the
// relay after commit and published at once. The orders are decided one after another in offset order,
// against levels that already count the earlier ones: the same outcomes as one event per transaction.
//
// Two ways to apply a batch, one outcome. Usually every SKU exists and has enough for all of the
// batch's orders together; then every order is reserved, whatever the order they are decided in, and
// one statement without a transaction around it locks the rows, checks that, and writes everything
// (reserveIfAllFit): one round trip to PostgreSQL instead of four (BEGIN, lock, write, COMMIT), and
// round trips are most of a batch's time on a busy machine. Otherwise (a SKU unknown or short, an
// event seen before) that statement changes nothing and the batch is decided order by order in a
// transaction (decideInOrder).
import { Injectable, Logger } from '@nestjs/common';
import {
  ClaimedOutboxRow,
  GroupCommit,
  isAlreadyProcessedError,
  OutboxMessage,
  OutboxStore,
  ProcessedEvents,
  rowsOf,
  ServiceDatabase,
} from '@platform/database';
import { sql } from 'drizzle-orm';
import {
  createEnvelope,
  EventEnvelope,
  OrderCreatedV2Payload,
  SERVICES,
  StockRejectedV1,
  StockRejectionReason,
  StockReservedV1,
  TOPICS,
} from '@platform/events';
import { OutboxRelay } from '@platform/messaging';
import { levelsOf, StockRepository, Tx } from './stock.repository';

/** The largest level the stock table's integer column holds. */
const MAX_STOCK_LEVEL = 2_147_483_647;

export type ReservationOutcome = 'reserved' | StockRejectionReason | 'duplicate';

/** An OrderCreated event, and (from a Kafka batch) the trace headers and log context of its message. */
export interface ReservationRequest {
  envelope: EventEnvelope<OrderCreatedV2Payload>;
  traceHeaders?: Record<string, string>;
  inContext?<T>(work: () => T): T;
}

/** A batch applied: each request's outcome, and the answers written (claimed for this service's relay). */
interface AppliedBatch {
  outcomes: ReservationOutcome[];
  outboxRows: ClaimedOutboxRow[];
}

@Injectable()
export class ReserveStockService {
  private readonly logger = new Logger(ReserveStockService.name);

  constructor(
    private readonly database: ServiceDatabase,
    private readonly stock: StockRepository,
    private readonly processed: ProcessedEvents,
    private readonly outbox: OutboxStore,
    private readonly relay: OutboxRelay,
  ) {}

  async reserve(event: EventEnvelope<OrderCreatedV2Payload>): Promise<ReservationOutcome> {
    const [outcome] = await this.reserveAll([{ envelope: event }]);
    return outcome;
  }

  /**
   * The outcome of each request, in order. Batches of the partitions handled in parallel go into one
   * transaction together (GroupCommit): one set of round trips instead of one per partition, and no
   * waiting on each other's row locks. Each caller still gets its own outcomes, or its own error.
   */
  reserveAll(requests: ReservationRequest[]): Promise<ReservationOutcome[]> {
    return this.together.submit(requests);
  }

  private readonly together = new GroupCommit((requests: ReservationRequest[]) => this.applyAll(requests));

  private async applyAll(requests: ReservationRequest[]): Promise<ReservationOutcome[]> {
    const wanted = requests.map((request) => totalBySku(request.envelope.payload.items));
    const { outcomes, outboxRows } = (await this.reserveIfAllFit(requests, wanted)) ?? (await this.decideInOrder(requests, wanted));
    this.relay.handOver(outboxRows);
    requests.forEach((request, index) => this.logOutcome(request, outcomes[index]));
    return outcomes;
  }

  /**
   * Every order reserved, in one statement, if every SKU exists and has enough for all of them
   * together and no event was applied before; undefined (and nothing changed) otherwise.
   */
  private async reserveIfAllFit(requests: ReservationRequest[], wanted: Map<string, number>[]): Promise<AppliedBatch | undefined> {
    const totals = new Map<string, number>();
    for (const items of wanted) for (const [sku, quantity] of items) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
    // An integer column: a total past its range (a quantity the contract allows) is for the order-by-order
    // path, which rejects it as short instead of failing the statement.
    if (totals.size === 0 || [...totals.values()].some((total) => total > MAX_STOCK_LEVEL)) return undefined;
    // Every part below waits for this one answer: the rows locked and compared first, then all or nothing.
    const fits = sql`(select fits from all_fit)`;
    const answers = requests.map((request, index) => answerTo(request, 'reserved', wanted[index], new Map()));
    const insert = this.outbox.insertStatement(answers, { handOverLeaseMs: this.relay.handOverLeaseMs, onlyIf: fits });
    try {
      const result = await this.database.db.execute(sql`
        with all_fit as (${this.stock.allFitStatement(totals)}),
             recorded as (${this.processed.recordAllNewStatement(requests.map((request) => request.envelope), fits)}),
             taken as (${this.stock.takeStatement(totals, fits)}),
             answers as (${insert.statement})
        select all_fit.fits, answers.* from all_fit left join answers on true`);
      if (!rowsOf<{ fits: boolean }>(result)[0]?.fits) return undefined;
      return { outcomes: requests.map(() => 'reserved'), outboxRows: insert.rowsFrom(result) };
    } catch (error) {
      // An event applied before, or twice in the batch: the statement failed whole; decideInOrder sorts it out.
      if (isAlreadyProcessedError(error)) return undefined;
      throw error;
    }
  }

  /** The batch in one transaction, each order decided against the levels the earlier ones left. */
  private async decideInOrder(requests: ReservationRequest[], wanted: Map<string, number>[]): Promise<AppliedBatch> {
    return this.database.db.transaction(async (tx) => {
      const skus = [...new Set(wanted.flatMap((items) => [...items.keys()]))].sort();
      const { firstSeen, levels } = await this.recordAndLock(tx, requests, skus);
      const changed = new Map<string, number>();
      const answers: OutboxMessage[] = [];
      const outcomes = requests.map((request, index): ReservationOutcome => {
        // The first-seen ids come once even if an event came twice: only its first occurrence applies.
        if (!firstSeen.delete(request.envelope.eventId)) return 'duplicate';
        const outcome = decide(wanted[index], levels);
        if (outcome === 'reserved') {
          for (const [sku, quantity] of wanted[index]) {
            const level = (levels.get(sku) as number) - quantity;
            levels.set(sku, level);
            changed.set(sku, level);
          }
        }
        answers.push(answerTo(request, outcome, wanted[index], levels));
        return outcome;
      });
      return { outcomes, outboxRows: await this.writeLevelsAndAnswers(tx, changed, answers) };
    });
  }

  /**
   * One round trip: the SKUs' rows locked (their levels) and the events' ids into processed_events
   * (which of them are new). Round trips are most of a batch's time on a busy machine. The rows are
   * locked before the ids are recorded, as reserveIfAllFit does: two instances applying the same event
   * (a partition moving between them mid-batch) then queue on the rows instead of deadlocking.
   */
  private async recordAndLock(tx: Tx, requests: ReservationRequest[], skus: string[]) {
    const recorded = this.processed.firstSeenStatement(
      requests.map((request) => request.envelope),
      sql`(select count(*) from locked) >= 0`, // always true; evaluated, with the locks, before any insert
    );
    const result = await tx.execute(sql`
      with locked as (${this.stock.lockStatement(skus)}),
           first_seen as (${recorded})
      select event_id::text as event_id, null as sku, null::integer as available from first_seen
      union all
      select null, sku, available from locked`);
    const rows = rowsOf<{ event_id: string | null; sku: string | null; available: number | string | null }>(result);
    return {
      firstSeen: new Set(rows.filter((row) => row.event_id !== null).map((row) => row.event_id as string)),
      levels: levelsOf(rows.filter((row) => row.sku !== null)),
    };
  }

  /** One round trip: the new levels and the answers, claimed for this service's relay. */
  private async writeLevelsAndAnswers(tx: Tx, changed: Map<string, number>, answers: OutboxMessage[]): Promise<ClaimedOutboxRow[]> {
    if (answers.length === 0) {
      await this.stock.setLevels(tx, changed);
      return [];
    }
    const insert = this.outbox.insertStatement(answers, { handOverLeaseMs: this.relay.handOverLeaseMs });
    if (changed.size === 0) return insert.rowsFrom(await tx.execute(insert.statement));
    return insert.rowsFrom(await tx.execute(sql`with new_levels as (${this.stock.setLevelsStatement(changed)}) ${insert.statement}`));
  }

  private logOutcome(request: ReservationRequest, outcome: ReservationOutcome): void {
    const { eventId, payload } = request.envelope;
    const log = () =>
      outcome === 'duplicate'
        ? this.logger.warn(`OrderCreated ${eventId} for order ${payload.orderId} was already applied; ignored`)
        : this.logger.log(`order ${payload.orderId}: ${outcome}`);
    if (request.inContext) request.inContext(log);
    else log();
  }
}

/** Unknown SKUs first, then quantities: the whole order fits in the current levels or nothing is taken. */
function decide(wanted: Map<string, number>, levels: Map<string, number>): Exclude<ReservationOutcome, 'duplicate'> {
  if ([...wanted.keys()].some((sku) => !levels.has(sku))) return StockRejectionReason.UnknownSku;
  if ([...wanted].some(([sku, quantity]) => (levels.get(sku) as number) < quantity)) return StockRejectionReason.InsufficientStock;
  return 'reserved';
}

/** The StockReserved or StockRejected event answering one order, caused by (and traced from) its event. */
function answerTo(
  request: ReservationRequest,
  outcome: Exclude<ReservationOutcome, 'duplicate'>,
  wanted: Map<string, number>,
  levels: Map<string, number>,
): OutboxMessage {
  const event = request.envelope;
  const { orderId } = event.payload;
  const common = { aggregateId: orderId, source: SERVICES.inventoryService, causedBy: event };
  const envelope =
    outcome === 'reserved'
      ? createEnvelope({
          definition: StockReservedV1,
          payload: { orderId, items: [...wanted].map(([sku, quantity]) => ({ sku, quantity })) },
          ...common,
        })
      : createEnvelope({ definition: StockRejectedV1, payload: { orderId, reason: outcome, skus: rejectedSkus(outcome, wanted, levels) }, ...common });
  const topic = outcome === 'reserved' ? TOPICS.stockReserved.name : TOPICS.stockRejected.name;
  return { topic, key: orderId, envelope, headers: request.traceHeaders };
}

function rejectedSkus(reason: StockRejectionReason, wanted: Map<string, number>, levels: Map<string, number>): string[] {
  return reason === StockRejectionReason.UnknownSku
    ? [...wanted.keys()].filter((sku) => !levels.has(sku))
    : [...wanted].filter(([sku, quantity]) => (levels.get(sku) as number) < quantity).map(([sku]) => sku);
}

/** One order may list a SKU twice; what matters is the total per SKU. */
function totalBySku(items: { sku: string; quantity: number }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of items) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return new Map([...totals].sort(([a], [b]) => a.localeCompare(b)));
}
