import { cpuTicksOf, idleCosts, idleTable, processName, sampleProcesses, voluntarySwitchesOf } from './idle-processes';

describe('idle processes', () => {
  it('knows the services by their entry points and the broker by its main class', () => {
    expect(processName('/usr/bin/node /repo/tools/scripts/run-ts.js /repo/apps/order-service/src/main.ts')).toBe('order-service');
    expect(processName('/usr/bin/node /repo/tools/scripts/run-ts.js /repo/apps/notification-lambda/src/runner/main.ts')).toBe('notification-lambda');
    expect(processName('java -Xmx1g -cp /x.jar kafka.Kafka /repo/.local/kafka/server.properties')).toBe('kafka broker');
    expect(processName('node tools/scripts/run-ts.js tools/dev/src/start-all.ts')).toBeUndefined();
  });

  it('reads CPU ticks after the command name, which may hold spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 254 0 0 20 0 11 0';
    expect(cpuTicksOf(stat)).toBe(985);
    expect(voluntarySwitchesOf('Name:\tnode\nvoluntary_ctxt_switches:\t913\nnonvoluntary_ctxt_switches:\t5\n')).toBe(913);
  });

  it('states CPU and wake-ups per process over the window, and the services together', () => {
    const before = [
      { pid: 1, name: 'inventory-service', cpuTicks: 100, wakeups: 1_000, timerFix: true },
      { pid: 2, name: 'kafka broker', cpuTicks: 50, wakeups: 0, timerFix: false },
      { pid: 3, name: 'order-service', cpuTicks: 0, wakeups: 0, timerFix: false },
    ];
    const after = [
      { pid: 1, name: 'inventory-service', cpuTicks: 160, wakeups: 7_000, timerFix: true },
      { pid: 2, name: 'kafka broker', cpuTicks: 110, wakeups: 600, timerFix: false },
      { pid: 3, name: 'order-service', cpuTicks: 240, wakeups: 60_000, timerFix: false },
      { pid: 4, name: 'dlq-replayer', cpuTicks: 999, wakeups: 999, timerFix: true },
    ];
    const costs = idleCosts(before, after, 60);
    // pid 4 started during the window: left out, not counted from zero.
    expect(costs.map((cost) => [cost.name, cost.cpuPercent, cost.wakeupsPerSecond])).toEqual([
      ['inventory-service', 1, 100],
      ['kafka broker', 1, 10],
      ['order-service', 4, 1_000],
    ]);
    const table = idleTable(costs);
    expect(table).toContain('| order-service (pid 3) | off | 4% | 1,000 |');
    expect(table).toContain('| **the 2 services together** | | **5%** | **1,100** |');
  });

  it('reads this machine\'s /proc without failing, whatever runs on it', () => {
    for (const sample of sampleProcesses()) {
      expect(sample.cpuTicks).toBeGreaterThanOrEqual(0);
      expect(sample.wakeups).toBeGreaterThanOrEqual(0);
    }
  });
});
