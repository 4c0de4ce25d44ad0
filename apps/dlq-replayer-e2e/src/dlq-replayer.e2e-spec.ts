// dlq-replayer against real dead letters: orders fail past inventory-service's retry budget because
// its database is unreachable, land in inventory.inventory-service.dlq, and are replayed once the
// database is back. One flow, in order: each test builds on the state the previous one left.
import { SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient, DLT_HEADERS } from '@platform/messaging';
import { requestJson, waitFor } from '@platform/testing';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { KafkaMessage } from 'kafkajs';
import { api, cutInventoryDatabase, DlqSystem, restoreInventoryDatabase, startDlqSystem, TOKEN } from './dlq-system';

const DLQ = TOPICS.inventoryServiceDeadLetters.name;

/** A dead letter as the API shows it (the fields these tests read). */
interface Letter {
  key: string;
  partition: number;
  offset: number;
  status: string;
  replayCount: number;
  exception: string;
  originalTopic: string;
  valueIsJson: boolean;
  value: { payload: { orderId: string } };
  headers: Record<string, string>;
}
const MAX_REPLAYS = 1;

describe('dlq-replayer', () => {
  let system: DlqSystem;
  const orderIds: string[] = [];
  const kafka = () => createKafkaClient({ clientId: 'dlq-e2e', brokers: (process.env.E2E_KAFKA_BROKERS as string).split(',') });

  beforeAll(async () => {
    system = await startDlqSystem({ maxReplays: MAX_REPLAYS });
  });

  afterAll(async () => {
    await restoreInventoryDatabase().catch(() => undefined);
    await system?.stop();
  });

  const stock = async (sku: string) => (await requestJson('GET', `${system.inventory.url}/inventory/${sku}`)).body.available;
  const order = async (id: string) => (await requestJson('GET', `${system.orders.url}/orders/${id}`)).body;
  const listed = async (query = '') => (await api(system, 'GET', `/dlq/${DLQ}/messages?${query}`)).body.items as Letter[];
  const mine = (items: Letter[]) => items.filter((item) => orderIds.includes(item.key));

  async function endOffset(topic: string): Promise<number> {
    const admin = kafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  }

  async function inventoryCaughtUp(): Promise<boolean> {
    const admin = kafka().admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: SERVICES.inventoryService, topics: [TOPICS.orderCreated.name] });
    const latest = await admin.fetchTopicOffsets(TOPICS.orderCreated.name);
    await admin.disconnect();
    // A partition that never had a message has no committed offset (-1) and a high watermark of 0.
    return latest.every((p) => p.high === '0' || committed.partitions.find((c) => c.partition === p.partition)?.offset === p.high);
  }

  it('answers 401 without the bearer token', async () => {
    expect((await requestJson('GET', `${system.replayer.url}/dlq`)).status).toBe(401);
    expect((await requestJson('GET', `${system.replayer.url}/dlq`, undefined, { authorization: 'Bearer wrong-token-000000' })).status).toBe(401);
    expect((await api(system, 'GET', '/dlq')).status).toBe(200);
  });

  it('dead-letters orders that keep failing while inventory-service cannot reach its database', async () => {
    // given stock, then a database outage
    await requestJson('PUT', `${system.inventory.url}/inventory/DLQ-A`, { available: 10 });
    await requestJson('PUT', `${system.inventory.url}/inventory/DLQ-B`, { available: 10 });
    await cutInventoryDatabase();
    // when three orders arrive
    for (const items of [[{ sku: 'DLQ-A', quantity: 1 }], [{ sku: 'DLQ-A', quantity: 2 }], [{ sku: 'DLQ-B', quantity: 3 }]]) {
      orderIds.push((await requestJson('POST', `${system.orders.url}/orders`, { customerId: 'c-dlq', items })).body.orderId);
    }
    // then after their retry budget they are in the DLQ, indexed by the replayer, and the orders wait
    const letters = await waitFor('three dead letters listed', async () => ((await listed()).length >= 3 ? mine(await listed()) : undefined), {
      timeoutMs: 90_000,
    });
    expect(letters).toHaveLength(3);
    for (const letter of letters) {
      expect(letter).toMatchObject({ originalTopic: TOPICS.orderCreated.name, status: 'open', replayCount: 0, valueIsJson: true });
      expect(letter.headers[DLT_HEADERS.attempts]).toBe('5');
      expect(letter.value.payload.orderId).toBe(letter.key);
    }
    expect((await order(orderIds[0])).status).toBe('PENDING');
    await restoreInventoryDatabase();
  });

  it('summarises each DLQ topic and filters exactly what it says', async () => {
    const [first] = mine(await listed());
    const summary = (await api(system, 'GET', '/dlq')).body.find((topic: { topic: string }) => topic.topic === DLQ);
    expect(summary.byOriginalTopic[TOPICS.orderCreated.name]).toBeGreaterThanOrEqual(3);
    expect(summary.byException[first.exception]).toBeGreaterThanOrEqual(3);

    expect(mine(await listed(`key=${orderIds[1]}`)).map((item) => item.key)).toEqual([orderIds[1]]);
    expect(mine(await listed(`exception=${encodeURIComponent(first.exception)}`))).toHaveLength(3);
    expect(await listed(`originalTopic=${TOPICS.stockReserved.name}`)).toEqual([]);
    expect(await listed(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    const one = (await api(system, 'GET', `/dlq/${DLQ}/messages/${first.partition}/${first.offset}`)).body;
    expect(one).toMatchObject({ key: first.key, partition: first.partition, offset: first.offset });
    // paging: two pages of two hold the three letters once each, newest first
    const id = (letter: Letter) => `${letter.partition}:${letter.offset}`;
    const paged = (await api(system, 'GET', `/dlq/${DLQ}/messages?limit=2`)).body;
    const next = (await api(system, 'GET', `/dlq/${DLQ}/messages?limit=2&cursor=${paged.nextCursor}`)).body;
    expect([...paged.items, ...next.items].map(id).sort()).toEqual((await listed()).map(id).sort());
    expect(paged.items).toHaveLength(2);
    expect(next.nextCursor).toBeNull();
  });

  it('a dry run reports the replay and writes nothing', async () => {
    const before = await endOffset(TOPICS.orderCreated.name);

    const report = (await api(system, 'POST', `/dlq/${DLQ}/replay`, { select: { key: orderIds[0] }, dryRun: true })).body;
    const all = (await api(system, 'POST', `/dlq/${DLQ}/replay`, { select: { messages: mine(await listed()).map((l) => [l.partition, l.offset]) } })).body;

    expect(report).toMatchObject({ dryRun: true, selected: 1, replayed: 1, skipped: 0, failed: 0 });
    expect(Object.keys(report.targets)).toEqual([TOPICS.orderCreated.name]);
    expect(all).toMatchObject({ dryRun: true, selected: 3, replayed: 3 });
    expect(await endOffset(TOPICS.orderCreated.name)).toBe(before);
    expect(mine(await listed()).every((letter) => letter.status === 'open')).toBe(true);
    expect((await order(orderIds[0])).status).toBe('PENDING');
  });

  it('replays at the requested rate and every order is processed exactly once', async () => {
    const started = Date.now();
    const report = (
      await api(system, 'POST', `/dlq/${DLQ}/replay`, {
        select: { messages: mine(await listed()).map((l) => [l.partition, l.offset]) },
        dryRun: false,
        ratePerSecond: 2,
      })
    ).body;
    const elapsed = Date.now() - started;

    expect(report).toMatchObject({ dryRun: false, selected: 3, replayed: 3, failed: 0 });
    expect(elapsed).toBeGreaterThanOrEqual((3 / 2) * 1000);
    for (const id of orderIds) await waitFor(`order ${id} confirmed`, async () => (await order(id)).status === 'CONFIRMED');
    expect([await stock('DLQ-A'), await stock('DLQ-B')]).toEqual([7, 7]);
    expect(mine(await listed()).map((letter) => letter.status)).toEqual(['replayed', 'replayed', 'replayed']);
  });

  it('refuses a second replay without force; a forced one changes nothing thanks to idempotent consumers', async () => {
    const select = { messages: mine(await listed()).map((l) => [l.partition, l.offset]) };

    const refused = (await api(system, 'POST', `/dlq/${DLQ}/replay`, { select, dryRun: false })).body;
    expect(refused).toMatchObject({ replayed: 0, skipped: 3, skippedReasons: { 'already replayed (use force)': 3 } });

    const forced = (await api(system, 'POST', `/dlq/${DLQ}/replay`, { select, dryRun: false, force: true, ratePerSecond: 100 })).body;
    expect(forced).toMatchObject({ replayed: 3 });
    await waitFor('inventory-service to consume the forced replay', inventoryCaughtUp, { timeoutMs: 30_000 });
    expect([await stock('DLQ-A'), await stock('DLQ-B')]).toEqual([7, 7]);
  });

  it('resolve drops letters from the default listing; every replay and resolve is in the audit log', async () => {
    const result = (await api(system, 'POST', `/dlq/${DLQ}/resolve`, { select: { key: orderIds[2] }, note: 'checked by hand' })).body;

    expect(result).toEqual({ selected: 1, resolved: 1 });
    expect(mine(await listed()).map((letter) => letter.key).sort()).toEqual([orderIds[0], orderIds[1]].sort());
    expect(mine(await listed('status=resolved')).map((letter) => letter.key)).toEqual([orderIds[2]]);
    const audit = (await api(system, 'GET', '/dlq/audit')).body as { action: string; dryRun: boolean; actor: string }[];
    expect(audit.slice(0, 6).map((entry) => `${entry.action}${entry.dryRun ? ' (dry run)' : ''}`)).toEqual([
      'resolve',
      'replay',
      'replay',
      'replay',
      'replay (dry run)',
      'replay (dry run)',
    ]);
    expect(audit.every((entry) => entry.actor === 'e2e')).toBe(true);
  });

  it('shows the replay count of a letter that failed again after a replay, and refuses it past the maximum', async () => {
    // given a letter replayed while the database is still down: it comes back to the DLQ
    await cutInventoryDatabase();
    orderIds.push((await requestJson('POST', `${system.orders.url}/orders`, { customerId: 'c-dlq', items: [{ sku: 'DLQ-A', quantity: 1 }] })).body.orderId);
    const key = orderIds[3];
    const first = await waitFor('the new order dead-lettered', async () => (await listed(`key=${key}`))[0], { timeoutMs: 60_000 });
    await api(system, 'POST', `/dlq/${DLQ}/replay`, { select: { messages: [[first.partition, first.offset]] }, dryRun: false });
    const again = await waitFor('it back in the DLQ', async () => (await listed(`key=${key}&status=open`)).find((l) => l.replayCount === 1), {
      timeoutMs: 60_000,
    });
    await restoreInventoryDatabase();

    // when an operator replays it again
    const report = (await api(system, 'POST', `/dlq/${DLQ}/replay`, { select: { messages: [[again.partition, again.offset]] }, dryRun: false, force: true })).body;

    // then the loop guard refuses, and the order is still waiting for a decision
    expect(again.headers['x-replayed-from']).toBe(`${DLQ}/${first.partition}/${first.offset}`);
    expect(report).toMatchObject({ replayed: 0, skipped: 1 });
    expect(Object.keys(report.skippedReasons)[0]).toMatch(/loop guard, max 1/);
    expect((await order(key)).status).toBe('PENDING');
  });

  it('the CLI lists letters, dry-runs a replay with a progress line and refuses a mistyped option', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [resolve('tools/scripts/run-ts.js'), resolve('apps/dlq-replayer/src/cli/dlq-cli.ts'), ...args], {
        env: { ...process.env, DLQ_REPLAYER_URL: system.replayer.url, DLQ_REPLAYER_TOKEN: TOKEN },
      });

    const list = await cli('list', DLQ, '--key', orderIds[0]);
    const replay = await cli('replay', DLQ, '--key', orderIds[0], '--force');

    expect(list.stdout).toContain(orderIds[0]);
    expect(JSON.parse(replay.stdout)).toMatchObject({ dryRun: true, selected: 1, replayed: 1 });
    expect(replay.stderr).toContain('dry run 1/1 (100%)');
    await expect(cli('list', 'no.such.dlq')).rejects.toThrow(/400/);
    // A mistyped filter stops the CLI before it calls the replayer: no replay of the whole topic.
    await expect(cli('replay', DLQ, '--kee', orderIds[0], '--execute')).rejects.toThrow(/replay does not take --kee/);
  });

  it('lists a large dead letter by the first 12 KB of its value and shows it whole on its own', async () => {
    // given a dead letter of 1 MB (a poison record as large as an event topic accepts) in another DLQ
    const topic = TOPICS.orderServiceDeadLetters.name;
    const key = `large-${Date.now()}`;
    const value = `{${'x'.repeat(1_000_000 - 1)}`;
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key, value, headers: { [DLT_HEADERS.originalTopic]: TOPICS.stockReserved.name } }] });
    await producer.disconnect();

    // then the list carries its size and a preview, not the megabyte…
    const [item] = await waitFor('the large letter listed', async () => {
      const items = (await api(system, 'GET', `/dlq/${topic}/messages?key=${key}`)).body.items as (Letter & { valueBytes: number; valueTruncated: boolean })[];
      return items.length ? items : undefined;
    });
    expect(item).toMatchObject({ valueBytes: value.length, valueTruncated: true, valueIsJson: false });
    expect(item.value).toBe(value.slice(0, 12 * 1024));
    // …a summary (what the console polls) neither value nor headers…
    const [summary] = (await api(system, 'GET', `/dlq/${topic}/messages?key=${key}&fields=summary`)).body.items;
    expect(summary).toMatchObject({ key, partition: item.partition, offset: item.offset, valueBytes: value.length, originalTopic: TOPICS.stockReserved.name });
    expect(Object.keys(summary)).not.toEqual(expect.arrayContaining(['value']));
    expect(Object.keys(summary)).not.toEqual(expect.arrayContaining(['headers']));
    // …and the letter's own endpoint has it whole
    const one = (await api(system, 'GET', `/dlq/${topic}/messages/${item.partition}/${item.offset}`)).body;
    expect(one).toMatchObject({ valueBytes: value.length, valueTruncated: false });
    expect(one.value === value).toBe(true); // not toBe(value): a failure would print 1 MB
  });

  it('indexes a dead letter whose key, headers and reason hold NUL bytes, and the letters after it', async () => {
    // given a letter with NUL in its key, a header and its reason (PostgreSQL refuses NUL in text),
    // and an ordinary letter behind it on the same partition
    const topic = TOPICS.orderServiceDeadLetters.name;
    const key = `nul-${Date.now()}`;
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: `${key}\u0000`,
          partition: 0,
          value: Buffer.from([0x00, 0x7b]),
          headers: { [DLT_HEADERS.exceptionMessage]: 'value is not JSON: \u0000{', 'x-binary': Buffer.from([0x00, 0xff]) },
        },
        { key: `${key}-after`, partition: 0, value: '{}' },
      ],
    });
    await producer.disconnect();

    // then both are indexed: the NULs stored as U+FFFD, the value's bytes exact
    const after = await waitFor('the letter behind it indexed', async () => {
      const items = (await api(system, 'GET', `/dlq/${topic}/messages?key=${key}-after`)).body.items as Letter[];
      return items.length ? items : undefined;
    });
    expect(after).toHaveLength(1);
    const [letter] = (await api(system, 'GET', `/dlq/${topic}/messages?key=${encodeURIComponent(`${key}\uFFFD`)}`)).body.items as Letter[];
    expect(letter).toMatchObject({ key: `${key}\uFFFD`, exceptionMessage: 'value is not JSON: \uFFFD{', valueBytes: 2 });
    expect(letter.headers['x-binary'].startsWith('\uFFFD')).toBe(true);
  });

  it('reports a replay the target topic refuses as too large with the record’s size and the limit, and a dry run predicts it', async () => {
    // given a dead letter larger than its original topic accepts (the DLQ takes 2 MiB, the topic 1 MiB)
    const topic = TOPICS.orderServiceDeadLetters.name;
    const key = `too-large-${Date.now()}`;
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value: 'x'.repeat(1_100_000), headers: { [DLT_HEADERS.originalTopic]: TOPICS.stockReserved.name } }],
    });
    await producer.disconnect();
    await waitFor('the letter listed', async () => ((await api(system, 'GET', `/dlq/${topic}/messages?key=${key}`)).body.items.length ? true : undefined));

    // when it is replayed, then the report names the topic, the record's size and the limit…
    const report = (await api(system, 'POST', `/dlq/${topic}/replay`, { select: { key }, dryRun: false })).body;
    const dryRun = (await api(system, 'POST', `/dlq/${topic}/replay`, { select: { key }, dryRun: true })).body;
    expect(report).toMatchObject({ selected: 1, replayed: 0, failed: 1 });
    const escaped = TOPICS.stockReserved.name.replace(/\./g, '\\.');
    const [, size] = new RegExp(`^${escaped} refused the record as too large: a record batch of (1,100,\\d{3}) bytes, and it accepts 1,048,588 \\(max\\.message\\.bytes\\)`).exec(report.failures[0].reason) ?? [];
    expect(size).toBeDefined();
    // …and a dry run predicts that refusal, to the byte, without sending anything
    expect(dryRun).toMatchObject({ dryRun: true, selected: 1, replayed: 0, failed: 1 });
    expect(dryRun.failures[0].reason).toMatch(new RegExp(`^${escaped} would refuse the record as too large: a record batch of ${size} bytes`));
  });

  it('replays a letter with the key and headers it arrived with, byte for byte', async () => {
    // given a letter whose key and a header are not UTF-8 (NUL, 0xff) and whose x-hop header came twice
    const topic = TOPICS.orderServiceDeadLetters.name;
    const target = TOPICS.stockRejected.name;
    const key = Buffer.concat([Buffer.from(`binary-${Date.now()}`), Buffer.from([0x00, 0xff])]);
    const binary = Buffer.from([0xc3, 0x28, 0x00, 0x01]);
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value: '{}', headers: { [DLT_HEADERS.originalTopic]: target, 'x-binary': binary, 'x-hop': ['first', 'second'] } }],
    });
    await producer.disconnect();
    // (its key as text, as the index keeps it: NUL and the byte that is not UTF-8 as U+FFFD)
    const textKey = key.toString().replace('\u0000', '\uFFFD');
    await waitFor('the letter listed', async () =>
      (await api(system, 'GET', `/dlq/${topic}/messages?key=${encodeURIComponent(textKey)}`)).body.items.length ? true : undefined,
    );

    // when it is replayed to its original topic
    const report = (await api(system, 'POST', `/dlq/${topic}/replay`, { select: { key: textKey }, dryRun: false })).body;
    expect(report).toMatchObject({ selected: 1, replayed: 1, failed: 0 });

    // then the record on that topic carries the same key and header bytes, x-hop twice
    const consumer = kafka().consumer({ groupId: `dlq-e2e-exact-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: target, fromBeginning: true });
    const message = await new Promise<KafkaMessage>((found, fail) => {
      setTimeout(() => fail(new Error('the replayed record was not read in 30 s')), 30_000).unref();
      void consumer.run({
        eachMessage: async ({ message: read }) => {
          if (read.headers?.['x-replay-id']?.toString() === report.replayId) found(read);
        },
      });
    }).finally(() => consumer.disconnect());
    expect(message.key).toEqual(key);
    expect(message.headers?.['x-binary']).toEqual(binary);
    expect(message.headers?.['x-hop']).toEqual([Buffer.from('first'), Buffer.from('second')]);
    expect(message.headers?.[DLT_HEADERS.originalTopic]).toBeUndefined();
  });
});
