// The relay's bookkeeping, isolated from Kafka and the database: what is deleted, what is released,
// and that stop() waits for a publish in flight. (Against a real broker: the stock-flow e2e tests.)
import type { EventEnvelope } from '@platform/events';
import { EventPublisher, OutgoingEvent } from './event-publisher';
import { OutboxRelay, OutboxSource } from './outbox-relay';

type Row = OutgoingEvent & { id: string };

class InMemoryOutbox implements OutboxSource {
  rows: Row[] = [];
  deleted: string[] = [];
  released: string[] = [];

  async claim(limit: number): Promise<Row[]> {
    const claimed = this.rows.slice(0, limit);
    this.rows = this.rows.slice(limit);
    return claimed;
  }
  async delete(ids: string[]): Promise<void> {
    this.deleted.push(...ids);
  }
  async release(ids: string[]): Promise<void> {
    this.released.push(...ids);
  }
}

function row(id: number): Row {
  return { id: String(id), topic: 't', key: `k${id}`, envelope: { eventId: String(id) } as EventEnvelope };
}

function publisher(publish: (events: OutgoingEvent[]) => Promise<void>): EventPublisher {
  return { publish } as unknown as EventPublisher;
}

async function settle(relay: OutboxRelay): Promise<void> {
  await relay.stop();
}

describe('OutboxRelay', () => {
  it('publishes claimed rows in order, in batches, and deletes them afterwards', async () => {
    const outbox = new InMemoryOutbox();
    outbox.rows = [1, 2, 3, 4, 5].map(row);
    const published: string[][] = [];
    const relay = new OutboxRelay(outbox, publisher(async (events) => void published.push(events.map((e) => e.key))), {
      batchSize: 2,
      pollIntervalMs: 10_000,
    });

    relay.start();
    await new Promise((done) => setImmediate(done));
    await settle(relay);

    expect(published).toEqual([['k1', 'k2'], ['k3', 'k4'], ['k5']]);
    expect(outbox.deleted).toEqual(['1', '2', '3', '4', '5']);
  });

  it('releases rows whose publish failed instead of deleting them', async () => {
    const outbox = new InMemoryOutbox();
    outbox.rows = [row(1)];
    const relay = new OutboxRelay(
      outbox,
      publisher(async () => {
        throw new Error('broker down');
      }),
      { pollIntervalMs: 10_000 },
    );

    relay.start();
    await new Promise((done) => setImmediate(done));
    await settle(relay);

    expect(outbox.released).toEqual(['1']);
    expect(outbox.deleted).toEqual([]);
  });

  it('stop() waits for a publish in flight to finish', async () => {
    const outbox = new InMemoryOutbox();
    outbox.rows = [row(1)];
    let finish: () => void = () => undefined;
    const relay = new OutboxRelay(outbox, publisher(() => new Promise<void>((done) => (finish = done))), {
      pollIntervalMs: 10_000,
    });

    relay.start();
    await new Promise((done) => setImmediate(done));
    const stopped = relay.stop();
    expect(outbox.deleted).toEqual([]);
    finish();
    await stopped;

    expect(outbox.deleted).toEqual(['1']);
  });

  it('publishes handed-over rows without claiming them, and deletes them', async () => {
    const outbox = new InMemoryOutbox();
    let claims = 0;
    outbox.claim = async () => (claims++, []);
    const published: string[][] = [];
    const relay = new OutboxRelay(outbox, publisher(async (events) => void published.push(events.map((e) => e.key))), { pollIntervalMs: 10_000 });
    relay.start();
    await new Promise((done) => setImmediate(done));
    const claimsAtStart = claims;

    relay.handOver([row(1), row(2)]);
    relay.handOver([row(3)]); // while the first is in flight: goes in the next pass
    await new Promise((done) => setImmediate(done));
    await settle(relay);

    expect(published.flat()).toEqual(['k1', 'k2', 'k3']);
    expect(outbox.deleted).toEqual(['1', '2', '3']);
    expect(claims).toBe(claimsAtStart);
  });

  it('releases handed-over rows while publishing fails, so the polled path sends them in order', async () => {
    const outbox = new InMemoryOutbox();
    let brokerUp = false;
    const published: string[] = [];
    const relay = new OutboxRelay(
      outbox,
      publisher(async (events) => {
        if (!brokerUp) throw new Error('broker down');
        published.push(...events.map((e) => e.key));
      }),
      { pollIntervalMs: 10_000 },
    );
    relay.start();

    relay.handOver([row(1)]); // fails: released
    await new Promise((done) => setTimeout(done, 10));
    relay.handOver([row(2)]); // failing: released without a try
    await new Promise((done) => setTimeout(done, 10));
    expect(outbox.released).toEqual(['1', '2']);
    expect(published).toEqual([]);

    // the released rows are back in the table; the broker returns; the next poll sends them in order
    outbox.rows = [row(1), row(2)];
    brokerUp = true;
    relay.nudge();
    await new Promise((done) => setTimeout(done, 10));
    relay.handOver([row(3)]); // recovered: direct again
    await new Promise((done) => setTimeout(done, 10));
    await settle(relay);

    expect(published).toEqual(['k1', 'k2', 'k3']);
    expect(outbox.deleted).toEqual(['1', '2', '3']);
  });

  it('releases handed-over rows still unsent when it stops', async () => {
    const outbox = new InMemoryOutbox();
    let finish: () => void = () => undefined;
    const relay = new OutboxRelay(outbox, publisher(() => new Promise<void>((done) => (finish = done))), { pollIntervalMs: 10_000 });
    relay.start();
    await new Promise((done) => setImmediate(done));

    relay.handOver([row(1)]);
    await new Promise((done) => setImmediate(done));
    relay.handOver([row(2)]); // queued behind the publish in flight
    const stopped = relay.stop();
    finish();
    await stopped;

    expect(outbox.deleted).toEqual(['1']);
    expect(outbox.released).toEqual(['2']);
  });

  it('releases at once rows handed over after it stopped (the service still finishing requests), and keeps those handed over before it starts', async () => {
    const outbox = new InMemoryOutbox();
    const published: string[] = [];
    const relay = new OutboxRelay(outbox, publisher(async (events) => void published.push(...events.map((e) => e.key as string))), { pollIntervalMs: 10_000 });
    relay.handOver([row(1)]); // before start: kept for the first drain
    relay.start();
    await new Promise((done) => setImmediate(done));
    await relay.stop();

    relay.handOver([row(2), row(3)]);
    await new Promise((done) => setImmediate(done));

    expect(published).toEqual(['k1']);
    expect(outbox.released).toEqual(['2', '3']);
  });

  it('publishes the next rows while the acknowledged ones are still being deleted, and stop() waits for the deletes', async () => {
    const outbox = new InMemoryOutbox();
    outbox.claim = async () => [];
    const deletes: { ids: string[]; finish: () => void }[] = [];
    outbox.delete = (ids) => new Promise<void>((done) => deletes.push({ ids, finish: () => (outbox.deleted.push(...ids), done()) }));
    const published: string[] = [];
    const relay = new OutboxRelay(outbox, publisher(async (events) => void published.push(...events.map((e) => e.key))), { pollIntervalMs: 10_000, deleteDelayMs: 0 });
    relay.start();
    await new Promise((done) => setImmediate(done));

    relay.handOver([row(1)]);
    await new Promise((done) => setImmediate(done));
    relay.handOver([row(2)]);
    relay.handOver([row(3)]);
    await new Promise((done) => setImmediate(done));
    // the first delete has not answered, yet 2 and 3 went out; their ids wait for one delete together
    expect(published).toEqual(['k1', 'k2', 'k3']);
    expect(deletes.map((d) => d.ids)).toEqual([['1']]);

    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    deletes[0].finish();
    await new Promise((done) => setImmediate(done));
    expect(deletes.map((d) => d.ids)).toEqual([['1'], ['2', '3']]);
    expect(stopped).toBe(false);
    deletes[1].finish();
    await stopping;
    expect(outbox.deleted).toEqual(['1', '2', '3']);
  });

  it('deletes what was acknowledged within deleteDelayMs in one statement, and at once when it stops', async () => {
    const outbox = new InMemoryOutbox();
    outbox.claim = async () => [];
    const deletes: string[][] = [];
    outbox.delete = async (ids) => void deletes.push(ids);
    const relay = new OutboxRelay(outbox, publisher(async () => undefined), { pollIntervalMs: 10_000, deleteDelayMs: 50 });
    relay.start();

    relay.handOver([row(1)]);
    await new Promise((done) => setTimeout(done, 5));
    relay.handOver([row(2), row(3)]);
    await new Promise((done) => setTimeout(done, 5));
    expect(deletes).toEqual([]);
    await new Promise((done) => setTimeout(done, 80));
    expect(deletes).toEqual([['1', '2', '3']]);

    relay.handOver([row(4)]);
    await new Promise((done) => setTimeout(done, 5));
    const stopAt = Date.now();
    await relay.stop();
    expect(deletes).toEqual([['1', '2', '3'], ['4']]);
    expect(Date.now() - stopAt).toBeLessThan(50);
  });

  it('goes on publishing when a delete fails (the rows stay claimed and go again once the claim lapses)', async () => {
    const outbox = new InMemoryOutbox();
    outbox.claim = async () => [];
    outbox.delete = async () => {
      throw new Error('connection terminated');
    };
    const published: string[] = [];
    const relay = new OutboxRelay(outbox, publisher(async (events) => void published.push(...events.map((e) => e.key))), { pollIntervalMs: 10_000 });
    relay.start();

    relay.handOver([row(1)]);
    await new Promise((done) => setTimeout(done, 10));
    relay.handOver([row(2)]);
    await settle(relay);

    expect(published).toEqual(['k1', 'k2']);
    expect(outbox.released).toEqual([]);
  });
});
