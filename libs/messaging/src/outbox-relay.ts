// Moves committed outbox rows to Kafka. Runs in the service process, two ways:
//   - handed over: a service that wrote rows already claimed for itself (OutboxStore.addAll with
//     handOverLeaseMs) gives them to handOver() right after its commit, and they are published from
//     memory at once, without a round trip to claim them: the low-latency path;
//   - polled: on a nudge or a timer (at least every pollIntervalMs even under traffic), rows nobody
//     holds are claimed and published: rows left by a crash, a stop, an outage, or a handed-over
//     publish that failed (they are released at once), in id order.
// Rows are deleted only after Kafka acknowledged them, so an outage or a crash delays events, never
// loses them. The deletes run behind the publishing, not in front of the next publish, and wait
// deleteDelayMs to take every row acknowledged meanwhile in one statement: at 100 events a second one
// DELETE per event was a quarter of a service's statements, each a wake-up of the database and of the
// service. A row published but not yet deleted stays claimed, and if the process dies first it is
// published again once the claim lapses, which idempotent consumers absorb.
// While publishing fails, handed-over rows are released to the polled path instead of being sent,
// so the rows of an outage leave in the order they were written.
import { Logger } from '@nestjs/common';
import { METRIC_NAMES, observedGauge, runDetached } from '@platform/observability';
import { EventPublisher, OutgoingEvent } from './event-publisher';

export interface OutboxSource {
  claim(limit: number, leaseMs: number): Promise<OutboxRow[]>;
  delete(ids: string[]): Promise<void>;
  release(ids: string[], error: string): Promise<void>;
  /** Rows waiting to be published, for the outbox backlog metric. */
  backlog?(): Promise<number>;
}

export type OutboxRow = OutgoingEvent & { id: string };

export interface OutboxRelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  /** Longer than the producer's whole retry budget, so a live relay never loses its claim. */
  leaseMs: number;
  /**
   * The claim a row written for handOver() starts with. Short, because it is all that delays the row
   * when its writer dies before publishing it; long enough that a live relay sends it first.
   */
  handOverLeaseMs: number;
  /** How long acknowledged rows wait to be deleted together; 0 deletes them at once. */
  deleteDelayMs: number;
}

const DEFAULTS: OutboxRelayOptions = { batchSize: 500, pollIntervalMs: 250, leaseMs: 60_000, handOverLeaseMs: 10_000, deleteDelayMs: 100 };

export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: OutboxRelayOptions;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  /** stop() was called: rows handed over from now on are released, not kept for a start that never comes. */
  private ended = false;
  private failing = false;
  /** Committed rows handed over by this process, not yet published. */
  private handed: OutboxRow[] = [];
  /** An explicit nudge, or none for pollIntervalMs: the next pass claims from the table too. */
  private pollWanted = true;
  private lastPollAt = 0;
  /** Ids of rows Kafka acknowledged, not yet deleted. */
  private acknowledged: string[] = [];
  private deleting?: Promise<void>;
  private deleteTimer?: NodeJS.Timeout;

  constructor(
    private readonly source: OutboxSource,
    private readonly publisher: EventPublisher,
    options: Partial<OutboxRelayOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const backlog = source.backlog?.bind(source);
    if (backlog) observedGauge(METRIC_NAMES.outboxBacklog, 'Outbox rows not yet acknowledged by Kafka.', backlog);
  }

  /** The claim to write rows with that will be given to handOver() (OutboxStore.addAll's leaseMs). */
  get handOverLeaseMs(): number {
    return this.options.handOverLeaseMs;
  }

  start(): void {
    this.stopped = false;
    this.ended = false;
    this.nudge();
  }

  /** Rows just committed, already claimed for this relay: published next, without claiming them again. */
  handOver(rows: OutboxRow[]): void {
    if (rows.length === 0) return;
    if (this.ended) {
      // Committed after stop(): Nest stops the relay before it closes the HTTP server and the
      // consumers, whose last requests and batches still commit. Released at once, the rows go out
      // with the next relay to poll instead of after their claim has lapsed.
      void this.releaseUnsent(rows, 'committed after the relay stopped');
      return;
    }
    for (const row of rows) this.handed.push(row);
    this.wake();
  }

  /** Asks for a drain as soon as possible, claiming from the table; calls during a drain coalesce into one more pass. */
  nudge(): void {
    this.pollWanted = true;
    this.wake();
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    // Whoever woke the relay (a request, a batch) is not what its drain works for: no inherited ids.
    this.running = runDetached(() => this.drain()).finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.nudge(), this.options.pollIntervalMs);
      }
    });
  }

  /**
   * Stops polling and waits for a publish in progress, so its rows are deleted or released. Rows
   * handed over but not yet sent are released too: the next relay to poll sends them without waiting
   * for their claim to run out.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.ended = true;
    clearTimeout(this.timer);
    await this.running;
    // The acknowledged rows go now, not after the delay: the process is about to end.
    clearTimeout(this.deleteTimer);
    this.deleteTimer = undefined;
    while (this.deleting || this.acknowledged.length > 0) {
      this.startDeleting();
      await this.deleting;
    }
    const unsent = this.handed.splice(0);
    if (unsent.length > 0) await this.releaseUnsent(unsent, 'relay stopped before publishing');
  }

  private releaseUnsent(rows: OutboxRow[], reason: string): Promise<void> {
    return this.source
      .release(idsOf(rows), reason)
      .catch((error: Error) => this.logger.warn(`${rows.length} outbox row(s) stay claimed for ${this.options.handOverLeaseMs} ms: ${rootMessage(error)}`));
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const handed = this.handed.splice(0, this.options.batchSize);
        if (handed.length > 0) {
          if (!this.failing) await this.publishClaimed(handed);
          // Failing: the polled path sends these after the older rows of the outage, in id order.
          else await this.source.release(idsOf(handed), 'handed over while publishing was failing');
          continue;
        }
        if (!this.pollWanted && Date.now() - this.lastPollAt < this.options.pollIntervalMs) return;
        if (!(await this.pollOnce())) return;
      }
    } catch (error) {
      // Once per outage, not every poll: a database that is down for a minute must not flood the log.
      if (!this.failing) this.logger.error(`outbox unreadable, retrying every ${this.options.pollIntervalMs} ms: ${rootMessage(error)}`);
      this.failing = true;
    }
  }

  /** Claims and publishes one batch of the table's free rows; true if a full batch went (more may wait). */
  private async pollOnce(): Promise<boolean> {
    this.pollWanted = false;
    this.lastPollAt = Date.now();
    const rows = await this.source.claim(this.options.batchSize, this.options.leaseMs);
    const published = rows.length === 0 || (await this.publishClaimed(rows));
    const more = published && rows.length === this.options.batchSize;
    // Recovered only once the rows left by the trouble are all out: handed-over rows may go direct again.
    if (published && !more) this.noteRecovery();
    this.pollWanted = more;
    return more;
  }

  private noteRecovery(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('outbox relay recovered');
  }

  /** False when Kafka refused the batch: its rows are released and the next poll tries again. */
  private async publishClaimed(rows: OutboxRow[]): Promise<boolean> {
    const ids = idsOf(rows);
    try {
      await this.publisher.publish(rows);
    } catch (error) {
      const reason = rootMessage(error);
      if (!this.failing) {
        this.logger.warn(`cannot publish ${rows.length} outbox event(s), keeping them for a retry: ${reason}`);
      }
      this.failing = true;
      await this.source.release(ids, reason);
      return false;
    }
    this.deleteLater(ids);
    return true;
  }

  private deleteLater(ids: string[]): void {
    for (const id of ids) this.acknowledged.push(id);
    this.scheduleDelete();
  }

  /** A delete of what has piled up after deleteDelayMs, unless one is running or due already. */
  private scheduleDelete(): void {
    if (this.deleting || this.deleteTimer || this.acknowledged.length === 0) return;
    if (this.stopped || this.options.deleteDelayMs <= 0) {
      this.startDeleting();
      return;
    }
    this.deleteTimer = setTimeout(() => {
      this.deleteTimer = undefined;
      this.startDeleting();
    }, this.options.deleteDelayMs);
  }

  private startDeleting(): void {
    if (this.deleting) return;
    // .finally runs after this assignment even when there was nothing to delete.
    this.deleting = runDetached(() => this.deleteAcknowledged()).finally(() => {
      this.deleting = undefined;
      this.scheduleDelete();
    });
  }

  /** Deletes the rows acknowledged so far; those acknowledged meanwhile wait for the next delete. */
  private async deleteAcknowledged(): Promise<void> {
    let due = this.acknowledged.length;
    while (due > 0) {
      const ids = this.acknowledged.splice(0, Math.min(due, this.options.batchSize));
      due -= ids.length;
      await this.source.delete(ids).catch((error: unknown) =>
        this.logger.warn(`${ids.length} published outbox row(s) not deleted; sent again once their claim lapses: ${rootMessage(error)}`),
      );
    }
  }
}

function idsOf(rows: OutboxRow[]): string[] {
  return rows.map((row) => row.id);
}

/** Drizzle wraps driver errors as "Failed query: <sql>"; the driver's own message is the useful part. */
function rootMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : (error as Error).message;
}
