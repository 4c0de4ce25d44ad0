// Minimal argument parsing for the dlq CLI: positionals and `--name value` / `--flag` options.
export interface CliArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

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
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) options[name] = true;
    else options[name] = argv[++i];
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
