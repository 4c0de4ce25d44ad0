// npm run loadtest -- --orders 100000 --rate 2000 [--mode http|events] [--partitions 3] [--consumers 1] [--name NAME]
// Parsed strictly: a typo stops the run before anything starts.
import { checkArguments } from '@platform/kafka-local';

const USAGE = 'usage: npm run loadtest -- [--orders 10000] [--rate 500] [--mode http|events] [--partitions 3] [--consumers 1] [--name NAME] [--drain-timeout-s 120]';
export interface LoadOptions {
  orders: number;
  /** Offered orders per second (open model: sent on schedule whatever the answers). */
  rate: number;
  /** http: POST /orders to order-service; events: OrderCreated published straight to Kafka. */
  mode: 'http' | 'events';
  partitions: number;
  /** inventory-service instances sharing the consumer group. */
  consumers: number;
  name: string;
  /** Give up waiting for the last answers this long after the last send. */
  drainTimeoutMs: number;
}

export function parseLoadOptions(argv: string[]): LoadOptions {
  checkArguments(argv, { values: ['orders', 'rate', 'mode', 'partitions', 'consumers', 'name', 'drain-timeout-s'] }, USAGE);
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const positive = (name: string, fallback: number, max: number): number => {
    const text = value(name);
    const number = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(number) || number < 1 || number > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got "${text}"`);
    return number;
  };
  const mode = value('mode') ?? 'http';
  if (mode !== 'http' && mode !== 'events') throw new Error(`--mode must be http or events, got "${mode}"`);
  const options: LoadOptions = {
    orders: positive('orders', 10_000, 10_000_000),
    rate: positive('rate', 500, 100_000),
    mode,
    partitions: positive('partitions', 3, 64),
    consumers: positive('consumers', 1, 8),
    name: '',
    drainTimeoutMs: positive('drain-timeout-s', 120, 3600) * 1000,
  };
  options.name = value('name') ?? `loadtest-${options.mode}-${options.orders}-at-${options.rate}-p${options.partitions}-c${options.consumers}`;
  if (!/^[\w.-]+$/.test(options.name)) throw new Error(`--name may hold letters, digits, ".", "_" and "-" only, got "${options.name}"`);
  return options;
}
