import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import { viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  startFixtureApp,
  type RunningApp,
} from './browser.js';

/**
 * A real server over the fixture world where Bravo (Titanium) sold storage and servers to a new account in
 * FY18-Q1 and the period was closed through the API: draft statements exist for Alpha and Bravo.
 */
function startSettledApp(): Promise<RunningApp> {
  return startFixtureApp({
    store: async (ctx, { dell }) => {
      await addMembership(ctx.store.db, dell, 'mbr_bravo_ti', 'ptn_bravo', 'titanium', '2017-02-01', null);
    },
    api: async (admin) => {
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'Q1-BRAVO',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [
          { productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 500_000 },
        ],
      });
      if (order.status !== 201) throw new Error(`order: ${order.status} ${order.text}`);
      const close = await viaJob(admin, 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
        dryRun: false,
      });
      if (close.status !== 200) throw new Error(`close: ${close.status} ${close.text}`);
    },
  });
}

/**
 * Settlement in a real Chromium: the vendor admin issues a statement, the partner's admin reads it line by
 * line and disputes a line, the vendor admin accepts the dispute, approves and pays. The steps run in
 * order and build on each other, as the people do.
 */
describeWithBrowser('settlement in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let statementPath = '';
  const REASON = 'Globex also bought networking from us in March: the bonus is short';

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startSettledApp),
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
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const expectNoPageErrors = () => expect(pageErrors).toEqual([]);

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

  /** The body rows of the table with this caption, one string each, once the table has `count` rows. */
  async function tableRows(caption: string | RegExp, count?: number): Promise<string[]> {
    const table = page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
    await table.waitFor();
    if (count !== undefined) await expect.poll(() => table.locator('tbody > tr').count()).toBe(count);
    return (await table.locator('tbody > tr').allInnerTexts()).map(squash);
  }

  const navLabels = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();

  it('as admin@dell.test, issues Bravo’s FY18-Q1 statement from the statement page', async () => {
    await openSignedIn('admin@dell.test', '/statements');
    await expect.poll(navLabels).toContain('Closes');
    expect(await navLabels()).toEqual(expect.arrayContaining(['Statements', 'Disputes', 'Closes']));
    await page.getByRole('heading', { level: 1, name: 'Statements' }).waitFor();
    const row = page.locator('table tbody tr', { hasText: 'Bravo IT Solutions' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('draft');
    expect(squash(await row.innerText())).toContain('$4,650.00');
    await row.getByRole('link', { name: 'FY18-Q1' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/statements/stm_'));
    statementPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Statement FY18-Q1' }).waitFor();
    const totals = squash(await page.locator('section', { has: page.locator('#totals') }).innerText());
    expect(totals).toContain('Earned $4,650.00');
    expect(totals).toContain('Total $4,650.00');
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('[data-step="issued"]').getAttribute('class')).toContain('timeline-next');

    await page.getByRole('button', { name: 'Issue statement' }).click();
    await page.getByRole('status').filter({ hasText: 'Issued: the partner can see it now.' }).waitFor();
    expect(await timeline.locator('[data-step="issued"]').getAttribute('class')).toContain('timeline-done');
    expect(await timeline.locator('[aria-current="step"]').getAttribute('data-step')).toBe('issued');
    // The next step is offered at once.
    await page.getByRole('button', { name: 'Approve statement' }).waitFor();
    expect(squash(await page.locator('.subtitle').innerText())).toContain('issued');
    expectNoPageErrors();
  });

  it('as admin@bravo.test, sees the statement, reads its lines and disputes one', async () => {
    expect(statementPath).not.toBe('');
    await openSignedIn('admin@bravo.test', '/statements');
    await expect.poll(navLabels).toContain('Disputes');
    expect(await navLabels()).not.toContain('Closes');
    const row = page.locator('table tbody tr', { hasText: 'FY18-Q1' });
    await row.waitFor();
    // Only its own statement, issued; Alpha's (still a draft) is not there.
    expect(await page.locator('table tbody tr').count()).toBe(1);
    expect(squash(await row.innerText())).toContain('issued');
    await row.getByRole('link', { name: 'FY18-Q1' }).click();
    await page.waitForURL((url) => url.pathname === statementPath);
    await page.getByRole('heading', { level: 1, name: 'Statement FY18-Q1' }).waitFor();

    // Lines, each with its explanation: Titanium base rebate and new-business on storage and servers,
    // the distributor's sell-out line trued up at close, and the cross-sell bonus.
    const lines = await tableRows('Statement lines, page 1', 6);
    const crossSell = lines.find((l) => l.includes('cross-sell'));
    expect(crossSell).toContain('$980.00');
    // The server's sentence, said in the reader's formats (the API's own text writes "USD 49,000.00").
    expect(crossSell).toContain('2% of $49,000.00 (their qualifying revenue) = $980.00.');
    for (const l of lines) expect(l).toMatch(/ = -?\$[\d,]+\.\d\d/);

    // Filtering by kind keeps the state in the URL.
    await page.getByLabel('Kind').selectOption('close');
    await page.waitForURL((url) => url.searchParams.get('kind') === 'close');
    await expect.poll(async () => (await tableRows('Statement lines, page 1')).length).toBe(1);

    // The downloads are real attachments.
    const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await page.request.get(csvHref ?? '');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toContain('line_no,kind,period');
    expect(await page.getByRole('link', { name: 'Download JSON' }).getAttribute('href')).toContain(
      'format=json',
    );

    // Dispute the cross-sell line: a reason is required, the amount is optional.
    const line = page.locator('table tbody tr', { hasText: 'cross-sell' });
    await line.getByRole('button', { name: /^Dispute line/ }).click();
    const form = page.getByRole('form', { name: /^Dispute line \d+: cross-sell/ });
    await form.waitFor();
    await form.getByRole('button', { name: 'Open dispute' }).click();
    expect(await form.getByRole('alert').innerText()).toContain('Say why the line is wrong.');
    await form.getByLabel('Why is this line wrong?').fill(REASON);
    await form.getByLabel(/^Adjustment asked for \(USD\)/).fill('250');
    await form.getByRole('button', { name: 'Open dispute' }).click();
    await page.getByRole('status').filter({ hasText: 'asking for $250.00' }).waitFor();
    await line.getByRole('link', { name: /open dispute of line/ }).waitFor();
    expect(await line.getByRole('button', { name: /^Dispute line/ }).count()).toBe(0);
    const disputes = await tableRows('Disputes on this statement', 1);
    expect(disputes[0]).toContain(REASON);
    expect(disputes[0]).toContain('Waiting for the vendor');
    expectNoPageErrors();
  });

  it('as admin@dell.test, accepts the dispute on the Disputes page, then approves and pays', async () => {
    await openSignedIn('admin@dell.test', '/disputes?status=open');
    await page.getByRole('heading', { level: 1, name: 'Disputes' }).waitFor();
    const row = page.locator('table tbody tr', { hasText: REASON });
    await row.waitFor();
    // Names arrive after the row (one lookup for the page's partners): wait for it, the id shows first.
    await expect.poll(async () => squash(await row.innerText())).toContain('Bravo IT Solutions');
    await row.getByRole('button', { name: /^Accept/ }).click();
    const form = page.getByRole('form', { name: /^Accept the dispute of \$250\.00/ });
    await form.waitFor();
    await form.getByLabel('Note to the partner, optional').fill('Networking order confirmed');
    await form.getByRole('button', { name: 'Accept dispute' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'accepted: $250.00 lands on the partner’s next statement' })
      .waitFor();
    // The list reloads: the dispute is no longer open.
    await page.locator('table tbody tr', { hasText: REASON }).waitFor({ state: 'detached' });

    await page.getByLabel('Status').selectOption('accepted');
    await page.waitForURL((url) => url.searchParams.get('status') === 'accepted');
    const accepted = page.locator('table tbody tr', { hasText: REASON });
    await accepted.waitFor();
    expect(squash(await accepted.innerText())).toContain(
      '$250.00 on the next statement: Networking order confirmed',
    );

    // Approve, then pay with a payment reference.
    await page.goto(statementPath);
    await page.getByRole('button', { name: 'Approve statement' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved for payment.' }).waitFor();
    await page.getByLabel('Payment reference').fill('WIRE-2017-0614');
    await page.getByRole('button', { name: 'Record payment' }).click();
    // Paying asks first, with the amount and the partner.
    const confirm = page.getByRole('alertdialog', { name: 'Record this payment?' });
    expect(squash(await confirm.innerText())).toContain('$4,650.00 to');
    await confirm.getByRole('button', { name: 'Yes, record the payment' }).click();
    await page.getByRole('status').filter({ hasText: 'Payment recorded.' }).waitFor();
    const totals = squash(await page.locator('section', { has: page.locator('#totals') }).innerText());
    expect(totals).toContain('Paid $4,650.00');
    expect(totals).toContain('Payment reference WIRE-2017-0614');
    expect(await page.locator('ol.timeline [aria-current="step"]').getAttribute('data-step')).toBe('paid');
    expectNoPageErrors();
  });

  it('as admin@bravo.test, sees the resolution and what it has earned and been paid', async () => {
    await openSignedIn('admin@bravo.test', '/disputes');
    const row = page.locator('table tbody tr', { hasText: REASON });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('accepted');
    expect(squash(await row.innerText())).toContain('Networking order confirmed');
    expect(await row.getByRole('button').count()).toBe(0);

    await page.goto('/partners/ptn_bravo');
    const earnings = page.locator('section.earnings');
    await earnings.getByRole('heading', { level: 2, name: /^Earnings/ }).waitFor();
    const q1 = (await tableRows(/^Earnings in .* by period$/)).find((r) => r.startsWith('FY18-Q1'));
    expect(q1).toContain('closed');
    // Earned includes the accepted dispute (it lands on the next statement); paid is the payout.
    expect(q1).toContain('closed $4,900.00 $4,650.00 $250.00 final');
    const components = (await earnings.locator('table.components-breakdown').first().innerText()).replace(
      /\s+/g,
      ' ',
    );
    expect(components).toContain('cross-sell');
    expect(components).toContain('new-business');
    expectNoPageErrors();
  });

  it('as admin@bravo.test, is told of the issued statement and the decided dispute, in English and French', async () => {
    await openSignedIn('admin@bravo.test', '/');
    const bell = page.getByTestId('notification-bell');
    await expect
      .poll(async () => bell.getAttribute('aria-label'))
      .toMatch(/^Notifications, [1-9]\d* unread$/);
    await bell.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const feed = page.getByTestId('notifications');
    await feed.getByText(/Statement \d+ for FY18-Q1 was issued: \$4,650\.00\./).waitFor();
    await feed.getByText(/Your dispute on statement stm_\S+ was accepted/).waitFor();
    // The same feed in French: sentences and money written the French way.
    await page.getByTestId('language-switch').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await feed.getByText(/Le relevé \d+ de FY18-Q1 a été émis : 4\s650,00\s\$US\./).waitFor();
    await feed.getByText(/Votre contestation du relevé stm_\S+ a été acceptée/).waitFor();
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await expect.poll(async () => feed.locator('.notification-unread').count()).toBe(0);
    await page.getByRole('link', { name: 'Accueil' }).first().click();
    await expect.poll(async () => bell.getAttribute('aria-label')).toBe('Notifications, aucune non lue');
    // The choice of French was saved on Bravo's admin's profile.
    const prefs = await context.request.get('/api/me/preferences');
    expect((await prefs.json()).locale).toBe('fr');
    expectNoPageErrors();
  });

  it('as admin@dell.test, lists closes, runs a dry run from the form, closes after confirming and sees the budget pool', async () => {
    await openSignedIn('admin@dell.test', '/closes');
    await page.getByRole('heading', { level: 1, name: 'Closes' }).waitFor();
    const closes = await tableRows('Closes, page 1', 1);
    expect(closes[0]).toContain('FY18-Q1');
    const form = page.getByRole('form', { name: 'Close a period' });
    await form.getByLabel('Program').selectOption({ label: 'Dell EMC Partner Program' });
    await form.getByLabel('Period').fill('FY18-Q1');
    expect(await form.getByLabel(/^Dry run/).isChecked()).toBe(true);
    // The dry run in two shards of partners (the same result: the later close runs in one).
    await form.getByLabel('Shards of partners').fill('2');
    await form.getByRole('button', { name: 'Run a dry run' }).click();
    await page.getByRole('status').filter({ hasText: 'Dry run of FY18-Q1' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Dry run of FY18-Q1' }).innerText()).toContain(
      'agrees with a from-scratch computation',
    );
    const components = await tableRows('Components of FY18-Q1');
    expect(components.some((r) => r.startsWith('cross-sell'))).toBe(true);
    const figure = (text: string, label: RegExp) => Number(label.exec(text)?.[1]?.replaceAll(',', '') ?? NaN);
    const preview = squash(await page.locator('.close-result').innerText());
    // A dry run writes nothing: still one close.
    expect((await tableRows('Closes, page 1')).length).toBe(1);

    // A real close asks first; cancelling starts nothing. It runs in one shard (the server's default).
    await form.getByLabel('Shards of partners').fill('');
    await form.getByLabel(/^Dry run/).uncheck();
    await form.getByRole('button', { name: 'Close the period' }).click();
    const confirm = page.getByRole('alertdialog', { name: /^Close FY18-Q1 of Dell EMC Partner Program\?/ });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Close the period' }).click();
    await confirm.getByRole('button', { name: 'Yes, close the period' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Closed FY18-Q1/ })
      .waitFor();
    // The dry run reported what the close then posted.
    const posted = squash(await page.locator('.close-result').innerText());
    expect(figure(preview, /True-ups it would post ([\d,]+)/)).toBe(
      figure(posted, /True-ups posted ([\d,]+)/),
    );
    expect(figure(preview, /Ledger entries ([\d,]+)/)).toBe(figure(posted, /Ledger entries ([\d,]+)/));
    expect(figure(preview, /Statements it would build ([\d,]+)/)).toBe(
      figure(posted, /Draft statements built ([\d,]+)/),
    );
    expect(figure(posted, /Draft statements built ([\d,]+)/)).toBeGreaterThan(0);
    // The re-close is listed: two closes now.
    expect((await tableRows('Closes, page 1', 2)).length).toBe(2);

    await page.goto('/programs/dell-emc-partner-program');
    const pools = await tableRows('Budget pool usage', 1);
    expect(pools[0]).toContain('fy18-partner-investment');
    expect(pools[0]).toContain('$150,000,000.00');
    await page.getByRole('progressbar', { name: /share of the budget used/ }).waitFor();
    expectNoPageErrors();
  });
});
