// CPU and memory of each process of the system under test, sampled from /proc once a second (Linux).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  name: string;
  pid: number;
  /** Average CPU over the run, in percent of one core. */
  cpuPercent: number;
  maxCpuPercent: number;
  maxRssMb: number;
}

export class ProcessStats {
  private readonly samples = new Map<number, { name: string; first?: { at: number; ticks: number }; last?: { at: number; ticks: number }; maxCpu: number; maxRss: number }>();

  constructor(processes: { name: string; pid: number }[]) {
    for (const { name, pid } of processes) this.samples.set(pid, { name, maxCpu: 0, maxRss: 0 });
  }

  sample(at = Date.now()): void {
    for (const [pid, entry] of this.samples) {
      const reading = pid === POSTGRES_GROUP ? readPostgres() : read(pid);
      if (!reading) continue;
      if (entry.last) {
        const cpu = ((reading.ticks - entry.last.ticks) / TICKS_PER_SECOND / ((at - entry.last.at) / 1000)) * 100;
        entry.maxCpu = Math.max(entry.maxCpu, cpu);
      }
      entry.first ??= { at, ticks: reading.ticks };
      entry.last = { at, ticks: reading.ticks };
      entry.maxRss = Math.max(entry.maxRss, reading.rssMb);
    }
  }

  usage(): ProcessUsage[] {
    return [...this.samples].map(([pid, entry]) => {
      const span = entry.first && entry.last ? (entry.last.at - entry.first.at) / 1000 : 0;
      const cpu = span > 0 && entry.first && entry.last ? ((entry.last.ticks - entry.first.ticks) / TICKS_PER_SECOND / span) * 100 : 0;
      return { name: entry.name, pid, cpuPercent: Math.round(cpu), maxCpuPercent: Math.round(entry.maxCpu), maxRssMb: Math.round(entry.maxRss) };
    });
  }
}

/** A pseudo pid: the sum of every PostgreSQL server process (its backends do the services' queries). */
export const POSTGRES_GROUP = -1;

function readPostgres(): { ticks: number; rssMb: number } | undefined {
  let ticks = 0;
  let found = false;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const reading = read(Number(name));
    if (reading) {
      ticks += reading.ticks;
      found = true;
    }
  }
  // Backends share memory: a sum of their RSS would count it many times, so none is reported.
  return found ? { ticks, rssMb: 0 } : undefined;
}

function read(pid: number): { ticks: number; rssMb: number } | undefined {
  try {
    // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { ticks, rssMb: rssKb / 1024 };
  } catch {
    return undefined; // the process has exited
  }
}
