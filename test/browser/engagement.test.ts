import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, type TestStore } from '../support/stores.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  WEB_ROOT,
  type RunningApp,
} from './browser.js';

/** Inside the Dell program's period (2017-02-01..2018-02-02): orders are only taken in a program period. */
const ORDER_DAY = '2017-07-03';
const AS_OF = '2017-07-10';

/**
 * A real server over the fixture world where Dell's admin posts Alpha's order for Acme Corporation (the
 * account becomes channel-exclusive to the channel), then a direct order for Acme: the rules of engagement
 * route it to Alpha as an offer (202). Offers run on the real clock (48 hours to answer).
 */
interface EngagementApp extends RunningApp {
  readonly routedOrderId: string;
  /** Adds direct-named accounts through the API until the program's limit is reached. */
  fillNamedAccounts(): Promise<void>;
}

async function startEngagementApp(): Promise<EngagementApp> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store);
    await loadFixture(ctx);
    app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
    const admin = client(app, await signIn(app, 'admin@dell.test'));
    const order = (externalId: string, over: Record<string, unknown>) => ({
      source: 'erp',
      externalId,
      orderDate: ORDER_DAY,
      currency: 'USD',
      customerId: 'cus_acme',
      ...over,
    });
    const partnerOrder = await admin(
      'POST',
      '/api/orders',
      order('SO-ENG-P1', {
        channel: 'partner',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 4_500_000 }],
      }),
    );
    if (partnerOrder.status !== 201)
      throw new Error(`partner order: ${partnerOrder.status} ${partnerOrder.text}`);
    const directOrder = await admin(
      'POST',
      '/api/orders',
      order('SO-ENG-D1', {
        channel: 'direct',
        lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 4_500_000 }],
      }),
    );
    if (directOrder.status !== 202)
      throw new Error(`direct order: ${directOrder.status} ${directOrder.text}`);
    const routing = directOrder.body.routing as { routedOrderId: string; offeredTo: { partnerId: string } };
    if (routing.offeredTo.partnerId !== 'ptn_alpha')
      throw new Error('the direct order was not offered to Alpha');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const server = app;
    return {
      baseURL: `http://127.0.0.1:${port}`,
      routedOrderId: routing.routedOrderId,
      fillNamedAccounts: async () => {
        const list = await admin('GET', '/api/named-accounts');
        const { active, maxCount } = list.body as { active: number; maxCount: number };
        for (let i = active; i < maxCount; i++) {
          const res = await admin('POST', '/api/named-accounts', {
            name: `Filler Holdings ${i}`,
            country: 'US',
          });
          if (res.status !== 201) throw new Error(`named account ${i}: ${res.status} ${res.text}`);
        }
      },
      close: async () => {
        await server.close();
        await t.cleanup();
      },
    };
  } catch (err) {
    await app?.close();
    await t.cleanup();
    throw err;
  }
}

/**
 * The rules of engagement in a real Chromium: Alpha's admin finds the routed order in the offers inbox with
 * its countdown and why it was offered, accepts it, and sees Acme among its accounts; Dell's admin reads the
 * decision in the routing log (candidates per criterion, rotation, offers), finds Acme channel-exclusive on
 * the coverage page with its history, and manages the direct accounts. The steps build on each other.
 */
describeWithBrowser('rules of engagement in Chromium', (executablePath) => {
  let app: EngagementApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startEngagementApp),
      launchChromium(executablePath),
    ]);
    if (running.status === 'fulfilled') app = running.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (running.status === 'rejected') throw running.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  beforeEach(async () => {
    context = await newContext(browser, app.baseURL);
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().includes('Failed to load resource'))
        pageErrors.push(`console: ${msg.text()}`);
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const expectNoPageErrors = () => expect(pageErrors).toEqual([]);
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const navLabels = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('as admin@alpha.test, finds the offer with its countdown and why, and accepts it', async () => {
    await openSignedIn('admin@alpha.test', '/offers');
    await expect.poll(navLabels).toContain('Offers');
    const nav = await navLabels();
    expect(nav).toContain('My accounts');
    for (const vendorOnly of ['Coverage', 'Direct accounts', 'Routing log'])
      expect(nav).not.toContain(vendorOnly);
    await page.getByRole('heading', { level: 1, name: 'Offers' }).waitFor();
    const openTable = page.getByRole('region', { name: 'Offers awaiting your answer' });
    const row = openTable.locator('tbody tr', { hasText: 'Acme Corporation' });
    await row.waitFor();
    const text = squash(await row.innerText());
    expect(text).toContain('$90,000.00');
    // 48 hours to answer, counted down live from the deadline.
    expect(text).toMatch(/1 d 23 h left|2 d left/);
    expect(text).toContain('Acme Corporation bought through you within the program');
    expect(text).toContain('Dell Technologies');
    await page.getByText('No offer was answered yet.').waitFor();

    // Declining asks for a reason first; cancel it, then accept.
    await row.getByRole('button', { name: 'Decline the order for Acme Corporation' }).click();
    const decline = page.getByRole('alertdialog', { name: 'Decline the order for Acme Corporation?' });
    await decline.waitFor();
    await decline.getByRole('button', { name: 'Decline the order' }).click();
    await decline.getByRole('alert').filter({ hasText: 'Say why you decline' }).waitFor();
    expect(await page.getByLabel('Why you decline (the vendor reads it)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await decline.getByRole('button', { name: 'Cancel' }).click();
    expect(await decline.count()).toBe(0);

    await row.getByRole('button', { name: 'Accept the order for Acme Corporation' }).click();
    const accept = page.getByRole('alertdialog', { name: 'Accept the order for Acme Corporation?' });
    await accept.waitFor();
    expect(squash(await accept.innerText())).toContain('booked through you');
    await accept.getByRole('button', { name: 'Accept the order' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Accepted: the order for Acme Corporation is booked through you.' })
      .waitFor();
    await page.getByText('No offer is waiting for your answer.').waitFor();
    const answered = page.getByRole('region', { name: 'Offers you answered' }).locator('tbody tr');
    await answered.first().waitFor();
    expect(await answered.count()).toBe(1);
    const answeredText = squash(await answered.first().innerText());
    expect(answeredText).toContain('Acme Corporation');
    expect(answeredText).toContain('accepted');
    expect(await answered.first().getByRole('link', { name: /^ord_/ }).count()).toBe(1);
    expectNoPageErrors();
  });

  it('as admin@alpha.test, sees Acme among its accounts, channel-exclusive with its through day', async () => {
    await openSignedIn('admin@alpha.test', `/my-accounts?asOf=${AS_OF}`);
    await page.getByRole('heading', { level: 1, name: 'My accounts' }).waitFor();
    // Alpha sold to Acme with Dell (channel-exclusive) and with VMware (open by then): Dell's row.
    const row = page
      .locator('table tbody tr', { hasText: 'Acme Corporation' })
      .filter({ hasText: 'Channel-exclusive' });
    await row.waitFor();
    const text = squash(await row.innerText());
    expect(text).toContain('2020-07-02');
    expect(text).toContain(ORDER_DAY);
    expect(await page.getByLabel('As of').inputValue()).toBe(AS_OF);
    expectNoPageErrors();
  });

  it('as admin@dell.test, reads the decision in the routing log: candidates per criterion, rotation, offers', async () => {
    await openSignedIn('admin@dell.test', '/routing');
    await expect.poll(navLabels).toContain('Routing log');
    const nav = await navLabels();
    expect(nav).toEqual(expect.arrayContaining(['Coverage', 'Direct accounts', 'Routing log']));
    expect(nav).not.toContain('Offers');
    expect(nav).not.toContain('My accounts');
    await page.getByRole('heading', { level: 1, name: 'Routing log' }).waitFor();
    const row = page.locator('table tbody tr', { hasText: 'Acme Corporation' });
    await row.waitFor();
    const text = squash(await row.innerText());
    expect(text).toContain('erp/SO-ENG-D1');
    expect(text).toContain('Channel-exclusive account');
    expect(text).toContain('Booked through a partner');
    expect(text).toContain('offered to Alpha Systems Ltd: Acme Corporation is channel-exclusive');
    // The filters narrow the log (and keep it in the URL).
    await page.getByLabel('Reason').selectOption('at-or-above-threshold');
    await page.waitForURL((url) => url.search.includes('reason=at-or-above-threshold'));
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByLabel('Reason').selectOption('channel-exclusive');
    await row.waitFor();

    await row.getByRole('link', { name: 'Acme Corporation' }).click();
    await page.waitForURL((url) => url.pathname === `/routing/${app.routedOrderId}`);
    await page.getByRole('heading', { level: 1, name: 'Routing: Acme Corporation' }).waitFor();
    expect(squash(await page.locator('.routing-sentence').innerText())).toMatch(
      /^offered to Alpha Systems Ltd/,
    );
    const candidates = page.getByRole('region', { name: 'Candidates' });
    const headers = (await candidates.locator('thead th').allInnerTexts()).map(squash);
    expect(headers).toEqual([
      'Rank',
      'Partner',
      'Incumbent',
      'Incumbent reseller',
      'Highest tier',
      'Same zone',
      'Family competency',
      'Capacity',
      'Acceptance rate',
    ]);
    const rows = (await candidates.locator('tbody tr').allInnerTexts()).map(squash);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /^1 Alpha Systems Ltd incumbent sold to Acme Corporation through the channel, last on 2017-07-03/,
    );
    expect(rows[1]).toMatch(/^2 Bravo IT Solutions no never sold to Acme Corporation/);
    expect(squash(await page.locator('.rotation').innerText())).toContain('Rotation counter 0');
    const offers = page.locator('ol.routing-offers li');
    expect(await offers.count()).toBe(1);
    const offer = squash(await offers.first().innerText());
    expect(offer).toContain('offered to Alpha Systems Ltd (rank 1)');
    expect(offer).toContain('accepted');
    expectNoPageErrors();
  });

  it('as admin@dell.test, finds Acme channel-exclusive on the coverage page, and its history', async () => {
    await openSignedIn('admin@dell.test', '/coverage');
    await page.getByRole('heading', { level: 1, name: 'Coverage' }).waitFor();
    // Today (years after the program's orders) the account is open again; on the order's week it is not.
    const acme = page.locator('table tbody tr', { hasText: 'Acme Corporation' });
    await acme.waitFor();
    expect(squash(await acme.innerText())).toContain('Open');
    await page.getByLabel('As of').fill(AS_OF);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.search.includes(`asOf=${AS_OF}`));
    await page.getByLabel('Status').selectOption('channel-exclusive');
    await page.waitForURL((url) => url.search.includes('status=channel-exclusive'));
    // Acme (Alpha, since the fixture's order of 2017-03-10) and Globex (Bravo) are channel-exclusive then.
    const all = page.locator('table tbody tr');
    await expect.poll(() => all.count()).toBe(2);
    const rows = all.filter({ hasText: 'Acme Corporation' });
    const text = squash(await rows.first().innerText());
    expect(text).toContain('Channel-exclusive');
    expect(text).toContain(`2017-03-10 2020-07-02 Alpha Systems Ltd`);
    expect(text).toContain('channel-exclusive since 2017-03-10: last bought through Alpha Systems Ltd');

    await rows.first().getByRole('link', { name: 'Acme Corporation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Corporation' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?asOf=${AS_OF}`);
    expect(squash(await page.locator('.subtitle').innerText())).toContain('Channel-exclusive');
    const history = page.locator('ol.coverage-history li');
    await history.first().waitFor();
    expect(squash(await history.first().innerText())).toContain('2017-03-10');
    const sellers = (
      await page
        .getByRole('region', { name: 'Sellers per product family' })
        .locator('tbody tr')
        .allInnerTexts()
    ).map(squash);
    // The fixture's order (storage and servers), Alpha's own order, and the direct order it accepted.
    expect(sellers).toEqual([
      'Alpha Systems Ltd reseller storage 2017-03-10 2017-07-03 3',
      'Alpha Systems Ltd reseller servers 2017-03-10 2017-03-10 1',
    ]);
    const routed = page.getByRole('region', { name: 'Direct orders of the account' }).locator('tbody tr');
    expect(await routed.count()).toBe(1);
    expect(squash(await routed.first().innerText())).toContain('Booked through a partner');
    await routed.first().getByRole('link', { name: app.routedOrderId }).click();
    await page.getByRole('heading', { level: 1, name: 'Routing: Acme Corporation' }).waitFor();
    expectNoPageErrors();
  });

  it('as admin@dell.test, adds a direct account and removes it with a reason', async () => {
    await openSignedIn('admin@dell.test', '/direct-accounts');
    await page.getByRole('heading', { level: 1, name: 'Direct accounts' }).waitFor();
    const count = page.locator('.named-count');
    await count.waitFor();
    expect(squash(await count.innerText())).toBe('3 active of at most 150 (the program’s limit)');
    const form = page.getByRole('form', { name: 'Add a direct account' });
    // The form says what is missing before asking the API.
    await form.getByRole('button', { name: 'Add the account' }).click();
    await form.getByRole('alert').filter({ hasText: 'legal name is required' }).waitFor();
    await form.getByLabel('Legal name').fill('Acme Corporation');
    await form.getByLabel('Web domain, optional').fill('acme.example');
    await form.getByLabel('Country').fill('gb');
    await form.getByLabel('Note, optional').fill('Strategic account');
    await form.getByRole('button', { name: 'Add the account' }).click();
    await page.getByRole('status').filter({ hasText: 'Added Acme Corporation' }).waitFor();
    await expect.poll(async () => squash(await count.innerText())).toContain('4 active');
    const row = page.locator('table tbody tr', { hasText: 'Strategic account' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('Acme Corporation · acme.example GB');

    await row.getByRole('button', { name: 'Remove Acme Corporation' }).click();
    const confirm = page.getByRole('alertdialog', {
      name: 'Remove Acme Corporation from the direct accounts?',
    });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.getByRole('alert').filter({ hasText: 'Say why' }).waitFor();
    await confirm.getByLabel('Reason (kept in the audit trail)').fill('Handed back to the channel');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Removed Acme Corporation' }).waitFor();
    await expect.poll(async () => squash(await count.innerText())).toContain('3 active');
    await page.getByLabel('Status').selectOption('removed');
    const removed = page.locator('table tbody tr', { hasText: 'Handed back to the channel' });
    await removed.waitFor();
    expect(squash(await removed.innerText())).toContain('removed');
    expectNoPageErrors();
  });

  it('as admin@dell.test, is told when the direct accounts list is full', async () => {
    await app.fillNamedAccounts();
    await openSignedIn('admin@dell.test', '/direct-accounts');
    const count = page.locator('.named-count');
    await count.waitFor();
    expect(squash(await count.innerText())).toBe(
      '150 active of at most 150 (the program’s limit) the list is full',
    );
    const form = page.getByRole('form', { name: 'Add a direct account' });
    expect(squash(await form.innerText())).toContain('The list is at the program’s limit');
    await form.getByLabel('Legal name').fill('One Too Many Ltd');
    await form.getByLabel('Country').fill('GB');
    await form.getByRole('button', { name: 'Add the account' }).click();
    const refused = form.getByRole('alert');
    await refused.waitFor();
    const text = squash(await refused.innerText());
    expect(text).toContain('Past a limit (422)');
    expect(text).toContain('the list is full (maxCount 150)');
    expect(await form.getByLabel('Legal name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('table tbody tr', { hasText: 'One Too Many Ltd' }).count()).toBe(0);
    expectNoPageErrors();
  });
});
