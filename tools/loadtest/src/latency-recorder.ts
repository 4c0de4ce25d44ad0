// End-to-end latency per order into an HDR histogram (microsecond resolution, 3 significant digits),
// measured from the moment the order was SCHEDULED to be sent, not when it was actually sent: if the
// driver or the system stalls, the wait counts (no coordinated omission). Also a per-second timeline.
import * as hdr from 'hdr-histogram-js';

export interface SecondSample {
  second: number;
  sent: number;
  completed: number;
  p50Ms: number | null;
  p99Ms: number | null;
  lag: number | null;
}

/**
 * Where an order's time went, from the answer's own timestamps (all processes on one machine, one
 * clock): inventory-service made the answer (its envelope's occurredAt), the relay handed the answer to
 * Kafka (its record timestamp), the driver saw it.
 */
export interface AnswerMarks {
  decidedAt: number;
  publishedAt: number;
  /** http mode: when order-service received the order's request (`flow.started_at` baggage the answer carries on). */
  receivedAt?: number;
}

/**
 * The hops of an order's end-to-end latency, each into a histogram of its own. The first ends at the
 * answer's occurredAt, when inventory-service made it: after deciding, in a batch decided order by
 * order; before the one statement that checks and writes a batch whose orders all fit, whose time
 * then falls in the second hop.
 */
export const HOPS = {
  toDecision: 'scheduled → answer made (send, Kafka, fetch, queue, handler)',
  toKafka: 'answer made → in Kafka (write, commit, outbox relay)',
  toObserver: 'answer in Kafka → seen by the driver (fetch)',
} as const;
export type Hop = keyof typeof HOPS;

/** p50, p99 and the maximum of one measure, in ms. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

/**
 * http mode: where a request spent the time before order-service read it. `written`: until the
 * driver had written it to its socket (its timer tick, a free socket of its agent, a connect);
 * `read`: until order-service's HTTP hook saw it (the above, then the kernel and order-service's
 * event loop). A large maximum in the figures from the scheduled send with a small one from the
 * receipt is then told apart: the load driver's own lateness, or a server that did not read.
 */
export interface BeforeReceipt {
  written: Spread;
  read: Spread;
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

export class LatencyRecorder {
  readonly histogram = histogram();
  private readonly hops: Record<Hop, hdr.Histogram> = { toDecision: histogram(), toKafka: histogram(), toObserver: histogram() };
  /** http mode: scheduled → order-service's 202 (the request and order-service's write), a part of toDecision. */
  private readonly toAccepted = histogram();
  private acceptedCount = 0;
  /** http mode: order-service's receipt of the request → answer seen, the latency as the service sees it. */
  private readonly fromReceipt = histogram();
  private receiptCount = 0;
  /** http mode: scheduled → written by the driver, and scheduled → read by order-service (BeforeReceipt). */
  private readonly toWritten = histogram();
  private writtenCount = 0;
  private readonly toReceipt = histogram();
  private readonly scheduledAt = new Map<string, number>();
  private readonly observedEarly = new Map<string, { at: number; marks?: AnswerMarks }>();
  private readonly perSecond = new Map<number, { sent: number; latencies: number[]; lag: number | null }>();
  completed = 0;
  lastCompletionAt = 0;

  constructor(private readonly startedAt: number) {}

  /** The order went out (or its HTTP answer came back with its id): when was it scheduled? */
  scheduled(orderId: string, at: number): void {
    this.bucket(at).sent++;
    const early = this.observedEarly.get(orderId);
    if (early !== undefined) {
      this.observedEarly.delete(orderId);
      this.complete(at, early.at, early.marks);
    } else {
      this.scheduledAt.set(orderId, at);
    }
  }

  /** http mode: order-service answered 202 at `at` for the order scheduled at `scheduled`. */
  accepted(scheduled: number, at: number): void {
    recordMs(this.toAccepted, at - scheduled);
    this.acceptedCount++;
  }

  /** http mode: the driver finished writing the request scheduled at `scheduled` to its socket at `at`. */
  written(scheduled: number, at: number): void {
    recordMs(this.toWritten, at - scheduled);
    this.writtenCount++;
  }

  /** Where requests waited before order-service read them; undefined unless requests went through HTTP. */
  beforeReceiptMs(): BeforeReceipt | undefined {
    if (this.writtenCount === 0 || this.receiptCount === 0) return undefined;
    return { written: spread(this.toWritten), read: spread(this.toReceipt) };
  }

  /** p50 and p99 of scheduled → 202 in ms; undefined when nothing went through HTTP. */
  acceptedPercentilesMs(): { p50: number; p99: number } | undefined {
    if (this.acceptedCount === 0) return undefined;
    return { p50: toMs(this.toAccepted.getValueAtPercentile(50)), p99: toMs(this.toAccepted.getValueAtPercentile(99)) };
  }

  /**
   * Percentiles of HTTP receipt → answer seen, in ms; undefined when no answer carried a receipt time.
   * It starts once order-service has read the request, so time the request waited before that (driver,
   * socket, a busy event loop) is not in it: the scheduled-time figures are the ones that hide nothing.
   */
  receiptPercentilesMs(): { p50: number; p90: number; p99: number; p999: number; max: number } | undefined {
    if (this.receiptCount === 0) return undefined;
    const at = (percentile: number) => toMs(this.fromReceipt.getValueAtPercentile(percentile));
    return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: at(100) };
  }

  /** inventory-service's answer about the order was seen (with its timestamps, if it had them). */
  observed(orderId: string, at: number, marks?: AnswerMarks): void {
    const scheduled = this.scheduledAt.get(orderId);
    if (scheduled === undefined) {
      this.observedEarly.set(orderId, { at, marks }); // the answer overtook the HTTP response
      return;
    }
    this.scheduledAt.delete(orderId);
    this.complete(scheduled, at, marks);
  }

  /** p50 and p99 of each hop, in ms. */
  hopPercentilesMs(): Record<Hop, { p50: number; p99: number }> {
    const of = (h: hdr.Histogram) => ({ p50: toMs(h.getValueAtPercentile(50)), p99: toMs(h.getValueAtPercentile(99)) });
    return { toDecision: of(this.hops.toDecision), toKafka: of(this.hops.toKafka), toObserver: of(this.hops.toObserver) };
  }

  sampleLag(at: number, lag: number): void {
    this.bucket(at).lag = lag;
  }

  timeline(): SecondSample[] {
    return [...this.perSecond.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, bucket]) => {
        const sorted = [...bucket.latencies].sort((a, b) => a - b);
        const at = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : null);
        return { second, sent: bucket.sent, completed: bucket.latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), lag: bucket.lag };
      });
  }

  percentileMs(percentile: number): number {
    return toMs(this.histogram.getValueAtPercentile(percentile));
  }

  private complete(scheduled: number, observed: number, marks: AnswerMarks | undefined): void {
    const latencyMs = Math.max(0, observed - scheduled);
    recordMs(this.histogram, latencyMs);
    if (marks) {
      recordMs(this.hops.toDecision, marks.decidedAt - scheduled);
      recordMs(this.hops.toKafka, marks.publishedAt - marks.decidedAt);
      recordMs(this.hops.toObserver, observed - marks.publishedAt);
      if (marks.receivedAt !== undefined) {
        recordMs(this.toReceipt, marks.receivedAt - scheduled);
        recordMs(this.fromReceipt, observed - marks.receivedAt);
        this.receiptCount++;
      }
    }
    this.bucket(observed).latencies.push(latencyMs);
    this.completed++;
    this.lastCompletionAt = Math.max(this.lastCompletionAt, observed);
  }

  private bucket(at: number) {
    const second = Math.floor((at - this.startedAt) / 1000);
    let bucket = this.perSecond.get(second);
    if (!bucket) {
      bucket = { sent: 0, latencies: [], lag: null };
      this.perSecond.set(second, bucket);
    }
    return bucket;
  }
}

/** Histograms count microseconds from 1; a hop measured across clocks of ms resolution may read 0 or below. */
function recordMs(into: hdr.Histogram, ms: number): void {
  into.recordValue(Math.max(1, Math.round(Math.max(0, ms) * 1000)));
}

function spread(of: hdr.Histogram): Spread {
  return { p50: toMs(of.getValueAtPercentile(50)), p99: toMs(of.getValueAtPercentile(99)), max: toMs(of.getValueAtPercentile(100)) };
}

function toMs(microseconds: number): number {
  return Math.round(microseconds / 100) / 10;
}
