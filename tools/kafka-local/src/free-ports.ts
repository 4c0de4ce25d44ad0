// Free TCP ports on this machine, for brokers and services started by tests, demos and benchmarks.
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

/**
 * The first client port of `nodes` local brokers: ports base … base+nodes-1 are free, and so are their
 * controller ports (+10000), as tools/kafka-local lays them out.
 */
export async function freeBrokerPorts(nodes = 1): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const ports = Array.from({ length: nodes }, (_, i) => [base + i, base + i + 10000]).flat();
    if ((await Promise.all(ports.map((port) => isPortFree(port)))).every(Boolean)) return base;
  }
  throw new Error(`no ${nodes} free broker port pair(s) (p, p+10000) found between 20000 and 50000`);
}
