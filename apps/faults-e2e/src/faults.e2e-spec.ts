// Faults injected under a steady load of orders, on a three-broker cluster (replication 3,
// min.insync.replicas 2, unclean leader election off): a partition leader killed -9, a rolling restart
// of every broker, inventory-service's database unreachable for 10 s, inventory-service killed -9 and
// restarted twice. After each: every accepted order settled (nothing lost), stock down by exactly the
// confirmed quantities (nothing applied twice), and the availability gap — the longest time without a
// settled order — measured and printed. The table is also written to .local/faults/report.md
// (FAULTS_REPORT_DIR to change), which docs/reliability.md quotes.
import { TOPICS } from '@platform/events';
import { metricValue, requestJson, waitFor } from '@platform/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  adminUrl,
  databaseUrl,
  FaultSystem,
  INVENTORY_DATABASE,
  ORDERS_DATABASE,
  killNode,
  leaderOf,
  restartNode,
  startFaultSystem,
  startInventoryService,
  stopFaultSystem,
  TARGET_TOPIC,
  TOKEN,
  waitForFullIsr,
  withPostgres,
} from './support/fault-system';
import { settlementOf } from './support/settlement';
import { startSteadyLoad, SteadyLoad } from './support/steady-load';

// 100/s leaves the three brokers, PostgreSQL and the services headroom on a 2-core machine; at 200/s a
// slow day saturated order-service (POSTs reset) and stretched the suite past ten minutes.
const RATE = Number(process.env.FAULT_LOAD_RATE ?? 100);
const INITIAL_STOCK = 1_000_000;
const DATABASE_OUTAGE_MS = 10_000;

interface Outcome {
  fault: string;
  what: string;
  accepted: number;
  /** POST /orders that got no 202 (refused or reset): not accepted, so not owed; reported. */
  unanswered: number;
  confirmed: number;
  deadLetteredAndReplayed: number;
  stockTaken: number;
  longestGapMs: number;
  gapStartsAtMs: number;
  durationMs: number;
}

const log = (line: string) => console.log(`[faults] ${line}`);

describe(`faults under a steady load of ${RATE} orders/s on three brokers`, () => {
  let system: FaultSystem;
  const outcomes: Outcome[] = [];
  const killedInventoryLogs: string[] = [];

  beforeAll(async () => {
    system = await startFaultSystem(log);
    log(`cluster ${system.brokers}; services up`);
  }, 300_000);

  afterAll(async () => {
    if (outcomes.length > 0) report(outcomes);
    // The services' own logs, for whoever reads a failure: .local/faults/<service>.log
    const logs = resolve(__dirname, '../../..', process.env.FAULTS_REPORT_DIR ?? '.local/faults');
    mkdirSync(logs, { recursive: true });
    for (const service of [system?.orders, system?.inventory, system?.replayer]) if (service) writeFileSync(resolve(logs, `${service.name}.log`), service.output());
    // The instances killed on the way too: a gap in the service-kill scenario is mostly their time.
    killedInventoryLogs.forEach((output, index) => writeFileSync(resolve(logs, `inventory-service.killed-${index + 1}.log`), output));
    await stopFaultSystem(system, log);
  }, 120_000);

  /**
   * Runs a fault in the middle of a steady load: a warm-up, the fault (which may wait for its own
   * conditions), more load after it; then the recovery an operator would do (if any), waits for every
   * order to settle and checks the books.
   */
  async function underLoad(
    fault: string,
    inject: (load: SteadyLoad) => Promise<string>,
    recover: () => Promise<number> = async () => 0,
  ): Promise<Outcome> {
    const sku = `FAULT-${fault}-${Date.now().toString(36)}`;
    const customerId = `faults-${fault}`;
    expect((await requestJson('PUT', `${system.inventory.url}/inventory/${sku}`, { available: INITIAL_STOCK })).status).toBe(200);
    const load = startSteadyLoad(system.orders.url, { ratePerSecond: RATE, customerId, sku });
    let what: string;
    try {
      await load.acceptMore(RATE * 2);
      log(`${fault}: injecting after ${load.accepted.length} accepted orders`);
      what = await inject(load);
      await load.acceptMore(RATE * 3);
    } finally {
      await load.stop();
    }
    const deadLettered = await recover();

    // then every order settles — those answered 202 and any whose answer was lost on the way —
    // confirmed (stock is plentiful) ...
    const settled = await waitFor(
      `every order of ${fault} settled`,
      async () => {
        const settlement = await settlementOf(customerId);
        return settlement.byStatus.PENDING === undefined ? settlement : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    const accepted = load.accepted.length;
    expect(Object.keys(settled.byStatus)).toEqual(['CONFIRMED']);
    expect(settled.byStatus.CONFIRMED).toBeGreaterThanOrEqual(accepted);
    expect(await missingOrders(load.accepted)).toEqual([]);
    // ... and stock went down by exactly the confirmed quantities: nothing lost, nothing applied twice
    const available = (await requestJson('GET', `${system.inventory.url}/inventory/${sku}`)).body.available;
    expect(INITIAL_STOCK - available).toBe(settled.byStatus.CONFIRMED);
    const outcome: Outcome = {
      fault,
      what,
      accepted,
      unanswered: [...load.failures.values()].reduce((sum, n) => sum + n, 0),
      confirmed: settled.byStatus.CONFIRMED,
      deadLetteredAndReplayed: deadLettered,
      stockTaken: INITIAL_STOCK - available,
      longestGapMs: settled.longestGapMs,
      gapStartsAtMs: settled.gapStartsAtMs,
      durationMs: Date.now() - load.startedAt,
    };
    log(`${fault}: ${JSON.stringify(outcome)}${load.failures.size ? ` failures: ${JSON.stringify(Object.fromEntries(load.failures))}` : ''}`);
    outcomes.push(outcome);
    return outcome;
  }

  /** Accepted orders that order-service does not know: there must be none. */
  async function missingOrders(ids: string[]): Promise<string[]> {
    const known = await withPostgres(databaseUrl(ORDERS_DATABASE), (client) =>
      client.query<{ id: string }>('select id from order_service.orders where id = any($1::uuid[])', [ids]),
    );
    const found = new Set(known.rows.map((row) => row.id));
    return ids.filter((id) => !found.has(id));
  }

  it('1. kill -9 of the leader of a partition of order.order-service.created, restarted a little later', async () => {
    await underLoad('leader-kill', async (load) => {
      const leader = await leaderOf(system, TARGET_TOPIC, 0);
      await killNode(system, leader, 'SIGKILL');
      const newLeader = await waitFor('a new leader for partition 0', async () => {
        const current = await leaderOf(system, TARGET_TOPIC, 0).catch(() => -1);
        return current !== leader && current > 0 ? current : undefined;
      }, { timeoutMs: 60_000, intervalMs: 200 });
      // the cluster runs on two brokers for a while, under load
      await load.acceptMore(RATE * 3);
      await restartNode(system, leader);
      await waitForFullIsr(system);
      return `broker ${leader} (leader of ${TARGET_TOPIC}[0]) killed with SIGKILL; broker ${newLeader} took over; restarted after ${RATE * 3} more orders; ISR back to 3`;
    });
  });

  it('2. a rolling restart of all three brokers', async () => {
    await underLoad('rolling-restart', async () => {
      for (const nodeId of [1, 2, 3]) {
        await killNode(system, nodeId, 'SIGTERM');
        await restartNode(system, nodeId);
        await waitForFullIsr(system);
        log(`rolling-restart: broker ${nodeId} back, ISR full`);
      }
      return 'each broker in turn: SIGTERM, start, wait for every partition to have 3 in-sync replicas';
    });
  });

  it('3. inventory-service’s database unreachable for 10 s; dead letters replayed afterwards', async () => {
    const dlq = TOPICS.inventoryServiceDeadLetters.name;
    const labels = { topic: TARGET_TOPIC, group: 'inventory-service' };
    const before = await metricValue(system.inventory.url, 'eventbus_dead_letters_total', labels);
    await underLoad(
      'database-outage',
      async () => {
        await withPostgres(adminUrl(), async (client) => {
          await client.query(`alter database ${INVENTORY_DATABASE} allow_connections false`);
          await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [INVENTORY_DATABASE]);
        });
        // The outage lasts a fixed time by design: this is the fault, not a wait for a condition.
        await new Promise((done) => setTimeout(done, DATABASE_OUTAGE_MS));
        await withPostgres(adminUrl(), (client) => client.query(`alter database ${INVENTORY_DATABASE} allow_connections true`));
        return `ALLOW_CONNECTIONS false + connections terminated for ${DATABASE_OUTAGE_MS / 1000} s`;
      },
      // Orders whose retry budget ran out during the outage are in the DLQ: the operator replays them.
      async () => {
        const deadLettered = await waitFor(
          'inventory-service caught up',
          async () => {
            const lag = await metricValue(system.inventory.url, 'eventbus_consumer_lag', labels);
            return lag === 0 ? (await metricValue(system.inventory.url, 'eventbus_dead_letters_total', labels)) - before : undefined;
          },
          { timeoutMs: 120_000, intervalMs: 500 },
        );
        const auth = { authorization: `Bearer ${TOKEN}`, 'x-actor': 'faults-e2e' };
        await waitFor(`${deadLettered} dead letters indexed`, async () => {
          const topics = (await requestJson('GET', `${system.replayer.url}/dlq`, undefined, auth)).body as { topic: string; byStatus: { open: number } }[];
          return topics.find((t) => t.topic === dlq)?.byStatus.open === deadLettered;
        }, { timeoutMs: 60_000 });
        if (deadLettered > 0) {
          const replay = await requestJson('POST', `${system.replayer.url}/dlq/${dlq}/replay`, { select: { status: 'open' }, dryRun: false, ratePerSecond: 1000 }, auth);
          expect(replay.body).toMatchObject({ replayed: deadLettered, failed: 0 });
        }
        log(`database-outage: ${deadLettered} order(s) ran out of retries, were dead-lettered and replayed with dlq-replayer`);
        return deadLettered;
      },
    );
  });

  it('4. inventory-service killed with kill -9 and restarted, twice', async () => {
    await underLoad('service-kill', async (load) => {
      const rounds: string[] = [];
      for (const round of [1, 2]) {
        const killedAt = Date.now();
        expect(await system.inventory.stop('SIGKILL')).toBeNull();
        killedInventoryLogs.push(system.inventory.output());
        await load.acceptMore(RATE); // orders keep arriving while it is down
        system.inventory = await startInventoryService(system.brokers, system.dataDir);
        const readyAfterMs = Date.now() - killedAt;
        await load.acceptMore(RATE);
        // The next kill only once this instance has taken over (an order accepted after its start is
        // settled): two crashes, each with its own gap, rather than a second kill landing before the
        // first restart's group join, which merged both gaps into one whenever the restart was slow.
        const lastAccepted = load.accepted[load.accepted.length - 1];
        await waitFor(
          `service-kill round ${round}: order ${lastAccepted}, accepted after the restart, settled`,
          async () => (await requestJson('GET', `${system.orders.url}/orders/${lastAccepted}`)).body.status !== 'PENDING',
          { timeoutMs: 120_000, intervalMs: 200 },
        );
        const handlingAfterMs = Date.now() - killedAt;
        log(`service-kill: round ${round}: answering HTTP ${readyAfterMs} ms after the kill, handling orders again after ${handlingAfterMs} ms`);
        rounds.push(`${(readyAfterMs / 1000).toFixed(1)} / ${(handlingAfterMs / 1000).toFixed(1)} s`);
      }
      return `inventory-service SIGKILL, restarted after one second of orders; twice (up / handling again after the kill: ${rounds.join(', ')})`;
    });
  });
});

function report(outcomes: Outcome[]): void {
  const rows = outcomes.map(
    (o) => `| ${o.fault} | ${o.what} | ${o.accepted} (${o.unanswered} unanswered) | ${o.confirmed} | ${o.stockTaken} | ${o.deadLetteredAndReplayed} | ${(o.longestGapMs / 1000).toFixed(2)} s (at +${(o.gapStartsAtMs / 1000).toFixed(1)} s) | ${(o.durationMs / 1000).toFixed(0)} s |`,
  );
  const table = [
    `Load: ${RATE} orders/s (open model), 1 unit each; 3 brokers, replication 3, min.insync.replicas 2. ${new Date().toISOString()}`,
    '',
    '| fault | what happened | accepted | confirmed | stock taken | dead-lettered → replayed | longest gap without a settled order | scenario length |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const dir = resolve(__dirname, '../../..', process.env.FAULTS_REPORT_DIR ?? '.local/faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'report.md'), table);
  writeFileSync(resolve(dir, 'report.json'), `${JSON.stringify(outcomes, null, 2)}\n`);
  console.log(`\n${table}\n(written to ${dir}/report.md)`);
}
