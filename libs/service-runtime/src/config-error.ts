// Configuration is read once at start-up and validated; a bad value stops the process with one
// clear line naming the variable, instead of a stack trace or a service that half works.
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 1 and 65535, got "${value}"`);
  }
  return port;
}

/** Runs a config loader; on any error prints `<service>: invalid configuration: <reason>` and exits 1. */
export function loadConfigOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`${service}: invalid configuration: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
