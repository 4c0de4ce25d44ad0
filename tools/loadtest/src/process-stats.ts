// CPU and memory of each process of the system under test, sampled from /proc once a second (Linux),
// and how long its threads were ready to run but waited for a core — the direct measure of "too few
// cores" — and how often they were woken (/proc/<pid>/task/<tid>/schedstat, summed over threads:
// a Node service's event loop is one thread, the broker's work runs on many).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  name: string;
  pid: number;
  /** Average CPU over the run, in percent of one core. */
  cpuPercent: number;
  maxCpuPercent: number;
  maxRssMb: number;
  /** Milliseconds per second its threads were runnable but not running (all backends, for PostgreSQL). */
  cpuWaitMsPerSecond: number;
  /** Times per second its threads were put on a core: wake-ups, about one per message, statement or reply waited for. */
  wakeupsPerSecond: number;
}

interface Reading {
  ticks: number;
  rssMb: number;
  /** From schedstat, summed over the threads: nanoseconds waited on a run queue, and times run. */
  waitNs: number;
  slices: number;
}

type Sample = Omit<Reading, 'rssMb'> & { at: number };

export class ProcessStats {
  private readonly samples = new Map<number, { name: string; first?: Sample; last?: Sample; maxCpu: number; maxRss: number }>();
  private machineFirst?: MachineCpu;
  private machineLast?: MachineCpu;
  private readonly postgres = new PostgresGroup();

  constructor(processes: { name: string; pid: number }[]) {
    for (const { name, pid } of processes) this.samples.set(pid, { name, maxCpu: 0, maxRss: 0 });
  }

  sample(at = Date.now()): void {
    for (const [pid, entry] of this.samples) {
      const reading = pid === POSTGRES_GROUP ? this.postgres.read() : read(pid);
      if (!reading) continue;
      if (entry.last) {
        const cpu = ((reading.ticks - entry.last.ticks) / TICKS_PER_SECOND / ((at - entry.last.at) / 1000)) * 100;
        entry.maxCpu = Math.max(entry.maxCpu, cpu);
      }
      const sample = { at, ticks: reading.ticks, waitNs: reading.waitNs, slices: reading.slices };
      entry.first ??= sample;
      entry.last = sample;
      entry.maxRss = Math.max(entry.maxRss, reading.rssMb);
    }
    const machine = readMachineCpu(at);
    if (machine) {
      this.machineFirst ??= machine;
      this.machineLast = machine;
    }
  }

  usage(): ProcessUsage[] {
    return [...this.samples].map(([pid, { name, first, last, maxCpu, maxRss }]) => {
      const span = first && last ? (last.at - first.at) / 1000 : 0;
      const per = (value: (sample: Sample) => number) => (span > 0 && first && last ? (value(last) - value(first)) / span : 0);
      return {
        name,
        pid,
        cpuPercent: Math.round((per((s) => s.ticks) / TICKS_PER_SECOND) * 100),
        maxCpuPercent: Math.round(maxCpu),
        maxRssMb: Math.round(maxRss),
        cpuWaitMsPerSecond: Math.round(per((s) => s.waitNs) / 1e6),
        wakeupsPerSecond: Math.round(per((s) => s.slices)),
      };
    });
  }

  /** Seconds between the first and the last sample of the machine's CPU. */
  spanSeconds(): number {
    return this.machineFirst && this.machineLast ? (this.machineLast.at - this.machineFirst.at) / 1000 : 0;
  }

  /** Busy time of all cores together between the first and last sample, in percent of one core (max cores × 100). */
  machineBusyPercent(): number {
    const [first, last] = [this.machineFirst, this.machineLast];
    if (!first || !last || last.total === first.total) return 0;
    const busy = last.total - last.idle - (first.total - first.idle);
    return Math.round((busy / (last.total - first.total)) * cpus().length * 100);
  }
}

/** A pseudo pid: the sum of every PostgreSQL server process (its backends do the services' queries). */
export const POSTGRES_GROUP = -1;

/**
 * PostgreSQL's server processes as one: what each did since the previous sample, added up. Backends
 * come and go (a pool closes idle connections and opens new ones); a plain sum of the living ones
 * would drop by everything an exiting backend had done, and undercount the interval.
 */
class PostgresGroup {
  private previous = new Map<number, Reading>();
  private readonly total: Reading = { ticks: 0, rssMb: 0, waitNs: 0, slices: 0 };

  read(): Reading | undefined {
    const current = new Map<number, Reading>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'postgres') continue;
      } catch {
        continue;
      }
      const reading = read(Number(name));
      if (reading) current.set(Number(name), reading);
    }
    if (current.size === 0) return undefined;
    // The first reading sets the baseline.
    if (this.previous.size > 0) addInterval(this.total, this.previous, current);
    this.previous = current;
    // Backends share memory: a sum of their RSS would count it many times, so none is reported (0).
    return { ...this.total };
  }
}

/** Adds to `total` what each process of `current` did since `previous`; one not seen before counts from its start. */
export function addInterval(total: Omit<Reading, 'rssMb'>, previous: Map<number, Omit<Reading, 'rssMb'>>, current: Map<number, Omit<Reading, 'rssMb'>>): void {
  for (const [pid, reading] of current) {
    const before = previous.get(pid) ?? { ticks: 0, waitNs: 0, slices: 0 };
    total.ticks += reading.ticks - before.ticks;
    total.waitNs += reading.waitNs - before.waitNs;
    total.slices += reading.slices - before.slices;
  }
}

function read(pid: number): Reading | undefined {
  try {
    // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { ticks, rssMb: rssKb / 1024, ...readSchedstat(pid) };
  } catch {
    return undefined; // the process has exited
  }
}

/** A schedstat line, "run ns, wait ns, slices"; zeros where the kernel keeps no schedstats. */
export function parseSchedstat(text: string): { waitNs: number; slices: number } {
  const [, waitNs, slices] = text.trim().split(/\s+/).map(Number);
  return Number.isFinite(waitNs) && Number.isFinite(slices) ? { waitNs, slices } : { waitNs: 0, slices: 0 };
}

function readSchedstat(pid: number): { waitNs: number; slices: number } {
  const sum = { waitNs: 0, slices: 0 };
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { waitNs, slices } = parseSchedstat(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8'));
      sum.waitNs += waitNs;
      sum.slices += slices;
    } catch {
      // The thread ended between listing and reading: its time is gone with it.
    }
  }
  return sum;
}

interface MachineCpu {
  at: number;
  total: number;
  /** idle + iowait: a core with nothing to run. */
  idle: number;
}

/** The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal … (ticks). */
export function parseMachineCpu(procStat: string, at: number): MachineCpu | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { at, total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4] };
}

function readMachineCpu(at: number): MachineCpu | undefined {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'), at);
  } catch {
    return undefined;
  }
}
