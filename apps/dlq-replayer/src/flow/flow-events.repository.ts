// The flow index: every event of the registry's event topics, looked up by orderId.
import { Injectable } from '@nestjs/common';
import { ServiceDatabase } from '@platform/database';
import { asc, eq, lt, or } from 'drizzle-orm';
import { flowEvents, FlowEventRow, NewFlowEvent } from './flow-event.table';

@Injectable()
export class FlowEventsRepository {
  constructor(private readonly database: ServiceDatabase) {}

  /** Idempotent: a message read twice (a rebalance, a restart) is stored once. */
  async insertMany(rows: NewFlowEvent[]): Promise<void> {
    if (rows.length === 0) return;
    await this.database.db.insert(flowEvents).values(rows).onConflictDoNothing();
  }

  /** Forgets events older than `cutoff`; returns how many. */
  async pruneBefore(cutoff: Date): Promise<number> {
    const deleted = await this.database.db.delete(flowEvents).where(lt(flowEvents.timestamp, cutoff)).returning({ offset: flowEvents.offset });
    return deleted.length;
  }

  /** Every event whose correlationId or key is the order's id, oldest first. */
  async byOrder(orderId: string): Promise<FlowEventRow[]> {
    return this.database.db
      .select()
      .from(flowEvents)
      .where(or(eq(flowEvents.correlationId, orderId), eq(flowEvents.key, orderId)))
      .orderBy(asc(flowEvents.timestamp), asc(flowEvents.topic), asc(flowEvents.offset))
      .limit(500);
  }
}
