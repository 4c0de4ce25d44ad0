// Runs a service as its own OS process, exactly as `nx serve` does (same main.ts), so e2e tests see
// what users run: separate processes that share nothing but the broker. Output is kept for failure
// messages, and with E2E_SERVICE_LOG_DIR set also written to <dir>/<name>-<pid>.log (to read what the
// services said in a run that passed); stop() sends a signal and returns the exit code.
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from './wait-for';

export interface ServiceProcess {
  name: string;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  child: ChildProcess;
}

export async function startServiceProcess(options: {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /** For a process without HTTP: ready once its output matches. */
  readyLine?: RegExp;
}): Promise<ServiceProcess> {
  const root = resolve(__dirname, '..', '..', '..');
  const child = spawn(process.execPath, [resolve(root, 'tools/scripts/run-ts.js'), resolve(root, options.entry)], {
    cwd: root,
    env: { ...process.env, ...options.env, PORT: String(options.port), NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const logDir = process.env.E2E_SERVICE_LOG_DIR;
  if (logDir) mkdirSync(logDir, { recursive: true });
  const logFile = logDir ? createWriteStream(resolve(logDir, `${options.name}-${child.pid}.log`)) : undefined;
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    logFile?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => logFile?.end());
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const service: ServiceProcess = {
    name: options.name,
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await waitFor(
      `${options.name} to answer on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output.slice(-2000)}`);
        if (options.readyLine) return options.readyLine.test(output);
        const response = await fetch(`${url}/docs-json`).catch(() => undefined);
        return response?.ok;
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 200 },
    );
  } catch (error) {
    await service.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- ${options.name} output ---\n${output.slice(-3000)}`);
  }
  return service;
}
