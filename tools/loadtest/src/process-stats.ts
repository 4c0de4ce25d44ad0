// CPU and memory of each process of the system under test, sampled from /proc once a second (Linux),
// and, over its threads, how long they were ready to run but waited for a core — the direct measure
// of "too few cores" (/proc/<pid>/task/<tid>/schedstat) — and how often they went to sleep and had to
// be woken (voluntary context switches, as bench:idle counts them). Both are added up thread by
// thread, interval by interval: a thread or a PostgreSQL backend that ends between two samples takes
// only its last second with it, not its whole past.
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
  /** Milliseconds per second its threads together were runnable but not running. */
  cpuWaitMsPerSecond: number;
  /** Voluntary context switches per second of its threads: each is a sleep that a wake-up ends. */
  wakeupsPerSecond: number;
}

/** Counters that only grow while their thread or process lives. */
type Counters = Record<string, number>;

/**
 * Adds to `total` what each entry of `current` did since `previous`; one not seen before counts from
 * its start (it began after the previous sample), one gone since is left out (its last interval lost).
 */
export function addInterval<C extends Counters>(total: C, previous: Map<string, C>, current: Map<string, C>): void {
  for (const [key, now] of current) {
    const before = previous.get(key);
    for (const field of Object.keys(total) as (keyof C)[]) {
      (total[field] as number) += (now[field] as number) - ((before?.[field] as number | undefined) ?? 0);
    }
  }
}

/** The running sum of `addInterval` over successive readings; the first reading is the baseline. */
class Cumulative<C extends Counters> {
  private previous?: Map<string, C>;

  constructor(private readonly total: C) {}

  update(current: Map<string, C>): C {
    if (this.previous) addInterval(this.total, this.previous, current);
    this.previous = current;
    return { ...this.total };
  }
}

interface ThreadCounters extends Counters {
  waitNs: number;
  switches: number;
}

interface Sample {
  at: number;
  ticks: number;
  waitNs: number;
  switches: number;
}

interface Tracked {
  name: string;
  pids: () => number[];
  threads: Cumulative<ThreadCounters>;
  /** CPU of processes that come and go (PostgreSQL); a single process's /proc stat keeps its ended threads' CPU. */
  processes?: Cumulative<{ ticks: number }>;
  first?: Sample;
  last?: Sample;
  maxCpu: number;
  maxRss: number;
}

export class ProcessStats {
  private readonly tracked = new Map<number, Tracked>();
  private machineFirst?: MachineCpu;
  private machineLast?: MachineCpu;

  constructor(processes: { name: string; pid: number }[]) {
    for (const { name, pid } of processes) {
      const group = pid === POSTGRES_GROUP;
      this.tracked.set(pid, {
        name,
        pids: group ? postgresPids : () => [pid],
        threads: new Cumulative<ThreadCounters>({ waitNs: 0, switches: 0 }),
        processes: group ? new Cumulative({ ticks: 0 }) : undefined,
        maxCpu: 0,
        maxRss: 0,
      });
    }
  }

  sample(at = Date.now()): void {
    for (const entry of this.tracked.values()) {
      const readings = entry.pids().flatMap((pid) => {
        const reading = read(pid);
        return reading ? [{ pid, ...reading }] : [];
      });
      if (readings.length === 0) continue;
      const threads = entry.threads.update(new Map(readings.flatMap(({ pid, threads }) => [...threads].map(([tid, counters]) => [`${pid}/${tid}`, counters] as const))));
      const ticks = entry.processes
        ? entry.processes.update(new Map(readings.map(({ pid, ticks }) => [String(pid), { ticks }]))).ticks
        : readings[0].ticks;
      if (entry.last) {
        const cpu = ((ticks - entry.last.ticks) / TICKS_PER_SECOND / ((at - entry.last.at) / 1000)) * 100;
        entry.maxCpu = Math.max(entry.maxCpu, cpu);
      }
      const sample = { at, ticks, waitNs: threads.waitNs, switches: threads.switches };
      entry.first ??= sample;
      entry.last = sample;
      // PostgreSQL's backends share memory: a sum of their RSS would count it many times, so none is reported (0).
      if (!entry.processes) entry.maxRss = Math.max(entry.maxRss, readings[0].rssMb);
    }
    const machine = readMachineCpu(at);
    if (machine) {
      this.machineFirst ??= machine;
      this.machineLast = machine;
    }
  }

  usage(): ProcessUsage[] {
    return [...this.tracked].map(([pid, { name, first, last, maxCpu, maxRss }]) => {
      const span = first && last ? (last.at - first.at) / 1000 : 0;
      const per = (value: (sample: Sample) => number) => (span > 0 && first && last ? (value(last) - value(first)) / span : 0);
      return {
        name,
        pid,
        cpuPercent: Math.round((per((s) => s.ticks) / TICKS_PER_SECOND) * 100),
        maxCpuPercent: Math.round(maxCpu),
        maxRssMb: Math.round(maxRss),
        cpuWaitMsPerSecond: Math.round(per((s) => s.waitNs) / 1e6),
        wakeupsPerSecond: Math.round(per((s) => s.switches)),
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
    return Math.round(((last.busy - first.busy) / (last.total - first.total)) * cpus().length * 100);
  }
}

/** A pseudo pid: every PostgreSQL server process as one (its backends do the services' queries). */
export const POSTGRES_GROUP = -1;

function postgresPids(): number[] {
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      return readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'postgres' ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

function read(pid: number): { ticks: number; rssMb: number; threads: Map<string, ThreadCounters> } | undefined {
  try {
    // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { ticks, rssMb: rssKb / 1024, threads: readThreads(pid) };
  } catch {
    return undefined; // the process has exited
  }
}

function readThreads(pid: number): Map<string, ThreadCounters> {
  const threads = new Map<string, ThreadCounters>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { waitNs } = parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
      const switches = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1] ?? 0);
      threads.set(tid, { waitNs, switches });
    } catch {
      // The thread ended between listing and reading: its last interval goes with it.
    }
  }
  return threads;
}

/** A schedstat line, "run ns, wait ns, times run"; zeros where the kernel keeps no schedstats. */
export function parseSchedstat(text: string): { waitNs: number; slices: number } {
  const [, waitNs, slices] = text.trim().split(/\s+/).map(Number);
  return Number.isFinite(waitNs) && Number.isFinite(slices) ? { waitNs, slices } : { waitNs: 0, slices: 0 };
}

interface MachineCpu {
  at: number;
  total: number;
  /** user + nice + system + irq + softirq: this guest's own work (not idle, not iowait, not steal). */
  busy: number;
}

/** The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal … (ticks; guest is inside user). */
export function parseMachineCpu(procStat: string, at: number): MachineCpu | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { at, total: user + nice + system + idle + iowait + irq + softirq + steal, busy: user + nice + system + irq + softirq };
}

function readMachineCpu(at: number): MachineCpu | undefined {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'), at);
  } catch {
    return undefined;
  }
}
