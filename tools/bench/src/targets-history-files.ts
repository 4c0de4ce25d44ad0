// The files behind the history of bench:targets runs: reading every kept run from docs/bench, moving
// the latest run aside before a new one overwrites it (and back if the new one fails), and writing
// targets-history.md.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyTable, RecordedRun, TargetsRun } from './targets-history';
import { StepsFile } from './targets';

/** The files one bench:targets run writes into its directory. */
const RUN_FILES = ['targets', 'targets-baselines', 'targets-events', 'targets-http'].flatMap((name) => [`${name}.json`, `${name}.md`]);

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

function recordedRun(dir: string, link: string): RecordedRun | undefined {
  const run = readJson<TargetsRun>(join(dir, 'targets.json'));
  if (!run) return undefined;
  const ceilings = ['targets-events', 'targets-http']
    .map((name) => readJson<StepsFile>(join(dir, `${name}.json`))?.ceiling?.before?.recordsPerSecond)
    .filter((value): value is number => value !== undefined);
  return { link, run, ceilings };
}

/** The latest run (targets.json in `dir`) and every run kept in a targets-* directory beside it. */
export function recordedRuns(dir: string): RecordedRun[] {
  const kept = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('targets-'))
    .map((entry) => recordedRun(join(dir, entry.name), `${entry.name}/targets.md`));
  return [recordedRun(dir, 'targets.md'), ...kept].filter((run): run is RecordedRun => run !== undefined);
}

/**
 * Moves the latest run's files into targets-HHMM/ (its start, UTC; with the date when that name is
 * taken, and a count after it when that is taken too), so a new run keeps it instead of overwriting
 * it. Returns the directory, if there was a run.
 */
export function keepLatestRun(dir: string): string | undefined {
  const latest = readJson<TargetsRun>(join(dir, 'targets.json'));
  if (!latest) return undefined;
  const target = freeRunDirectory(dir, latest.date);
  moveRunFiles(dir, target);
  return target;
}

/**
 * Undoes keepLatestRun after a new run failed or was stopped: the new run's files (partial, not
 * evidence for the history) go to `failedTo`, and the kept run comes back as the latest, so
 * docs/bench never stays without a targets.md. Returns `failedTo` if the new run had written any.
 */
export function restoreKeptRun(dir: string, kept: string, failedTo: string): string | undefined {
  const partial = RUN_FILES.some((file) => existsSync(join(dir, file)));
  if (partial) moveRunFiles(dir, failedTo);
  moveRunFiles(kept, dir);
  if (readdirSync(kept).length === 0) rmdirSync(kept);
  return partial ? failedTo : undefined;
}

function moveRunFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const file of RUN_FILES) if (existsSync(join(from, file))) renameSync(join(from, file), join(to, file));
}

/** targets-HHMM, else targets-YYYYMMDD-HHMM, else that with -2, -3…: the first name not taken. */
function freeRunDirectory(dir: string, date: string): string {
  const iso = date.replace(/[-:]/g, '');
  const [day, minute] = [iso.slice(0, 8), iso.slice(9, 13)];
  const short = `targets-${minute}`;
  if (!existsSync(join(dir, short))) return join(dir, short);
  let name = `targets-${day}-${minute}`;
  for (let count = 2; existsSync(join(dir, name)); count++) name = `targets-${day}-${minute}-${count}`;
  return join(dir, name);
}

/** Writes `dir`/targets-history.md from the runs kept there; returns its path. */
export function writeHistory(dir: string): string {
  const runs = recordedRuns(dir);
  const file = join(dir, 'targets-history.md');
  writeFileSync(
    file,
    [
      '# Every `npm run bench:targets` run kept here',
      '',
      'Written by `npm run bench:history` (and at the end of every `npm run bench:targets`). Do not edit by hand.',
      '',
      "Oldest first. The host's speed is Kafka's own `ProducerPerformance` on a cold broker before each of the run's two `bench:steps` runs (512-byte records, acks=all): the verdicts belong to their hour and host, so read them side by side. Each run's own file has the figures behind its row.",
      '',
      historyTable(runs),
      '',
      `${runs.length} runs; every target met in ${runs.filter(({ run }) => run.rows.every((row) => row.met)).length} of them.`,
      '',
    ].join('\n'),
  );
  return file;
}
