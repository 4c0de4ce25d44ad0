// Stops the broker that global-setup started (a no-op for KAFKA_BROKERS) and removes this run's state.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__E2E_BROKER__?.stop();
  if (process.env.E2E_STATE_DIR) rmSync(process.env.E2E_STATE_DIR, { recursive: true, force: true });
}
