// What the running platform costs while nothing happens: CPU and wake-ups (voluntary context switches,
// all threads) of every service process and the local broker, read from /proc over a window. Linux
// only; the processes are found by their command lines, so it measures whatever `npm start` (or any
// other launch of the same entry points) is running.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSample {
  pid: number;
  name: string;
  /** user + system CPU time so far, in clock ticks. */
  cpuTicks: number;
  /** Voluntary context switches so far, summed over the process's threads. */
  wakeups: number;
  /** Whether the process runs with libs/messaging's kafkajs timer fix (KAFKAJS_IDLE_TIMER_FIX in its environment). */
  timerFix: boolean;
}

export interface IdleCost {
  name: string;
  pid: number;
  cpuPercent: number;
  wakeupsPerSecond: number;
  timerFix: boolean;
}

/** A service's entry point (apps/<name>/src/main.ts, or …/src/runner/main.ts) or the Kafka broker. */
export function processName(cmdline: string): string | undefined {
  const service = /\/apps\/([\w-]+)\/src\/(?:[\w-]+\/)?main\.ts/.exec(cmdline);
  if (service) return service[1];
  return /\bkafka\.Kafka\b/.test(cmdline) ? 'kafka broker' : undefined;
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15; the name in parentheses may hold spaces). */
export function cpuTicksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function voluntarySwitchesOf(status: string): number {
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
}

export function sampleProcesses(): ProcessSample[] {
  const samples: ProcessSample[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = processName(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
      if (!name) continue;
      const wakeups = readdirSync(`/proc/${entry}/task`).reduce((sum, task) => sum + voluntarySwitchesOf(readFileSync(`/proc/${entry}/task/${task}/status`, 'utf8')), 0);
      const timerFix = name !== 'kafka broker' && !readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes('KAFKAJS_IDLE_TIMER_FIX=off');
      samples.push({ pid: Number(entry), name, cpuTicks: cpuTicksOf(readFileSync(`/proc/${entry}/stat`, 'utf8')), wakeups, timerFix });
    } catch {
      // The process ended between listing and reading: not part of the platform any more.
    }
  }
  return samples.sort((a, b) => a.name.localeCompare(b.name));
}

/** Per process seen at both ends of the window: CPU as % of one core and wake-ups per second. */
export function idleCosts(before: ProcessSample[], after: ProcessSample[], seconds: number, ticksPerSecond = 100): IdleCost[] {
  return after.flatMap((end) => {
    const start = before.find((sample) => sample.pid === end.pid);
    if (!start) return [];
    return [
      {
        name: end.name,
        pid: end.pid,
        cpuPercent: Math.round(((end.cpuTicks - start.cpuTicks) / ticksPerSecond / seconds) * 1000) / 10,
        wakeupsPerSecond: Math.round((end.wakeups - start.wakeups) / seconds),
        timerFix: end.timerFix,
      },
    ];
  });
}

export function idleTable(costs: IdleCost[]): string {
  const services = costs.filter((cost) => cost.name !== 'kafka broker');
  const sum = (pick: (cost: IdleCost) => number) => Math.round(services.reduce((total, cost) => total + pick(cost), 0) * 10) / 10;
  return [
    '| process | kafkajs idle-timer fix | CPU, % of one core | wake-ups per second (voluntary context switches, all threads) |',
    '|---|---|---|---|',
    ...costs.map((cost) => `| ${cost.name} (pid ${cost.pid}) | ${cost.name === 'kafka broker' ? '–' : cost.timerFix ? 'on' : 'off'} | ${cost.cpuPercent}% | ${cost.wakeupsPerSecond.toLocaleString('en')} |`),
    `| **the ${services.length} services together** | | **${sum((cost) => cost.cpuPercent)}%** | **${sum((cost) => cost.wakeupsPerSecond).toLocaleString('en')}** |`,
  ].join('\n');
}
