// A steady stream of orders at a fixed arrival rate (open model: requests go out on schedule whether or
// not earlier ones have answered), each for one unit of one SKU, so stock arithmetic is exact.
import { requestJson, waitFor } from '@platform/testing';

export interface SteadyLoad {
  accepted: string[];
  /** Non-202 answers and transport errors, by status or error message. */
  failures: Map<string, number>;
  startedAt: number;
  /** Waits until `count` more orders were accepted than when it was called. */
  acceptMore(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<number>;
}

const TICK_MS = 20;

export function startSteadyLoad(ordersUrl: string, options: { ratePerSecond: number; customerId: string; sku: string }): SteadyLoad {
  const accepted: string[] = [];
  const failures = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  let sent = 0;
  const send = () => {
    const request = requestJson('POST', `${ordersUrl}/orders`, { customerId: options.customerId, items: [{ sku: options.sku, quantity: 1 }] })
      .then((response) => {
        if (response.status === 202) accepted.push(response.body.orderId);
        else failures.set(String(response.status), (failures.get(String(response.status)) ?? 0) + 1);
      })
      .catch((error: Error) => void failures.set(error.message, (failures.get(error.message) ?? 0) + 1))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - startedAt) * options.ratePerSecond) / 1000);
    for (; sent < due; sent++) send();
  }, TICK_MS);
  return {
    accepted,
    failures,
    startedAt,
    acceptMore: (count, timeoutMs = 120_000) => {
      const target = accepted.length + count;
      return waitFor(`${count} more orders accepted (load at ${options.ratePerSecond}/s)`, () => accepted.length >= target, { timeoutMs, intervalMs: 50 }).then(() => undefined);
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      return sent;
    },
  };
}
