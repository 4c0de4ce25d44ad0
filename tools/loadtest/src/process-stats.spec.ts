// The /proc readings behind the CPU, run-queue wait and wake-up columns: parsing, and one real reading
// of this very process (Linux, as the load test itself).
import { addInterval, parseMachineCpu, parseSchedstat, ProcessStats } from './process-stats';

describe('process stats', () => {
  it('reads run-queue wait and times run from a schedstat line', () => {
    expect(parseSchedstat('6197194 511091 3\n')).toEqual({ waitNs: 511091, slices: 3 });
    expect(parseSchedstat('')).toEqual({ waitNs: 0, slices: 0 });
  });

  it('counts user, nice, system, irq and softirq as busy; idle, iowait and steal as not; guest (inside user) once', () => {
    const stat = 'cpu  100 0 50 800 20 0 10 5 7 0\ncpu0 50 0 25 400 10 0 5 3 0 0\n';
    expect(parseMachineCpu(stat, 0)).toEqual({ at: 0, total: 985, busy: 160 });
    expect(parseMachineCpu('intr 1 2 3\n', 0)).toBeUndefined();
  });

  it('adds up what each thread or backend did in an interval, without losing the past of one that ends', () => {
    const total = { ticks: 0, waitNs: 0 };
    const first = new Map([
      ['10', { ticks: 100, waitNs: 1_000 }],
      ['11', { ticks: 500, waitNs: 9_000 }],
    ]);
    // 11 ended (a pool closed an idle connection, a JVM retired a compiler thread), 12 started; 10 went on.
    const second = new Map([
      ['10', { ticks: 110, waitNs: 1_500 }],
      ['12', { ticks: 3, waitNs: 200 }],
    ]);
    addInterval(total, first, second);
    expect(total).toEqual({ ticks: 13, waitNs: 700 });
  });

  it('measures this process: CPU it burns, and the wake-ups of a thread that sleeps in between', async () => {
    const stats = new ProcessStats([{ name: 'this test', pid: process.pid }]);
    stats.sample();
    // 40 short sleeps, each a voluntary switch and a wake-up of this thread; then 300 ms of spinning for a CPU share to see.
    for (let i = 0; i < 40; i++) await new Promise((done) => setTimeout(done, 2));
    const until = Date.now() + 300;
    while (Date.now() < until);
    stats.sample();

    const [usage] = stats.usage();
    expect(usage.cpuPercent).toBeGreaterThan(30);
    expect(usage.wakeupsPerSecond * stats.spanSeconds()).toBeGreaterThanOrEqual(40);
    expect(usage.cpuWaitMsPerSecond).toBeGreaterThanOrEqual(0);
    expect(stats.machineBusyPercent()).toBeGreaterThan(0);
  });
});
