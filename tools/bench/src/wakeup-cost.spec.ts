import { costRatio, measureWakeupCost, percentile, roundTripsFor, WakeupStep, wakeupTable } from './wakeup-cost';

const step = (pauseMs: number, clientCpuUs: number, serverCpuUs: number): WakeupStep => ({ pauseMs, roundTrips: 100, rttP50Us: 50, rttP99Us: 90, clientCpuUs, serverCpuUs });

describe('wakeup cost', () => {
  it('takes nearest-rank percentiles of sorted values', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('states the CPU of both processes against back to back', () => {
    const steps = [step(0, 30, 30), step(10, 300, 120)];
    expect(costRatio(steps[1], steps)).toBe(7);
    expect(costRatio(steps[1], [steps[1]])).toBeUndefined();
    expect(wakeupTable(steps)).toContain('| 10 ms | 100 | 50 / 90 µs | 300 µs | 120 µs | 420 µs | 7× |');
  });

  it('keeps every step near 3 s and never below 100 round trips', () => {
    expect(roundTripsFor(10)).toBe(291);
    expect(roundTripsFor(100)).toBe(100);
  });

  it('measures real round trips between two processes', async () => {
    const seen: WakeupStep[] = [];
    // A few hundred round trips: enough to show both processes working, light on a 2-core CI machine.
    const steps = await measureWakeupCost([0], 512, (done) => seen.push(done), () => 300);
    expect(seen).toEqual(steps);
    expect(steps).toHaveLength(1);
    expect(steps[0].roundTrips).toBe(300);
    expect(steps[0].rttP50Us).toBeGreaterThan(0);
    expect(steps[0].rttP99Us).toBeGreaterThanOrEqual(steps[0].rttP50Us);
    // Both processes did work for every round trip: an echo that never ran would show 0.
    expect(steps[0].clientCpuUs).toBeGreaterThan(0);
    expect(steps[0].serverCpuUs).toBeGreaterThan(0);
  }, 60_000);
});
