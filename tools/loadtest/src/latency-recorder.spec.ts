import { LatencyRecorder } from './latency-recorder';

describe('LatencyRecorder', () => {
  it('measures from the scheduled time, also when the answer overtakes the HTTP response', () => {
    const recorder = new LatencyRecorder(0);
    recorder.scheduled('a', 100);
    recorder.observed('a', 130); // 30 ms
    recorder.observed('b', 1_250); // seen before its HTTP answer arrived
    recorder.scheduled('b', 1_050); // scheduled at 1,050: 200 ms
    expect(recorder.completed).toBe(2);
    expect(recorder.percentileMs(50)).toBeCloseTo(30, 0);
    expect(recorder.percentileMs(100)).toBeCloseTo(200, 0);
    recorder.sampleLag(1_500, 7);
    expect(recorder.timeline()).toEqual([
      { second: 0, sent: 1, completed: 1, p50Ms: 30, p99Ms: 30, lag: null },
      { second: 1, sent: 1, completed: 1, p50Ms: 200, p99Ms: 200, lag: 7 },
    ]);
  });

  it('cuts each latency at the answer\'s decision and publish times', () => {
    const recorder = new LatencyRecorder(0);
    recorder.scheduled('a', 100);
    recorder.observed('a', 160, { decidedAt: 130, publishedAt: 150 });
    recorder.observed('b', 1_300, { decidedAt: 1_200, publishedAt: 1_290 }); // before its HTTP answer
    recorder.scheduled('b', 1_000);
    expect(recorder.hopPercentilesMs()).toEqual({
      toDecision: { p50: 30, p99: 200.1 }, // HDR: 3 significant digits
      toKafka: { p50: 20, p99: 90 },
      toObserver: { p50: 10, p99: 10 },
    });
  });

  it('measures the HTTP answer separately, and only when there was one (http mode)', () => {
    const recorder = new LatencyRecorder(0);
    expect(recorder.acceptedPercentilesMs()).toBeUndefined();
    recorder.accepted(100, 112);
    recorder.accepted(200, 240);
    expect(recorder.acceptedPercentilesMs()).toEqual({ p50: 12, p99: 40 });
  });

  it('measures from order-service\'s receipt of the request when the answer carries it (http mode)', () => {
    const recorder = new LatencyRecorder(0);
    recorder.scheduled('a', 100);
    recorder.observed('a', 160, { decidedAt: 130, publishedAt: 150 }); // events mode: no receipt time
    expect(recorder.receiptPercentilesMs()).toBeUndefined();
    recorder.observed('b', 1_300, { decidedAt: 1_200, publishedAt: 1_290, receivedAt: 1_020 }); // before its HTTP answer
    recorder.scheduled('b', 1_000);
    expect(recorder.receiptPercentilesMs()).toEqual({ p50: 280.1, p90: 280.1, p99: 280.1, p999: 280.1, max: 280.1 }); // HDR: 3 significant digits
    expect(recorder.percentileMs(100)).toBeCloseTo(300, 0); // from the scheduled time: 20 ms more
  });

  it("splits the wait before order-service read a request into the driver's part and the rest (http mode)", () => {
    const recorder = new LatencyRecorder(0);
    recorder.scheduled('a', 100);
    recorder.observed('a', 160, { decidedAt: 130, publishedAt: 150 });
    expect(recorder.beforeReceiptMs()).toBeUndefined(); // events mode: nothing written, no receipt

    recorder.written(1_000, 1_002);
    recorder.written(2_000, 2_900); // a late driver: its own 900 ms
    recorder.scheduled('b', 1_000);
    recorder.observed('b', 1_100, { decidedAt: 1_060, publishedAt: 1_090, receivedAt: 1_010 });
    recorder.scheduled('c', 2_000);
    recorder.observed('c', 3_000, { decidedAt: 2_950, publishedAt: 2_990, receivedAt: 2_905 });

    const before = recorder.beforeReceiptMs();
    // HDR: 3 significant digits.
    expect(before?.written.p50).toBeCloseTo(2, 0);
    expect(before?.written.max).toBeCloseTo(900, 0);
    expect(before?.read.p50).toBeCloseTo(10, 0);
    expect(before?.read.max).toBeCloseTo(905, 0);
  });
});
