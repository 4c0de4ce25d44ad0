// Free TCP ports on this machine, for brokers and services started by tests, demos and benchmarks.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isPortFree } from './prerequisites';

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const CONTROLLER_OFFSET = 10_000;
const LOWEST_BROKER_PORT = 10_000;

/**
 * The first client port of `nodes` local brokers: ports base … base+nodes-1 are free, and so are their
 * controller ports (+10000), as tools/kafka-local lays them out.
 *
 * Both lie below the kernel's ephemeral range: a broker that a fault test stops and starts again must
 * get its port back, and a port from that range can meanwhile become the source port of any outgoing
 * connection (seen: `BindException: Address already in use` on a broker restart).
 */
export async function freeBrokerPorts(nodes = 1): Promise<number> {
  const highest = ephemeralPortsStart() - CONTROLLER_OFFSET - nodes;
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = LOWEST_BROKER_PORT + Math.floor(Math.random() * (highest - LOWEST_BROKER_PORT));
    const ports = Array.from({ length: nodes }, (_, i) => [base + i, base + i + CONTROLLER_OFFSET]).flat();
    if ((await Promise.all(ports.map((port) => isPortFree(port)))).every(Boolean)) return base;
  }
  throw new Error(`no ${nodes} free broker port pair(s) (p, p+${CONTROLLER_OFFSET}) found between ${LOWEST_BROKER_PORT} and ${highest + CONTROLLER_OFFSET}`);
}

/** Where the kernel starts handing out source ports (Linux's setting; its default elsewhere). */
export function ephemeralPortsStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > LOWEST_BROKER_PORT + CONTROLLER_OFFSET + 1000) return low;
  } catch {
    // not Linux: fall through to the IANA default range start
  }
  return 32_768;
}
