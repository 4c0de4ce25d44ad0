// Tests wait for a condition, never for a fixed time: poll until the check returns a value (not
// undefined/false), or fail with a message that says what was awaited and the last value seen.
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${options.timeoutMs ?? 15_000} ms waiting for ${description} (last: ${detail})`);
    }
    await new Promise((done) => setTimeout(done, options.intervalMs ?? 100));
  }
}
