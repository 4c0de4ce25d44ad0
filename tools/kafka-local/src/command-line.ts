// The tools' command lines, checked before anything starts: an option a command does not know (say
// --order for --orders) stops it with its usage, instead of a run on the defaults that looks like the
// one asked for.

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface KnownArguments {
  /** Options followed by a value: `--orders 5000`. */
  values?: readonly string[];
  /** Options on their own: `--restart-broker`. */
  flags?: readonly string[];
  /** How many words that are not options it takes (a command such as `start`); none by default. */
  positionals?: number;
}

export function checkArguments(argv: readonly string[], known: KnownArguments, usage: string): void {
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (!argument.startsWith('--')) {
      positionals++;
      if (positionals > (known.positionals ?? 0)) throw new UsageError(`unexpected argument "${argument}"; ${usage}`);
      continue;
    }
    const name = argument.slice(2);
    if (known.flags?.includes(name)) continue;
    if (!known.values?.includes(name)) {
      const [written] = name.split('=');
      const hint = name.includes('=') && known.values?.includes(written) ? ` (write --${written} <value>, with a space)` : '';
      throw new UsageError(`unknown option "${argument}"${hint}; ${usage}`);
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${argument} needs a value; ${usage}`);
    i++;
  }
}
