// What one message between two processes costs on this machine when they sleep in between.
// Every hop of an order (driver → order-service → PostgreSQL → broker → inventory-service → …) wakes a
// process that was waiting. When traffic is dense a process finds the next message already queued;
// when it is sparse each message wakes a sleeping process, and that wake-up has a price of its own
// (scheduler, cold caches and TLB, the virtual CPU being resumed). This measures that price, with no
// Kafka and no database: a client and an echo server (a second Node process) on loopback TCP, one
// round trip at a time, first back to back, then with a pause between round trips. The CPU of both
// processes per round trip, against the back-to-back figure, is what a hop costs at low rates.
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, Socket } from 'node:net';

export interface WakeupStep {
  /** Pause between the end of one round trip and the start of the next (0: back to back). */
  pauseMs: number;
  roundTrips: number;
  rttP50Us: number;
  rttP99Us: number;
  /** CPU (user + system) per round trip of the client and of the echo server. */
  clientCpuUs: number;
  serverCpuUs: number;
}

/** Echoes every chunk back; answers 'cpu' on its IPC channel with its own CPU time so far. */
const ECHO_SERVER = `
const net = require('node:net');
const server = net.createServer((socket) => { socket.setNoDelay(true); socket.on('data', (chunk) => socket.write(chunk)); });
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => { if (m === 'cpu') { const u = process.cpuUsage(); process.send({ cpuUs: u.user + u.system }); } else if (m === 'stop') process.exit(0); });
`;

export const DEFAULT_PAUSES_MS = [0, 1, 2, 5, 10, 20];

/** About 3 s per pause; back to back, enough round trips for a stable figure. */
export function roundTripsFor(pauseMs: number): number {
  return pauseMs === 0 ? 20_000 : Math.max(100, Math.round(3_000 / (pauseMs + 0.3)));
}

export async function measureWakeupCost(
  pausesMs: number[],
  recordSize: number,
  progress: (step: WakeupStep) => void,
  countFor: (pauseMs: number) => number = roundTripsFor,
): Promise<WakeupStep[]> {
  const server = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { port } = await answerOf<{ port: number }>(server);
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    const payload = Buffer.alloc(recordSize, 0x61);
    // Warm-up: JIT and connection, not measured.
    await roundTrips(socket, payload, Math.min(2_000, countFor(0)), 0);
    const steps: WakeupStep[] = [];
    for (const pauseMs of pausesMs) {
      const count = countFor(pauseMs);
      const serverBefore = await serverCpuUs(server);
      const clientBefore = process.cpuUsage();
      const rtts = await roundTrips(socket, payload, count, pauseMs);
      const client = process.cpuUsage(clientBefore);
      const serverUsed = (await serverCpuUs(server)) - serverBefore;
      rtts.sort((a, b) => a - b);
      const step: WakeupStep = {
        pauseMs,
        roundTrips: count,
        rttP50Us: Math.round(percentile(rtts, 50)),
        rttP99Us: Math.round(percentile(rtts, 99)),
        clientCpuUs: Math.round((client.user + client.system) / count),
        serverCpuUs: Math.round(serverUsed / count),
      };
      steps.push(step);
      progress(step);
    }
    socket.destroy();
    return steps;
  } finally {
    server.send('stop', () => undefined);
    server.kill();
  }
}

/** One round trip at a time: send, wait for the whole echo, pause (a timer, as a waiting service sleeps), again. */
function roundTrips(socket: Socket, payload: Buffer, count: number, pauseMs: number): Promise<number[]> {
  const rtts: number[] = [];
  return new Promise((done, fail) => {
    let received = 0;
    let sentAt = 0n;
    const send = () => {
      received = 0;
      sentAt = process.hrtime.bigint();
      socket.write(payload);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received < payload.length) return;
      rtts.push(Number(process.hrtime.bigint() - sentAt) / 1_000);
      if (rtts.length === count) {
        socket.off('data', onData);
        socket.off('error', fail);
        done(rtts);
      } else if (pauseMs > 0) setTimeout(send, pauseMs);
      else setImmediate(send);
    };
    socket.on('data', onData);
    socket.once('error', fail);
    send();
  });
}

async function serverCpuUs(server: ChildProcess): Promise<number> {
  server.send('cpu');
  return (await answerOf<{ cpuUs: number }>(server)).cpuUs;
}

/** The echo server's next IPC message; an error, not a hang, if it exits first. */
async function answerOf<T>(server: ChildProcess): Promise<T> {
  const exited = once(server, 'exit').then(([code, signal]) => {
    throw new Error(`the echo server exited (${signal ?? `code ${code}`}) before answering`);
  });
  const [answer] = (await Promise.race([once(server, 'message'), exited])) as [T];
  return answer;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** CPU of both processes per round trip, as a multiple of the back-to-back figure (the first step with pause 0). */
export function costRatio(step: WakeupStep, steps: WakeupStep[]): number | undefined {
  const busy = steps.find((candidate) => candidate.pauseMs === 0);
  if (!busy) return undefined;
  const busyCpu = busy.clientCpuUs + busy.serverCpuUs;
  return busyCpu > 0 ? Math.round(((step.clientCpuUs + step.serverCpuUs) / busyCpu) * 10) / 10 : undefined;
}

export function wakeupTable(steps: WakeupStep[]): string {
  const rows = steps.map((step) => {
    const ratio = costRatio(step, steps);
    return `| ${step.pauseMs === 0 ? 'none (back to back)' : `${step.pauseMs} ms`} | ${step.roundTrips.toLocaleString('en')} | ${step.rttP50Us} / ${step.rttP99Us} µs | ${step.clientCpuUs} µs | ${step.serverCpuUs} µs | ${step.clientCpuUs + step.serverCpuUs} µs | ${ratio === undefined ? '–' : `${ratio}×`} |`;
  });
  return [
    '| pause between round trips | round trips | round trip p50 / p99 | client CPU per round trip | echo server CPU per round trip | both | both ÷ back to back |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
