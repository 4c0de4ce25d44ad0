// Every run of `npm run bench:targets` kept in docs/bench (the latest in targets.json, earlier ones in
// targets-HHMM/), as one table: which targets each met, on which host, and how fast the host was.
// The verdicts belong to the hour and the host, so they are read side by side, never one alone.
// Pure: takes the parsed files, returns Markdown.
import { TargetRow } from './targets';

/** What a targets.json holds (targets-cli.ts writes it). */
export interface TargetsRun {
  date: string;
  machine: string;
  rows: TargetRow[];
}

export interface RecordedRun {
  /** The run's targets.md, relative to the history file. */
  link: string;
  run: TargetsRun;
  /** Kafka's ProducerPerformance records/s on the broker of each bench:steps run, cold: the host's speed. */
  ceilings: number[];
}

/** The table's columns: which target row each reads, and how it shortens the measured text. */
const COLUMNS: { title: string; matches: (target: string) => boolean; short: (measured: string) => string }[] = [
  { title: 'producer', matches: (t) => t.startsWith('libs/messaging producer'), short: (m) => m },
  { title: 'batch consumer', matches: (t) => t.includes('batch handlers'), short: (m) => m },
  { title: 'per-message (stock Nest)', matches: (t) => t.includes('one message at a time'), short: (m) => m.replace('(stock Nest transport: ', '(') },
  { title: '5,000/s sustained (backlog drained in)', matches: (t) => t.startsWith('pipeline sustains'), short: sustained },
  { title: 'p99 at 1,000/s, events', matches: (t) => t.startsWith('end-to-end') && t.includes('events mode'), short: (m) => m.replace(/^p99 /, '') },
  { title: 'p99 at 1,000/s, HTTP (from receipt)', matches: (t) => t.startsWith('end-to-end') && t.includes('through HTTP'), short: (m) => m.replace(/^p99 /, '') },
];

export function historyTable(runs: RecordedRun[]): string {
  const sorted = [...runs].sort((a, b) => Date.parse(a.run.date) - Date.parse(b.run.date));
  const lines = [
    `| run (UTC) | host | ProducerPerformance, records/s | ${COLUMNS.map((column) => column.title).join(' | ')} | met |`,
    `|---|---|---|${COLUMNS.map(() => '---|').join('')}---|`,
  ];
  for (const { link, run, ceilings } of sorted) {
    const cells = COLUMNS.map(({ matches, short }) => {
      const row = run.rows.find((candidate) => matches(candidate.target));
      return row ? `${short(row.measured)} ${row.met ? '✔' : '✘'}` : '—';
    });
    const met = run.rows.filter((row) => row.met).length;
    const speed = ceilings.length > 0 ? ceilings.map((value) => Math.round(value).toLocaleString('en')).join(' / ') : '—';
    lines.push(`| [${run.date.slice(0, 16).replace('T', ' ')}](${link}) | ${hostOf(run.machine)} | ${speed} | ${cells.join(' | ')} | ${met} of ${run.rows.length} |`);
  }
  return lines.join('\n');
}

/** "4,998/s completed of 5,000/s offered; …; backlog drained in 0.02 s" → "4,998/s (0.02 s)". */
function sustained(measured: string): string {
  const rate = /^[\d,]+\/s/.exec(measured)?.[0];
  const drain = /backlog drained in ([\d.]+ s)/.exec(measured)?.[1];
  return rate ? `${rate}${drain ? ` (${drain})` : ''}` : measured;
}

/** "2 cores (Intel(R) Xeon(R) Processor @ 2.50GHz), 24 GB, …" → "Intel Xeon @ 2.50GHz": the CPU model, as os.cpus() names it. */
export function hostOf(machine: string): string {
  const start = machine.indexOf('(');
  let depth = 0;
  let end = start;
  // The model's own parentheses, (R) and (TM), are nested in the ones around it.
  for (; start >= 0 && end < machine.length; end++) {
    if (machine[end] === '(') depth++;
    else if (machine[end] === ')' && --depth === 0) break;
  }
  const model = start >= 0 ? machine.slice(start + 1, end) : machine;
  return model.replace(/\((R|TM)\)/g, '').replace(/\s+Processor\b/, '').replace(/\s+/g, ' ').trim();
}
