// The files of the small benchmarks (bench:wakeup, bench:idle): docs/bench/<name>.md with a title,
// where it came from, the command line and what was measured, then the table; and <name>.json.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BENCH_DIR = resolve(__dirname, '..', '..', '..', 'docs', 'bench');

export interface SmallBenchReport {
  name: string;
  title: string;
  /** The npm script, e.g. `bench:idle`, and the file that does the measuring. */
  script: string;
  source: string;
  /** After the command line: when, on what machine, under what load. */
  runLine: string;
  /** What the table shows and how it was measured. */
  method: string;
  table: string;
  json: object;
}

/** The command as the user typed it: `npm run <script> -- <arguments>`. */
export function commandLine(script: string, argv = process.argv.slice(2)): string {
  return `npm run ${script}${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
}

export function writeSmallBenchReport(report: SmallBenchReport): void {
  const command = commandLine(report.script);
  const markdown = [
    `# ${report.title}`,
    '',
    `Written by \`npm run ${report.script}\` (${report.source}). Do not edit by hand: run it again.`,
    '',
    `\`${command}\` · ${report.runLine}`,
    '',
    report.method,
    '',
    report.table,
    '',
  ].join('\n');
  const base = join(BENCH_DIR, report.name);
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, `${JSON.stringify({ command, ...report.json }, null, 2)}\n`);
  process.stdout.write(`\n${report.table}\n\nwritten: ${base}.md\n         ${base}.json\n`);
}
