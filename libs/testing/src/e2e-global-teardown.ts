// Jest globalTeardown shared by every e2e project: stop the broker e2e-global-setup started (a no-op
// for KAFKA_BROKERS) and remove this run's state.
import { rmSync } from 'node:fs';

export default async function e2eGlobalTeardown(): Promise<void> {
  await globalThis.__E2E_BROKER__?.stop();
  if (process.env.E2E_STATE_DIR) rmSync(process.env.E2E_STATE_DIR, { recursive: true, force: true });
}
