// Moves committed outbox rows to Kafka. Runs in the service process: wakes on a nudge (right after a
// commit, for low latency) or on a timer (for rows left by a crash or a broker outage). Rows are
// deleted only after Kafka acknowledged them, so an outage or a crash delays events, never loses them.
import { Logger } from '@nestjs/common';
import { METRIC_NAMES, observedGauge } from '@platform/observability';
import { EventPublisher, OutgoingEvent } from './event-publisher';

export interface OutboxSource {
  claim(limit: number, leaseMs: number): Promise<(OutgoingEvent & { id: string })[]>;
  delete(ids: string[]): Promise<void>;
  release(ids: string[], error: string): Promise<void>;
  /** Rows waiting to be published, for the outbox backlog metric. */
  backlog?(): Promise<number>;
}

export interface OutboxRelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  /** Longer than the producer's whole retry budget, so a live relay never loses its claim. */
  leaseMs: number;
}

const DEFAULTS: OutboxRelayOptions = { batchSize: 500, pollIntervalMs: 250, leaseMs: 60_000 };

export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: OutboxRelayOptions;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private failing = false;

  constructor(
    private readonly source: OutboxSource,
    private readonly publisher: EventPublisher,
    options: Partial<OutboxRelayOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const backlog = source.backlog?.bind(source);
    if (backlog) observedGauge(METRIC_NAMES.outboxBacklog, 'Outbox rows not yet acknowledged by Kafka.', backlog);
  }

  start(): void {
    this.stopped = false;
    this.nudge();
  }

  /** Asks for a drain as soon as possible; calls during a drain coalesce into one more pass. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else {
        this.timer = setTimeout(() => this.nudge(), this.options.pollIntervalMs);
      }
    });
  }

  /** Stops polling and waits for a publish in progress, so its rows are deleted or released. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const rows = await this.source.claim(this.options.batchSize, this.options.leaseMs);
        if (rows.length === 0) return;
        const published = await this.publishClaimed(rows);
        if (!published || rows.length < this.options.batchSize) return;
      }
      this.noteRecovery();
    } catch (error) {
      // Once per outage, not every poll: a database that is down for a minute must not flood the log.
      if (!this.failing) this.logger.error(`outbox unreadable, retrying every ${this.options.pollIntervalMs} ms: ${rootMessage(error)}`);
      this.failing = true;
    }
  }

  private noteRecovery(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('outbox relay recovered');
  }

  /** False when Kafka refused the batch: its rows are released and the next poll tries again. */
  private async publishClaimed(rows: (OutgoingEvent & { id: string })[]): Promise<boolean> {
    const ids = rows.map((row) => row.id);
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
    await this.source.delete(ids);
    this.noteRecovery();
    return true;
  }
}

/** Drizzle wraps driver errors as "Failed query: <sql>"; the driver's own message is the useful part. */
function rootMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : (error as Error).message;
}
