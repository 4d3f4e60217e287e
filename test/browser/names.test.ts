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

/** Names, the global search and the CSV export, in a real Chromium against the real server. */
describeWithBrowser('names, search and export in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
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
  });
  afterEach(async () => {
    await context?.close();
  });

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('searches from the header with the keyboard and opens the chosen result', async () => {
    await openSignedIn('admin@dell.test', '/');
    const box = page.getByRole('combobox', { name: 'Search' });
    await box.fill('bravo');
    const option = page.getByRole('option', { name: /Bravo IT Solutions/ });
    await option.waitFor();
    expect(await option.getAttribute('title')).toBe('ptn_bravo');
    await box.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await box.press('Enter');
    await page.waitForURL((url) => url.pathname === '/partners/ptn_bravo');
    await page.getByRole('heading', { name: 'Bravo IT Solutions' }).waitFor();
    // A partner's search finds nothing of another partner.
    await context.clearCookies();
    await openSignedIn('admin@bravo.test', '/');
    await page.getByRole('combobox', { name: 'Search' }).fill('alpha');
    await page.getByText('Nothing found for “alpha”.').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('shows orders by name with ids on hover, filters by a name, and exports with the filters', async () => {
    await openSignedIn('admin@dell.test', '/orders');
    const table = page.getByRole('region', { name: 'Orders, page 1' });
    const reseller = table.getByRole('link', { name: 'Bravo IT Solutions' });
    await reseller.waitFor();
    expect(await reseller.getAttribute('title')).toBe('ptn_bravo');
    expect(await table.getByRole('link', { name: 'Delta Distribution' }).getAttribute('title')).toBe(
      'ptn_dist',
    );
    // Filter by reseller name: typed, chosen, applied; the URL carries the id.
    const picker = page.getByRole('combobox', { name: 'Reseller' });
    await picker.fill('alpha');
    await page.getByRole('option', { name: 'Alpha Systems Ltd' }).click();
    await page.waitForURL((url) => url.searchParams.get('reseller') === 'ptn_alpha');
    await expect.poll(async () => picker.inputValue()).toBe('Alpha Systems Ltd');
    await expect.poll(async () => table.getByRole('link', { name: 'Bravo IT Solutions' }).count()).toBe(0);
    // The export link carries the same filters and asks for CSV; what it downloads is the filtered list.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const url = new URL(href ?? '', app.baseURL);
    expect(url.pathname).toBe('/api/orders');
    expect(url.searchParams.get('reseller')).toBe('ptn_alpha');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('cursor')).toBeNull();
    const csv = await context.request.get(url.toString());
    expect(csv.headers()['content-type']).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\n');
    // Dell's orders through Alpha: the header and ord_a1 (Alpha's VMware order is not Dell's).
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^ord_a1,.*ptn_alpha/);
    expect(pageErrors).toEqual([]);
  });

  it('shows the list in French', async () => {
    await openSignedIn('admin@dell.test', '/orders');
    await page.evaluate("localStorage.setItem('trellis.language', 'fr')");
    await page.reload();
    await page.getByRole('link', { name: 'Exporter en CSV' }).waitFor();
    await page.getByRole('combobox', { name: 'Revendeur' }).waitFor();
    await page.getByRole('combobox', { name: 'Rechercher' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
