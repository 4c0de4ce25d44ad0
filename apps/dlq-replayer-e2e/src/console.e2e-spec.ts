// The operations console in a real headless Chromium, against the real system: order-service,
// inventory-service (its PostgreSQL database cut to produce a real dead letter) and dlq-replayer on a
// real broker. A person's path through it: open the page, enter the token, see the topics, trace an
// order, see the consumer groups, find a dead letter, replay it, and see the order go through.
// Each view is saved as a screenshot: under .local/screenshots/console by default, so a test run leaves
// the work tree clean; `npm run screenshots` writes them to docs/console/ (committed, shown in the README).
import { ALL_TOPICS, EXTRA_CONSUMER_GROUPS, SERVICES } from '@platform/events';
import { requestJson, waitFor } from '@platform/testing';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { cutInventoryDatabase, DlqSystem, restoreInventoryDatabase, startDlqSystem, TOKEN } from './dlq-system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../../..');
const SCREENSHOTS = resolve(ROOT, process.env.SCREENSHOT_DIR ?? '.local/screenshots/console');

describe('operations console (headless Chromium)', () => {
  let system: DlqSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startDlqSystem({ maxReplays: 3 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }).catch((error: Error) => {
      throw new Error(`cannot start Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH): ${error.message}`);
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await restoreInventoryDatabase().catch(() => undefined);
    await browser?.close();
    await system?.stop();
  });

  const screenshot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`) });
  const placeOrder = async (sku: string, quantity: number): Promise<string> => {
    const response = await requestJson('POST', `${system.orders.url}/orders`, { customerId: 'c-console', items: [{ sku, quantity }] });
    expect(response.status).toBe(202);
    return response.body.orderId;
  };
  const orderStatus = async (orderId: string) => (await requestJson('GET', `${system.orders.url}/orders/${orderId}`)).body.status;

  async function traceInPage(orderId: string): Promise<void> {
    await page.click('nav a[data-view=trace]');
    await page.fill('[data-testid=order-id]', orderId);
    await page.click('[data-testid=trace-button]');
  }

  it('asks for the token, then shows every topic of the registry with its partitions', async () => {
    // given the console opened without a token
    await page.goto(`${system.replayer.url}/`);
    await page.getByText('enter the API token').waitFor();
    // when the operator enters the token
    await page.fill('[data-testid=token]', TOKEN);
    await page.click('[data-testid=save-token]');
    // then every registry topic is listed, with partitions and offsets, and the status says live
    for (const topic of ALL_TOPICS) {
      await page.locator(`tr[data-topic="${topic.name}"]`).waitFor();
      expect(await page.locator(`tr[data-topic="${topic.name}"] .partition`).count()).toBe(topic.partitions);
    }
    await page.getByText(/live · updated/).waitFor();
    await screenshot('topics');
  });

  it('traces an order across topics, with each consumer group’s outcome, live', async () => {
    // given an order that inventory-service reserves
    await requestJson('PUT', `${system.inventory.url}/inventory/CONSOLE-A`, { available: 10 });
    const orderId = await placeOrder('CONSOLE-A', 2);
    await waitFor(`order ${orderId} confirmed`, async () => (await orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 20_000 });
    // when the operator traces it
    await traceInPage(orderId);
    // then OrderCreated and StockReserved appear in time order, processed by their groups (the page
    // refreshes itself until the consumers' commits show)
    const created = page.locator('tr[data-event-type=OrderCreated]');
    const reserved = page.locator('tr[data-event-type=StockReserved]');
    await created.locator(`[data-consumer=${SERVICES.inventoryService}][data-outcome=processed]`).waitFor({ timeout: 20_000 });
    await reserved.locator(`[data-consumer=${SERVICES.orderService}][data-outcome=processed]`).waitFor({ timeout: 20_000 });
    await created.locator(`[data-consumer=${EXTRA_CONSUMER_GROUPS.operationsConsole}]`).waitFor();
    const kinds = await page.locator('[data-testid=trace-result] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-type')));
    expect(kinds).toEqual(['OrderCreated', 'StockReserved']);
    // one trace: both events carry the same trace id
    const traceIds = await page.locator('[data-testid=trace-result] tbody tr td:last-child').allTextContents();
    expect(traceIds[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(traceIds).size).toBe(1);
    await screenshot('trace');
  });

  it('shows consumer groups with members and lag per partition', async () => {
    await page.click('nav a[data-view=groups]');
    const inventory = page.locator(`.card[data-group="${SERVICES.inventoryService}"]`);
    await inventory.waitFor();
    await expect(inventory.locator('[data-testid=group-lag]').textContent()).resolves.toMatch(/^\d+$/);
    await expect(inventory.textContent()).resolves.toContain('load-sharing');
    await page.locator(`.card[data-group="${EXTRA_CONSUMER_GROUPS.operationsConsole}"]`).waitFor();
    await screenshot('groups');
  });

  it('finds a dead letter grouped by reason, shows its payload and headers, and replays it from the page', async () => {
    // given an order dead-lettered while inventory-service's database is down
    await requestJson('PUT', `${system.inventory.url}/inventory/CONSOLE-B`, { available: 10 });
    await cutInventoryDatabase();
    const orderId = await placeOrder('CONSOLE-B', 4);
    await page.click('nav a[data-view=dlq]');
    const row = page.locator(`tr.letter[data-key="${orderId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await restoreInventoryDatabase();
    expect(await orderStatus(orderId)).toBe('PENDING');

    // when the operator opens it
    const detailFetches: string[] = [];
    const countDetailFetch = (request: { url(): string }) => {
      if (/\/dlq\/[^/]+\/messages\/\d+\/\d+$/.test(request.url())) detailFetches.push(request.url());
    };
    page.on('request', countDetailFetch);
    await row.click();
    await expect(page.locator('[data-testid=letter-payload]').textContent()).resolves.toContain(orderId);
    // its detail (the whole value, up to 2 MiB) is not fetched again by the refreshes while it is unchanged
    await new Promise((done) => setTimeout(done, 5_000));
    page.off('request', countDetailFetch);
    expect(detailFetches).toHaveLength(1);
    await expect(page.locator('[data-testid=dlq-detail]').textContent()).resolves.toContain('kafka_dlt-original-topic');
    await expect(page.locator(`.card[data-dlq] .reason`).first().textContent()).resolves.toMatch(/Error|Database/);
    await screenshot('dead-letters');

    // and replays it
    await page.click('[data-testid=replay-button]');
    await page.getByText('replayed 1, skipped 0, failed 0').waitFor();

    // then the order goes through and stock is taken once
    await waitFor(`replayed order ${orderId} confirmed`, async () => (await orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 30_000 });
    expect((await requestJson('GET', `${system.inventory.url}/inventory/CONSOLE-B`)).body.available).toBe(6);
    // the page shows it replayed (on its next refresh at the latest)
    await page.locator('[data-testid=letter-status]', { hasText: /^replayed$/ }).waitFor({ timeout: 10_000 });

    // and its trace shows the dead letter (replayed) and the replayed event, processed
    await traceInPage(orderId);
    await page.locator('tr[data-kind=dead-letter]').getByText('replayed', { exact: true }).waitFor({ timeout: 20_000 });
    await page.locator('tr[data-event-type=OrderCreated]').getByText('replay', { exact: true }).waitFor();
    await page
      .locator('tr[data-event-type=StockReserved]')
      .locator(`[data-consumer=${SERVICES.orderService}][data-outcome=processed]`)
      .waitFor({ timeout: 20_000 });
    await screenshot('trace-replayed');
  });
});
