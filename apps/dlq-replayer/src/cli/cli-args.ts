// Argument parsing for the dlq CLI: positionals and `--name value` / `--flag` options, checked against
// what each command reads. An option a command does not know stops it: a mistyped filter on
// `replay … --execute` would otherwise select, and replay, every message of the topic.
export interface CliArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

/** Options that stand alone; every other option takes the next word as its value. */
const FLAGS = ['execute', 'force'];
const SELECTION = ['original-topic', 'exception', 'key', 'from', 'to', 'status', 'messages'];

/** The options each command reads. */
export const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  list: [...SELECTION, 'limit', 'cursor'],
  show: [],
  replay: [...SELECTION, 'target', 'rate', 'execute', 'force'],
  resolve: [...SELECTION, 'note'],
  audit: ['limit'],
};

export const USAGE = 'usage: dlq list|show|replay|resolve|audit … (see the header of apps/dlq-replayer/src/cli/dlq-cli.ts or the README)';

export function parseArgs(argv: string[]): CliArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (FLAGS.includes(name)) {
      options[name] = true;
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
    options[name] = argv[++i];
  }
  const command = positionals[0];
  const known = command === undefined ? undefined : COMMAND_OPTIONS[command];
  if (!known) throw new Error(USAGE);
  const unknown = Object.keys(options).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`${command} does not take ${unknown.map((name) => `--${name}`).join(', ')}; it takes ${known.length > 0 ? known.map((name) => `--${name}`).join(', ') : 'no options'}`);
  }
  return { positionals, options };
}

/** The filter/selection fields the API understands, from CLI options. */
export function selectionFrom(options: CliArgs['options']): Record<string, unknown> {
  const selection: Record<string, unknown> = {};
  for (const [option, field] of [
    ['original-topic', 'originalTopic'],
    ['exception', 'exception'],
    ['key', 'key'],
    ['from', 'from'],
    ['to', 'to'],
    ['status', 'status'],
  ]) {
    if (typeof options[option] === 'string') selection[field] = options[option];
  }
  if (typeof options.messages === 'string') {
    // --messages 0:12,2:7
    selection.messages = options.messages.split(',').map((pair) => pair.split(':').map(Number));
  }
  return selection;
}
