// Offers orders at a constant rate (open model) and watches inventory-service's answers. http mode
// posts to order-service; events mode publishes OrderCreated to Kafka itself (the HTTP and outbox
// part left out). Either way an order is done when its StockReserved or StockRejected is seen.
import { createEnvelope, OrderCreatedV2, SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient, EventPublisher, readGroupLag } from '@platform/messaging';
import { flowStartedAtOf } from '@platform/observability';
import type { IHeaders } from 'kafkajs';
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AnswerMarks, LatencyRecorder } from './latency-recorder';
import { LoadOptions } from './load-options';
import { LoadSystem } from './loadtest-system';

export const SKUS = Array.from({ length: 100 }, (_, i) => `LOAD-${String(i).padStart(3, '0')}`);

/** Plenty of stock on the 100 SKUs, so every order is reserved and no row is one hot spot. */
export async function seedStock(system: LoadSystem): Promise<void> {
  for (const sku of SKUS) {
    const response = await fetch(`${system.inventories[0].url}/inventory/${sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ available: 1_000_000_000 }),
    });
    if (!response.ok) throw new Error(`PUT /inventory/${sku} answered ${response.status}`);
  }
}
const TICK_MS = 5;
const MAX_CONNECTIONS = 256;
const OPEN_TIMEOUT_MS = 30_000;

/**
 * The connections a rate keeps busy when answers take up to a quarter of a second, opened before
 * the clock starts. Node 20's libuv accepts one connection per event-loop iteration (libuv#3696), so
 * order-service, busy at 1,000 orders/s, took about 60 new connections a second: the ~250 a fresh
 * pool opened in the first half-second of a step waited up to 3 s in its accept queue, the largest
 * latencies of the step, though no client population opens its connections all at once.
 */
export function connectionsFor(rate: number): number {
  return Math.min(MAX_CONNECTIONS, Math.max(16, Math.ceil(rate / 4)));
}

export interface DriveResult {
  recorder: LatencyRecorder;
  startedAt: number;
  lastScheduledAt: number;
  sendErrors: Map<string, number>;
  maxLag: number;
}

export async function drive(system: LoadSystem, options: LoadOptions, progress: (line: string) => void): Promise<DriveResult> {
  // Every connection used in turn (fifo), so the pool opened here stays open and warm. First, so
  // that a failure leaves no Kafka client behind.
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS, scheduling: 'fifo' });
  if (options.mode === 'http') {
    const connections = connectionsFor(options.rate);
    await openConnections(system, agent, connections).catch((error: Error) => {
      agent.destroy();
      throw new Error(`could not open ${connections} connections to order-service: ${error.message}`);
    });
  }
  const kafka = createKafkaClient({ clientId: 'loadtest', brokers: system.brokers });
  const sendErrors = new Map<string, number>();
  const fail = (reason: string) => sendErrors.set(reason, (sendErrors.get(reason) ?? 0) + 1);

  // The watcher reads every answer as a group of its own, from the end offsets as they are now: answers
  // of earlier runs on the same system (bench:steps, bench:scaling) would otherwise be read first and
  // delay the first answers of this one by the time it takes to skip them (seconds, after a few steps).
  const answerTopics = [TOPICS.stockReserved.name, TOPICS.stockRejected.name];
  const admin = kafka.admin();
  await admin.connect();
  const starts = await Promise.all(answerTopics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
  const watcher = kafka.consumer({ groupId: `loadtest-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await watcher.connect();
  await watcher.subscribe({ topics: answerTopics, fromBeginning: true });
  // Seconds of the timeline count from here; latencies from each order's own schedule.
  const recorder = new LatencyRecorder(Date.now());
  await watcher.run({
    // A throwaway group that seeks where it starts: committing its offsets would only load the broker
    // under test (kafkajs commits after every batch: 190 OffsetCommit requests/s at 1,000 orders/s).
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const at = Date.now();
      for (const message of batch.messages) {
        const orderId = message.key?.toString();
        if (!orderId) continue;
        recorder.observed(orderId, at, answerMarks(message.value, message.timestamp, message.headers?.baggage));
      }
    },
  });
  for (const { topic, partitions } of starts) for (const { partition, offset } of partitions) watcher.seek({ topic, partition, offset });
  const publisher = options.mode === 'events' ? new EventPublisher(kafka) : undefined;
  await publisher?.connect();

  const startedAt = Date.now();
  const interval = 1000 / options.rate;
  let scheduled = 0;
  let lastScheduledAt = startedAt;
  let maxLag = 0;
  const inFlight = new Set<Promise<void>>();
  // events mode: one publish in flight at a time, taking everything that became due meanwhile (as an
  // outbox relay does); hundreds of concurrent sends would only queue on the producer's broker lock.
  const queued: { at: number; index: number }[] = [];
  let publishing: Promise<void> | undefined;
  const publishQueued = () => {
    if (publishing || queued.length === 0) return;
    const batch = queued.splice(0, queued.length);
    publishing = publishOrders(publisher as EventPublisher, batch, recorder, fail).finally(() => {
      publishing = undefined;
      publishQueued();
    });
    inFlight.add(publishing);
    const current = publishing;
    void current.finally(() => inFlight.delete(current));
  };

  const lagTimer = setInterval(() => {
    readGroupLag(admin, SERVICES.inventoryService, [TOPICS.orderCreated.name])
      .then((partitions) => {
        const lag = partitions.reduce((sum, p) => sum + p.lag, 0);
        maxLag = Math.max(maxLag, lag);
        recorder.sampleLag(Date.now(), lag);
      })
      .catch(() => undefined);
  }, 1000);
  const progressTimer = setInterval(() => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const done = recorder.completed;
    const bar = '#'.repeat(Math.round((done / options.orders) * 30)).padEnd(30, '.');
    progress(`[${bar}] ${elapsed.toFixed(0)} s  sent ${scheduled}/${options.orders}  done ${done}  p99 ${recorder.percentileMs(99)} ms  max lag ${maxLag}  errors ${[...sendErrors.values()].reduce((a, b) => a + b, 0)}`);
  }, 1000);

  try {
    while (scheduled < options.orders) {
      const due = Math.min(options.orders, Math.floor((Date.now() - startedAt) / interval) + 1);
      const batch: { at: number; index: number }[] = [];
      for (; scheduled < due; scheduled++) batch.push({ at: startedAt + scheduled * interval, index: scheduled });
      if (batch.length > 0) {
        lastScheduledAt = batch[batch.length - 1].at;
        if (options.mode === 'http') {
          const sending = postOrders(system, agent, batch, recorder, fail);
          inFlight.add(sending);
          void sending.finally(() => inFlight.delete(sending));
        } else {
          // Not push(...batch): a burst makes the batch hundreds of thousands long, past the argument limit.
          for (const order of batch) queued.push(order);
          publishQueued();
        }
      }
      await new Promise((done) => setTimeout(done, TICK_MS));
    }
    while (inFlight.size > 0 || queued.length > 0) {
      publishQueued();
      await Promise.all(inFlight);
    }
    const deadline = Date.now() + options.drainTimeoutMs;
    const expected = options.orders - [...sendErrors.values()].reduce((a, b) => a + b, 0);
    while (recorder.completed < expected && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  } finally {
    clearInterval(lagTimer);
    clearInterval(progressTimer);
    agent.destroy();
    await Promise.allSettled([watcher.disconnect(), admin.disconnect(), publisher?.disconnect()]);
  }
  return { recorder, startedAt, lastScheduledAt, sendErrors, maxLag };
}

/** Opens `count` keep-alive connections to order-service with as many concurrent GET /health/live. */
async function openConnections(system: LoadSystem, agent: Agent, count: number): Promise<void> {
  const url = `${system.orders?.url}/health/live`;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((done, fail) => {
          const req = request(url, { agent }, (res) => {
            res.resume();
            res.on('end', done);
          });
          // A service that accepts and never answers must not hold the run up for good.
          req.setTimeout(OPEN_TIMEOUT_MS, () => req.destroy(new Error(`GET /health/live unanswered after ${OPEN_TIMEOUT_MS / 1000} s`)));
          req.on('error', fail);
          req.end();
        }),
    ),
  );
}

function postOrders(system: LoadSystem, agent: Agent, batch: { at: number; index: number }[], recorder: LatencyRecorder, fail: (reason: string) => void): Promise<void> {
  const url = `${system.orders?.url}/orders`;
  return Promise.all(
    batch.map(
      ({ at, index }) =>
        new Promise<void>((done) => {
          const body = JSON.stringify({ customerId: 'c-load', items: [{ sku: SKUS[index % SKUS.length], quantity: 1 }] });
          const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => {
              if (res.statusCode === 202) {
                recorder.accepted(at, Date.now());
                recorder.scheduled(JSON.parse(text).orderId, at);
              }
              else fail(`HTTP ${res.statusCode}`);
              done();
            });
          });
          // Flushed to the socket: what the driver itself added before the request left (BeforeReceipt).
          req.on('finish', () => recorder.written(at, Date.now()));
          req.on('error', (error) => {
            fail(error.message);
            done();
          });
          req.end(body);
        }),
    ),
  ).then(() => undefined);
}

async function publishOrders(publisher: EventPublisher, batch: { at: number; index: number }[], recorder: LatencyRecorder, fail: (reason: string) => void): Promise<void> {
  const events = batch.map(({ at, index }) => {
    const orderId = randomUUID();
    recorder.scheduled(orderId, at);
    const payload = { orderId, customerId: 'c-load', items: [{ sku: SKUS[index % SKUS.length], quantity: 1 }], salesChannel: 'web' as const };
    return { topic: TOPICS.orderCreated.name, key: orderId, envelope: createEnvelope({ definition: OrderCreatedV2, payload, aggregateId: orderId, source: SERVICES.orderService }) };
  });
  try {
    await publisher.publish(events);
  } catch (error) {
    for (let i = 0; i < events.length; i++) fail((error as Error).message);
  }
}

/**
 * The answer's decision time (its envelope's occurredAt), its record's timestamp (when the relay sent
 * it) and, in http mode, when order-service received the order (the flow's start in its baggage).
 */
function answerMarks(value: Buffer | null, timestamp: string, baggage: IHeaders[string]): AnswerMarks | undefined {
  try {
    const decidedAt = Date.parse((JSON.parse(String(value)) as { occurredAt: string }).occurredAt);
    const publishedAt = Number(timestamp);
    const receivedAt = flowStartedAtOf(baggage === undefined ? undefined : String(baggage));
    return Number.isFinite(decidedAt) && Number.isFinite(publishedAt) ? { decidedAt, publishedAt, receivedAt } : undefined;
  } catch {
    return undefined;
  }
}
