import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  startApp,
  type RunningApp,
} from './browser.js';

/** What a person sees, end to end: the built web app, served by the real server, in a real Chromium. */
describeWithBrowser('web app in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Errors the page threw or logged; every test ends with none. */
  let pageErrors: string[];

  beforeAll(async () => {
    // Build (if needed) and start the server while Chromium starts; keep whichever succeeded for afterAll.
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startApp),
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
      // A 401 from /api/me before signing in is expected; the app handles it.
      if (msg.type() === 'error' && !msg.text().includes('401')) pageErrors.push(`console: ${msg.text()}`);
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const expectNoPageErrors = () => expect(pageErrors).toEqual([]);

  /** Fills in and submits the sign-in form (at /sign-in, or /sign-in?next=… when `next` is given). */
  async function submitSignInForm(email: string, password: string, next?: string) {
    await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in through the form and waits until the app shows `next` with the user menu. */
  async function signInWithForm(email: string, next: string) {
    await submitSignInForm(email, FIXTURE_PASSWORD, next);
    await page.waitForURL((url) => url.pathname + url.search === next);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** Signs in through the API (the context shares the session cookie), then opens `path`. */
  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** The text of every body row of the table with this caption, one string per row. */
  async function tableRows(caption: string | RegExp): Promise<string[]> {
    const table = page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
    await table.waitFor();
    return (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  it('signs in as admin@dell.test through the form, lands on the app and shows the user', async () => {
    await page.goto('/partners');
    // Not signed in: sent to sign in, coming back here afterwards.
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/partners');
    await page.getByLabel('Email').fill('admin@dell.test');
    await page.getByLabel('Password').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/partners');
    const menu = page.locator('.user-menu');
    await menu.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await menu.locator('span').innerText()).toBe('admin');
    expect(await menu.locator('span').getAttribute('title')).toBe('vendor-admin');
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    expectNoPageErrors();
  });

  it("lists Dell's partners and never VMware-only Victor Cloud", async () => {
    await openSignedIn('admin@dell.test', '/partners');
    expect(new URL(page.url()).pathname).toBe('/partners');
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    const rows = await tableRows(/^Partners/);
    const names = await page.locator('table tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual(['Alpha Systems Ltd', 'Bravo IT Solutions', 'Delta Distribution']);
    expect(rows.join('\n')).not.toContain('Victor');
    expect(await page.locator('main').innerText()).not.toContain('Victor Cloud');
    expectNoPageErrors();
  });

  it('filters partners by name and keeps the filter in the URL', async () => {
    await openSignedIn('admin@dell.test', '/partners');
    await page.locator('table tbody tr').first().waitFor();
    await page.getByRole('searchbox', { name: 'Name' }).fill('bravo');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'bravo');
    await expect
      .poll(() => page.locator('table tbody tr td:first-child').allInnerTexts(), { timeout: 10_000 })
      .toEqual(['Bravo IT Solutions']);
    expect(new URL(page.url()).pathname).toBe('/partners');

    // The URL is the state: loading it afresh shows the same filtered list with the filter filled in.
    await page.goto('/partners?q=delta');
    await expect
      .poll(() => page.locator('table tbody tr td:first-child').allInnerTexts(), { timeout: 10_000 })
      .toEqual(['Delta Distribution']);
    expect(await page.getByRole('searchbox', { name: 'Name' }).inputValue()).toBe('delta');

    // Clearing the filter drops it from the URL and brings every partner back.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL((url) => url.pathname === '/partners' && url.search === '');
    await expect
      .poll(() => page.locator('table tbody tr td:first-child').allInnerTexts(), { timeout: 10_000 })
      .toEqual(['Alpha Systems Ltd', 'Bravo IT Solutions', 'Delta Distribution']);
    expectNoPageErrors();
  });

  it('opens an order from the list and shows its lines with money formatted', async () => {
    await openSignedIn('admin@dell.test', '/orders');
    const row = page.locator('table tbody tr', { hasText: 'ord_a1' });
    await row.waitFor();
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain('$62,000.00');
    await row.getByRole('link', { name: '2017-03-10' }).click();
    await page.waitForURL((url) => url.pathname === '/orders/ord_a1');
    await page.getByRole('heading', { level: 1, name: 'Order ord_a1' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: /^Lines/ }).innerText()).toBe('Lines (2 lines)');
    expect(await tableRows('Order lines')).toEqual([
      '1 Unity 300 array storage 1 $50,000.00 $50,000.00 —',
      '2 PowerEdge R740 servers 1 $12,000.00 $12,000.00 —',
    ]);
    // Products, the customer and the partners by name, each with its id on hover.
    expect(await page.getByRole('link', { name: 'Unity 300 array' }).getAttribute('title')).toBe('prd_stor');
    expect(await page.getByRole('link', { name: 'Alpha Systems Ltd' }).getAttribute('title')).toBe(
      'ptn_alpha',
    );
    expect(await page.getByRole('link', { name: /^Acme/ }).getAttribute('title')).toBe('cus_acme');
    expect(await page.locator('main').innerText()).toContain('$62,000.00');
    // How each cent came about: what partners earned on it, rule by rule, with the sentence.
    const earned = page.locator('section', { has: page.locator('#earned') });
    await earned.getByRole('heading', { level: 2, name: 'What partners earned on this order' }).waitFor();
    await earned.getByText('No partner has earned anything on this order yet.').waitFor();
    expectNoPageErrors();
  });

  it('shows the Dell EMC program tiers with Titanium Black invitation-only', async () => {
    await openSignedIn('admin@dell.test', '/programs/dell-emc-partner-program');
    await page.getByRole('heading', { level: 1, name: /Dell EMC/ }).waitFor();
    const ladder = page.locator('ol.tier-ladder > li');
    await ladder.first().waitFor();
    const tiers = await ladder.locator('.tier-name').allInnerTexts();
    // The shipped program has an entry tier (Authorized) below Gold.
    expect(tiers).toEqual(['Authorized', 'Gold', 'Platinum', 'Titanium', 'Titanium Black']);
    const black = ladder.filter({ has: page.locator('.tier-name', { hasText: /^Titanium Black$/ }) });
    expect(await black.innerText()).toContain('invitation only');
    for (const name of ['Authorized', 'Gold', 'Platinum', 'Titanium']) {
      const li = ladder.filter({ has: page.locator('.tier-name', { hasText: new RegExp(`^${name}$`) }) });
      expect(await li.innerText()).not.toContain('invitation only');
    }
    expectNoPageErrors();
  });

  it("shows a program's marketing funds: the claim window and each activity's required proof", async () => {
    await openSignedIn('admin@vmware.test', '/programs/vmware-partner-connect');
    const section = page.locator('section[aria-labelledby="marketing-funds"]');
    await section.getByRole('heading', { name: 'Marketing development funds' }).waitFor();
    expect(await section.innerText()).toContain('60 days');
    const event = section.getByRole('row').filter({ hasText: 'Customer event or webinar' });
    expect(await event.innerText()).toMatch(/invoice,\s*attendee-list/);
    // Earned MDF only: VMware's file lists no proposal funds.
    expect(await section.innerText()).toContain('No proposal funds');
    expectNoPageErrors();
  });

  /** Runs a tier evaluation of the Dell EMC program as the vendor admin, through the API. */
  async function evaluateDell(asOf: string) {
    const signIn = await context.request.post('/api/auth/sign-in', {
      data: { email: 'admin@dell.test', password: FIXTURE_PASSWORD },
    });
    expect(signIn.status()).toBe(200);
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const run = await context.request.post('/api/programs/dell-emc-partner-program/evaluations', {
      data: { asOf },
      headers: { 'x-csrf-token': csrfToken },
    });
    // The evaluation runs as a job: follow it to its result.
    expect(run.status()).toBe(202);
    const location = run.headers().location as string;
    for (;;) {
      const job = (await (await context.request.get(location)).json()) as {
        status: string;
        result: { tiers: Record<string, number> };
      };
      if (job.status === 'succeeded') return job.result;
      if (job.status === 'failed') throw new Error(`evaluation failed: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The browser logs each 4xx answer; a day outside every program version is one the page expects. */
  const withoutBadRequests = () => pageErrors.filter((e) => !e.includes('status of 400'));

  it("shows ptn_alpha's standing in Dell EMC: tier, paths with gaps, and what a pending deal changes", async () => {
    const run = await evaluateDell('2017-12-01');
    // No fixture partner has Gold revenue: all three start at the entry tier.
    expect(run.tiers).toMatchObject({ authorized: 3, gold: 0 });

    await page.goto('/partners/ptn_alpha');
    await page.getByRole('heading', { level: 1, name: 'Alpha Systems Ltd' }).waitFor();
    const standing = page.locator('section.standing');
    await standing.getByRole('heading', { level: 2, name: /^Standing in Dell EMC/ }).waitFor();
    // Unset, the server picks today or, as no 2017 version is in force today, the end of that program year.
    await standing.getByTestId('current-tier-code').waitFor();
    // The program's end date is offered as a quick choice; any day can be typed in.
    await standing.getByRole('button', { name: 'End of FY18 (2018-02-02)' }).waitFor();
    await standing.getByLabel('As of').fill('2017-12-01');
    await standing.getByRole('button', { name: 'Apply' }).click();
    await standing.getByText('Showing the standing on 2017-12-01').waitFor();

    const tierCode = standing.getByTestId('current-tier-code');
    await tierCode.waitFor();
    expect(await tierCode.innerText()).toBe('authorized');
    const fields = (await standing.locator('dl.fields').first().innerText()).replace(/\s+/g, ' ');
    expect(fields).toContain('Since 2017-12-01');
    expect(fields).toContain('Source earned');
    expect(fields).toContain('Reason entry tier');
    expect(await standing.innerText()).toContain('Must resell the services');

    // Gold, path 1: $3,000,000 of qualifying revenue; Alpha has $62,000 x1.25 (exclusive) = $77,500.
    const gold1 = await tableRows(/^Gold \(gold\), Path 1$/);
    expect(gold1[0]).toBe('Revenue $77,500 $3,000,000 $2,922,500 2% ✗ not met');
    const gold2 = await tableRows(/^Gold \(gold\), Path 2$/);
    expect(gold2[0]).toBe('Revenue $77,500 $500,000 $422,500 15% ✗ not met');
    expect(gold2.some((r) => r.startsWith('Certified people (sales, any family) 0 2 2 0%'))).toBe(true);
    // Every higher tier has its paths.
    await tableRows(/^Platinum \(platinum\), Path 1$/);
    await tableRows(/^Titanium \(titanium\), Path 1$/);

    // What if: an amount with more decimals than USD has is refused in place.
    await standing.getByLabel('Product family').selectOption('storage');
    await standing.getByLabel('Pending deal amount (USD)').fill('1000.001');
    await standing.getByRole('button', { name: 'Show what if' }).click();
    expect(await standing.locator('.field-error').innerText()).toContain('at most 2 decimals');

    // A $1,000,000 storage deal: x1.25 -> $1,327,500, enough revenue for Gold path 2, not for path 1.
    await standing.getByLabel('Pending deal amount (USD)').fill('1,000,000');
    await standing.getByRole('button', { name: 'Show what if' }).click();
    await expect
      .poll(async () => (await tableRows(/^Gold \(gold\), Path 2$/))[0], { timeout: 10_000 })
      .toBe('Revenue $77,500 $500,000 $422,500 15%, 100% with the deal ✗ not met $1,327,500 — ✓ met');
    expect((await tableRows(/^Gold \(gold\), Path 1$/))[0]).toBe(
      'Revenue $77,500 $3,000,000 $2,922,500 2%, 44% with the deal ✗ not met $1,327,500 $1,672,500 ✗ not met',
    );
    expect(await standing.getByTestId('pending-tier').innerText()).toBe('Authorized');
    const summary = (await standing.locator('.what-if-result').innerText()).replace(/\s+/g, ' ');
    expect(summary).toContain('With a pending storage deal of $1,000,000.00');
    expect(summary).toContain('(unchanged)');

    // A bigger deal changes the pending values again.
    await standing.getByLabel('Pending deal amount (USD)').fill('2500000.50');
    await standing.getByRole('button', { name: 'Show what if' }).click();
    await expect
      .poll(async () => (await tableRows(/^Gold \(gold\), Path 1$/))[0], { timeout: 10_000 })
      .toBe('Revenue $77,500 $3,000,000 $2,922,500 2%, 100% with the deal ✗ not met $3,202,500.62 — ✓ met');
    expect(await standing.locator('.what-if-result').innerText()).toContain('$2,500,000.50');

    // Clearing the deal drops the pending columns.
    await standing.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => standing.locator('.what-if-result').count(), { timeout: 10_000 }).toBe(0);
    expect((await tableRows(/^Gold \(gold\), Path 1$/))[0]).toBe(gold1[0]);
    expect(await page.getByRole('columnheader', { name: 'With the deal' }).count()).toBe(0);
    expect(withoutBadRequests()).toEqual([]);

    // The program page lists the memberships in force on a day.
    await page.goto('/programs/dell-emc-partner-program');
    const memberships = page.locator('section.memberships');
    await memberships.getByRole('heading', { level: 2, name: 'Memberships' }).waitFor();
    await memberships.getByRole('button', { name: 'Show memberships' }).click();
    await memberships.getByRole('button', { name: 'End of FY18 (2018-02-02)' }).click();
    expect(await tableRows('Memberships in force on 2018-02-02')).toEqual([
      'ptn_alpha Authorized authorized 2017-12-01 — earned entry tier — —',
      'ptn_bravo Authorized authorized 2017-12-01 — earned entry tier — —',
      'ptn_dist Authorized authorized 2017-12-01 — earned entry tier — —',
    ]);
    await memberships.getByRole('link', { name: 'ptn_bravo' }).click();
    await page.waitForURL((url) => url.pathname === '/partners/ptn_bravo');
    await page.getByRole('heading', { level: 1, name: 'Bravo IT Solutions' }).waitFor();
    expect(withoutBadRequests()).toEqual([]);
  });

  it("shows a partner admin only its own orders (Alpha's ord_a1 and ord_v1)", async () => {
    await signInWithForm('admin@alpha.test', '/orders');
    await page.locator('table tbody tr').first().waitFor();
    const external = await page.locator('table tbody tr td:nth-child(2)').allInnerTexts();
    expect([...external].sort()).toEqual(['ord_a1', 'ord_v1']);
    const text = await page.locator('main').innerText();
    for (const foreign of ['ord_b1', 'ord_d1', 'ord_c1']) expect(text).not.toContain(foreign);
    expectNoPageErrors();
  });

  it('says so when the password is wrong, and stays on the sign-in page', async () => {
    await submitSignInForm('auditor@dell.test', 'not the password at all');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('email or password is wrong');
    // The form is right there: no "Sign in to see this" link inside the error.
    expect(await alert.getByRole('link').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.getByLabel('Password').isEnabled()).toBe(true);
    expectNoPageErrors();
  });

  it('signs out back to the sign-in page, and the API no longer answers', async () => {
    await openSignedIn('admin@dell.test', '/partners');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(401);
    expectNoPageErrors();
  });
  it('switches to French and back, keeping the choice across visits', async () => {
    await openSignedIn('admin@dell.test', '/partners');
    const nav = page.getByRole('navigation').first();
    await nav.getByRole('link', { name: 'Partners' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('language-switch').selectOption('fr');
    await nav.getByRole('link', { name: 'Partenaires' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Accueil' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    // The choice is remembered: a new visit opens in French.
    await page.goto('/no-such-page');
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    expect(await page.getByTestId('language-switch').inputValue()).toBe('fr');
    // And back to English.
    await page.getByTestId('language-switch').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expectNoPageErrors();
  });

  it('opens in French for a browser that asks for French first', async () => {
    const french = await browser.newContext({ baseURL: app.baseURL, locale: 'fr-FR', timezoneId: 'UTC' });
    try {
      const p = await french.newPage();
      await p.goto('/sign-in');
      await p.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
      expect(await p.locator('html').getAttribute('lang')).toBe('fr');
    } finally {
      await french.close();
    }
  });
});
