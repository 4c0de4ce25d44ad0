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

export class LatencyRecorder {
  readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  private readonly scheduledAt = new Map<string, number>();
  private readonly observedEarly = new Map<string, number>();
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
      this.complete(at, early);
    } else {
      this.scheduledAt.set(orderId, at);
    }
  }

  /** inventory-service's answer about the order was seen. */
  observed(orderId: string, at: number): void {
    const scheduled = this.scheduledAt.get(orderId);
    if (scheduled === undefined) {
      this.observedEarly.set(orderId, at); // the answer overtook the HTTP response
      return;
    }
    this.scheduledAt.delete(orderId);
    this.complete(scheduled, at);
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
    return Math.round(this.histogram.getValueAtPercentile(percentile) / 100) / 10;
  }

  private complete(scheduled: number, observed: number): void {
    const latencyMs = Math.max(0, observed - scheduled);
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
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
