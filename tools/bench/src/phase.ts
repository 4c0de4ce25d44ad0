// Runs one benchmark phase: a start line, a progress line every few seconds (never silent for long),
// a hard timeout that aborts the phase's work, and an end line with the phase's and the run's time.
export interface PhaseContext {
  /** Aborted on timeout or SIGINT; the phase's work stops and cleans up. */
  signal: AbortSignal;
  /** Records done so far, shown in the progress lines. */
  progress(done: number): void;
  log(line: string): void;
}

export interface PhaseOptions {
  timeoutMs: number;
  /** Records the phase is expected to handle, for "n/total" in the progress lines. */
  total?: number;
  progressEveryMs?: number;
}

export class PhaseTimeout extends Error {
  override name = 'PhaseTimeout';
}

export class PhaseRunner {
  private readonly started = Date.now();
  private readonly stopAll = new AbortController();

  constructor(private readonly log: (line: string) => void) {}

  /** SIGINT: every running phase aborts. */
  abortAll(reason: string): void {
    this.stopAll.abort(new Error(reason));
  }

  get aborted(): boolean {
    return this.stopAll.signal.aborted;
  }

  elapsed(): string {
    return formatDuration(Date.now() - this.started);
  }

  async run<T>(name: string, options: PhaseOptions, work: (context: PhaseContext) => Promise<T>, describe: (result: T) => string): Promise<T> {
    const phaseStarted = Date.now();
    this.log(`[${this.elapsed()}] ${name}: started${options.total ? ` (${options.total.toLocaleString('en')} records)` : ''}, timeout ${Math.round(options.timeoutMs / 1000)} s`);
    const timeout = new AbortController();
    const signal = AbortSignal.any([timeout.signal, this.stopAll.signal]);
    let done = 0;
    let lastLine = Date.now();
    const line = (text: string) => {
      lastLine = Date.now();
      this.log(`[${this.elapsed()}]   ${name}: ${text}`);
    };
    const ticker = setInterval(() => {
      if (Date.now() - lastLine < (options.progressEveryMs ?? 5000) - 100) return;
      const count = options.total ? `${done.toLocaleString('en')}/${options.total.toLocaleString('en')} records, ` : '';
      line(`${count}${formatDuration(Date.now() - phaseStarted)}`);
    }, 1000);
    const timer = setTimeout(() => timeout.abort(new PhaseTimeout(`${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    try {
      const result = await abortable(work({ signal, progress: (n) => (done = n), log: line }), signal);
      this.log(`[${this.elapsed()}] ${name}: ${describe(result)} (phase ${formatDuration(Date.now() - phaseStarted)})`);
      return result;
    } finally {
      clearInterval(ticker);
      clearTimeout(timer);
    }
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')} min`;
}
