import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { addResellers } from '../support/deals.js';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  startFixtureApp,
  type RunningApp,
} from './browser.js';

/**
 * A real server over the fixture world (real clock: registrations are made today) with a second reseller
 * of Alpha's zone, Charlie (France), whose admin is admin@charlie.test.
 */
function startDealsApp(): Promise<RunningApp> {
  return startFixtureApp({
    store: (ctx, { dell }) =>
      addResellers(ctx, dell, [
        { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
      ]),
  });
}

/** Today (UTC) plus `days`, YYYY-MM-DD: expected close dates must be in the future. */
const dayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Deal registration in a real Chromium: Alpha's admin registers a customer and is told when the vendor
 * reviews it; Charlie's admin registers a name variant of the same customer, gets the live hint and the
 * conflict, and nothing of Alpha's registration; the vendor's admin finds Alpha's registration in the
 * queue with its SLA timer, reads the conflict side by side on Charlie's and approves Alpha's; Alpha's admin
 * then sees the protection countdown. The steps build on each other.
 */
describeWithBrowser('deal registration in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let alphaDealPath = '';

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startDealsApp),
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
      // A refused request is the browser's console error; the pages show those answers themselves.
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

  /** Fills the registration form up to (not including) submitting it. */
  async function fillRegistration(r: {
    name: string;
    country: string;
    domain: string;
    amount: string;
    description: string;
  }) {
    await page.getByRole('heading', { level: 1, name: 'Register a deal' }).waitFor();
    const program = page.getByLabel('Program', { exact: true });
    await expect.poll(() => program.locator('option').count()).toBeGreaterThan(1);
    await program.selectOption({ label: 'Dell EMC Partner Program' });
    await page.getByLabel('Country', { exact: true }).fill(r.country);
    await page.getByLabel('Web domain, optional').fill(r.domain);
    await page.getByLabel('Legal name').fill(r.name);
    await page.getByLabel('Segment').selectOption('commercial');
    await page.getByLabel('Line 1: product family').selectOption('storage');
    await page.getByLabel('Line 1: amount (USD)').fill(r.amount);
    await page.getByLabel('Expected close date').fill(dayPlus(60));
    await page.getByLabel('Description').fill(r.description);
  }

  it('as admin@alpha.test, registers a customer and reads when the vendor reviews it', async () => {
    await openSignedIn('admin@alpha.test', '/deals');
    await expect.poll(navLabels).toContain('Deals');
    expect(await navLabels()).not.toContain('Deal reviews');
    await page.getByRole('heading', { level: 1, name: 'Deals' }).waitFor();
    await page.getByRole('link', { name: 'Register a deal' }).click();
    await fillRegistration({
      name: 'Müller Maschinenbau GmbH',
      country: 'DE',
      domain: 'mueller-maschinenbau.de',
      amount: '40,000',
      description: 'Storage refresh for two data centres',
    });
    // The first registration of this customer: the live hint says nothing.
    await page.waitForTimeout(1_500);
    expect(await page.locator('.deal-hint').count()).toBe(0);
    await page.getByRole('button', { name: 'Submit registration' }).click();
    const outcome = page.locator('[data-outcome="submitted"]');
    await outcome.waitFor();
    // EMEA: reviewed within 6 hours, shown in the person's time zone (UTC here).
    expect(squash(await outcome.innerText())).toMatch(
      /^Submitted; the vendor reviews it by [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC\.$/,
    );
    const due = await outcome.locator('time').getAttribute('datetime');
    const hours = (Date.parse(due ?? '') - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(5.5);
    expect(hours).toBeLessThanOrEqual(6);
    await page.getByRole('link', { name: 'Open the registration' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/deals/deal'));
    alphaDealPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Müller Maschinenbau GmbH' }).waitFor();
    expect(squash(await page.locator('.subtitle').innerText())).toContain('submitted');
    // The history: created and submitted by the partner.
    expect(squash(await page.locator('ol.deal-history').innerText())).toContain('Partner: Submit');
    expectNoPageErrors();
  });

  it('as admin@charlie.test, registers a name variant: the hint, then the conflict, and nothing of the first', async () => {
    expect(alphaDealPath).not.toBe('');
    await openSignedIn('admin@charlie.test', '/deals/new');
    await fillRegistration({
      name: 'MUELLER MASCHINENBAU',
      country: 'DE',
      domain: 'mueller-maschinenbau.de',
      amount: '99,000',
      description: 'Competing storage quote',
    });
    await page
      .locator('.deal-hint', { hasText: 'A registration may already cover this customer.' })
      .waitFor();
    await page.getByRole('button', { name: 'Submit registration' }).click();
    const outcome = page.locator('[data-outcome="conflict"]');
    await outcome.waitFor();
    // The reason's label comes from the program's list (GET /api/deals/reasons).
    await expect
      .poll(async () => squash(await outcome.innerText()))
      .toContain('Reason: An earlier registration covers this customer');
    expect(squash(await outcome.innerText())).toContain(
      'An earlier registration or one of the vendor’s direct accounts covers this customer.',
    );
    const alphaId = alphaDealPath.split('/').pop() ?? '';
    const leaks = [alphaId, 'Alpha', 'Müller Maschinenbau GmbH', '40,000', 'ptn_alpha'];
    const body = await page.locator('main').innerText();
    for (const leak of leaks) expect(body).not.toContain(leak);

    // Its own registration reads as rejected with the reason; still nothing of the first.
    await page.getByRole('link', { name: 'Open the registration' }).click();
    await page.getByRole('heading', { level: 1, name: 'MUELLER MASCHINENBAU' }).waitFor();
    await page.locator('ol.deal-history li').nth(1).waitFor();
    await expect
      .poll(async () => squash(await page.locator('main').innerText()))
      .toContain('Rejected: An earlier registration covers this customer');
    const detail = await page.locator('main').innerText();
    for (const leak of leaks) expect(detail).not.toContain(leak);
    // Its list holds only its own registration.
    await page.goto('/deals');
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(squash(await rows.first().innerText())).toContain('MUELLER MASCHINENBAU');
    // Alpha's registration is not found for Charlie.
    await page.goto(alphaDealPath);
    await page.getByRole('alert').waitFor();
    for (const leak of leaks.slice(1)) expect(await page.locator('main').innerText()).not.toContain(leak);
    expectNoPageErrors();
  });

  it('as admin@dell.test, finds it in the queue with its SLA timer, reads the conflict side by side and approves', async () => {
    await openSignedIn('admin@dell.test', '/deal-reviews');
    await expect.poll(navLabels).toContain('Deal reviews');
    expect(await navLabels()).not.toContain('Deals');
    await page.getByRole('heading', { level: 1, name: 'Deal reviews' }).waitFor();
    // The queue opens on registrations awaiting a decision: Alpha's, not Charlie's rejected one.
    await page.waitForURL((url) => url.search.includes('status=submitted'));
    const row = page.locator('table tbody tr', { hasText: 'Müller Maschinenbau GmbH' });
    await row.waitFor();
    await expect.poll(async () => squash(await row.innerText())).toContain('Alpha Systems Ltd');
    expect(squash(await row.innerText())).toMatch(/due in 5 h \d{1,2} min/);
    expect(await page.locator('table tbody tr', { hasText: 'MUELLER MASCHINENBAU' }).count()).toBe(0);

    // Charlie's registration, turned away: the conflict side by side with its evidence.
    await page.getByLabel('Status').selectOption('rejected');
    const rejected = page.locator('table tbody tr', { hasText: 'MUELLER MASCHINENBAU' });
    await rejected.waitFor();
    await rejected.getByRole('link', { name: 'MUELLER MASCHINENBAU' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review: MUELLER MASCHINENBAU' }).waitFor();
    const conflict = page.locator('article.conflict').first();
    await conflict.waitFor();
    const sides = conflict.locator('.side-by-side > .card');
    expect(await sides.count()).toBe(2);
    const ours = squash(await sides.nth(0).innerText());
    const theirs = squash(await sides.nth(1).innerText());
    expect(ours).toContain('This registration');
    expect(ours).toContain('Charlie Integration SARL');
    expect(theirs).toContain('Another registration');
    expect(theirs).toContain('Müller Maschinenbau GmbH');
    expect(theirs).toContain('Alpha Systems Ltd');
    expect(theirs).toContain('submitted');
    const evidence = await conflict.locator('table tbody tr').allInnerTexts();
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.map(squash).join(' | ')).toMatch(/[\d.]+%/);
    expect(squash(await conflict.locator('h3').innerText())).toMatch(/score [\d.]+%/);

    // Over to Alpha's registration, and approve it.
    await conflict.getByRole('link', { name: 'Open this registration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review: Müller Maschinenbau GmbH' }).waitFor();
    expect(squash(await page.locator('.subtitle').innerText())).toMatch(/due in 5 h/);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    expect(squash(await confirm.innerText())).toContain('protects its customer');
    await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Approve: done. The registration is now approved' })
      .waitFor();
    // The page reads the registration again after the decision: wait for it to show the new state.
    await page.locator('.subtitle', { hasText: 'approved' }).waitFor();
    expect(squash(await page.locator('.subtitle').innerText())).toContain('approved');
    expectNoPageErrors();
  });

  it('as admin@alpha.test, sees the protection countdown', async () => {
    await openSignedIn('admin@alpha.test', '/deals');
    const row = page.locator('table tbody tr', { hasText: 'Müller Maschinenbau GmbH' });
    await row.waitFor();
    const text = squash(await row.innerText());
    expect(text).toContain('approved');
    expect(text).toContain('protected 89 more days');
    await row.getByRole('link', { name: 'Müller Maschinenbau GmbH' }).click();
    await page.getByRole('heading', { level: 1, name: 'Müller Maschinenbau GmbH' }).waitFor();
    expect(squash(await page.locator('main').innerText())).toContain('protected 89 more days');
    const extend = page.getByRole('button', { name: 'Ask for an extension' });
    await extend.waitFor();
    expect(await extend.isEnabled()).toBe(true);
    // The program allows two extensions (its policy, read from the program).
    await expect
      .poll(async () => squash(await page.locator('#extension-why').innerText()))
      .toBe('2 extensions left in this program.');
    expect(squash(await page.locator('ol.deal-history').innerText())).toContain('Vendor: Approve');
    expectNoPageErrors();
  });
});
