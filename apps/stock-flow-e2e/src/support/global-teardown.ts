// Stops the broker that global-setup started (a no-op for KAFKA_BROKERS).
export default async function globalTeardown(): Promise<void> {
  await globalThis.__E2E_BROKER__?.stop();
}
