// The table of every bench:targets run, and the moving aside of the latest run before a new one.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetRow } from './targets';
import { historyTable, hostOf, TargetsRun } from './targets-history';
import { keepLatestRun, recordedRuns, restoreKeptRun, writeHistory } from './targets-history-files';

const rows = (http: string, httpMet: boolean): TargetRow[] => [
  { target: 'libs/messaging producer ≥ 0.9 × raw kafkajs (EventPublisher ÷ sendBatch)', measured: '1.15', met: true },
  { target: 'libs/messaging consumer ≥ 0.9 × raw kafkajs: batch handlers, as every service uses (÷ eachBatch)', measured: '1.31', met: true },
  { target: 'libs/messaging consumer ≥ 0.9 × raw kafkajs: one message at a time through Nest (÷ eachMessage)', measured: '0.21 (stock Nest transport: 0.24)', met: false },
  {
    target: 'pipeline sustains ≥ 5,000 orders/s with zero loss (events mode)',
    measured: '4,998/s completed of 5,000/s offered; every order completed; 0 send errors; backlog drained in 0.02 s',
    met: true,
  },
  { target: 'end-to-end p99 ≤ 50 ms at 1,000 orders/s, events mode (from the scheduled send)', measured: 'p99 28 ms', met: true },
  { target: "end-to-end p99 ≤ 50 ms at 1,000 orders/s through HTTP (from order-service's receipt)", measured: http, met: httpMet },
];

const run = (date: string, machine: string, http = 'p99 75 ms', httpMet = false): TargetsRun => ({ date, machine, rows: rows(http, httpMet) });

describe('historyTable', () => {
  it('puts one row per run, oldest first, each target short with its verdict', () => {
    const table = historyTable([
      { link: 'targets.md', run: run('2026-11-28T17:08:41.358Z', '2 cores (Intel(R) Xeon(R) Processor), 24 GB, Node v20.20.2'), ceilings: [33_979, 30_497.4] },
      { link: 'targets-1613/targets.md', run: run('2026-11-28T16:13:48.484Z', '2 cores (AMD EPYC), 24 GB', 'p99 47 ms', true), ceilings: [] },
    ]);

    const [, , first, second] = table.split('\n');
    expect(first).toBe('| [2026-11-28 16:13](targets-1613/targets.md) | AMD EPYC | — | 1.15 ✔ | 1.31 ✔ | 0.21 (0.24) ✘ | 4,998/s (0.02 s) ✔ | 28 ms ✔ | 47 ms ✔ | 5 of 6 |');
    expect(second).toBe('| [2026-11-28 17:08](targets.md) | Intel Xeon | 33,979 / 30,497 | 1.15 ✔ | 1.31 ✔ | 0.21 (0.24) ✘ | 4,998/s (0.02 s) ✔ | 28 ms ✔ | 75 ms ✘ | 4 of 6 |');
  });

  it('names the host by its CPU model, parentheses and all', () => {
    expect(hostOf('2 cores (Intel(R) Xeon(R) Processor @ 2.50GHz), 24 GB, Node v20.20.2')).toBe('Intel Xeon @ 2.50GHz');
    expect(hostOf('2 cores (AMD EPYC), 24 GB')).toBe('AMD EPYC');
  });
});

describe('the files of the runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'targets-history-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeRun = (target: string, date: string) => {
    writeFileSync(join(target, 'targets.json'), JSON.stringify(run(date, '2 cores (AMD EPYC), 24 GB')));
    writeFileSync(join(target, 'targets.md'), `run of ${date}`);
    writeFileSync(join(target, 'targets-events.json'), JSON.stringify({ rows: [], ceiling: { before: { recordsPerSecond: 25_000 } } }));
  };

  it('moves the latest run aside under its start time, and the history keeps both runs', () => {
    writeRun(dir, '2026-11-28T16:13:48.484Z');
    expect(keepLatestRun(dir)).toBe(join(dir, 'targets-1613'));
    expect(existsSync(join(dir, 'targets.json'))).toBe(false);
    expect(readFileSync(join(dir, 'targets-1613', 'targets.md'), 'utf8')).toBe('run of 2026-11-28T16:13:48.484Z');

    writeRun(dir, '2026-11-28T17:08:41.358Z');
    const history = readFileSync(writeHistory(dir), 'utf8');

    expect(recordedRuns(dir).map(({ link }) => link).sort()).toEqual(['targets-1613/targets.md', 'targets.md']);
    expect(history).toContain('| [2026-11-28 16:13](targets-1613/targets.md) | AMD EPYC | 25,000 |');
    expect(history).toContain('2 runs; every target met in 0 of them.');
  });

  it('adds the date when a run of the same minute another day is kept already', () => {
    writeRun(dir, '2026-11-28T16:13:48.484Z');
    keepLatestRun(dir);
    writeRun(dir, '2026-11-29T16:13:00.000Z');

    expect(keepLatestRun(dir)).toBe(join(dir, 'targets-20261129-1613'));
  });

  it('counts on when the dated name is taken as well, and overwrites no kept run', () => {
    for (const date of ['2026-11-28T16:13:48.484Z', '2026-11-29T16:13:00.000Z', '2026-11-29T16:13:30.000Z']) {
      writeRun(dir, date);
      keepLatestRun(dir);
    }
    writeRun(dir, '2026-11-29T16:13:59.000Z');

    expect(keepLatestRun(dir)).toBe(join(dir, 'targets-20261129-1613-3'));
    expect(readFileSync(join(dir, 'targets-20261129-1613-2', 'targets.md'), 'utf8')).toBe('run of 2026-11-29T16:13:30.000Z');
  });

  it("brings the kept run back after a failed run, and puts the failed run's files elsewhere", () => {
    writeRun(dir, '2026-11-28T16:13:48.484Z');
    const kept = keepLatestRun(dir) as string;
    writeFileSync(join(dir, 'targets-baselines.json'), '{"partial":true}');
    const failedTo = join(dir, 'failed');

    expect(restoreKeptRun(dir, kept, failedTo)).toBe(failedTo);
    expect(readFileSync(join(dir, 'targets.md'), 'utf8')).toBe('run of 2026-11-28T16:13:48.484Z');
    expect(readFileSync(join(failedTo, 'targets-baselines.json'), 'utf8')).toBe('{"partial":true}');
    expect(existsSync(kept)).toBe(false);
    expect(recordedRuns(dir).map(({ link }) => link)).toEqual(['targets.md']);
  });

  it('says nothing was left when the failed run wrote no file', () => {
    writeRun(dir, '2026-11-28T16:13:48.484Z');
    const kept = keepLatestRun(dir) as string;

    expect(restoreKeptRun(dir, kept, join(dir, 'failed'))).toBeUndefined();
    expect(existsSync(join(dir, 'failed'))).toBe(false);
    expect(existsSync(join(dir, 'targets.json'))).toBe(true);
  });

  it('keeps nothing when there is no run yet', () => {
    expect(keepLatestRun(dir)).toBeUndefined();
  });
});
