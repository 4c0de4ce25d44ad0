// npm run bench:history [-- --dir DIR]
// The table of every bench:targets run kept in docs/bench (or DIR): docs/bench/targets-history.md.
import { resolve } from 'node:path';
import { writeHistory } from './targets-history-files';

const args = process.argv.slice(2);
if (args.length > 0 && !(args.length === 2 && args[0] === '--dir')) {
  process.stderr.write(`bench:history: unknown arguments "${args.join(' ')}"; usage: npm run bench:history [-- --dir DIR]\n`);
  process.exit(2);
}
const dir = resolve(args[1] ?? resolve(__dirname, '..', '..', '..', 'docs/bench'));
process.stdout.write(`written: ${writeHistory(dir)}\n`);
