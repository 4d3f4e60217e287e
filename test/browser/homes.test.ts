import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ROOT } from '../support/fixtures.js';
import { viaJob } from '../support/jobs.js';
import { describeWithBrowser, startFixtureApp, type RunningApp } from './browser.js';
import { DESKTOP, squash, useBrowserSuite } from './harness.js';

const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** Keeps a measured time as a test artefact (test-results/timings.jsonl); tests hold no timing threshold. */
function recordTiming(what: string, ms: number): void {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  appendFileSync(
    join(ROOT, 'test-results', 'timings.jsonl'),
    `${JSON.stringify({ what, firstContentMs: ms, at: new Date().toISOString() })}\n`,
  );
}

/** The fixture world with FY18-Q1 and FY18-Q2 closed: draft statements of Alpha and Bravo in each. */
function startApp(): Promise<RunningApp> {
  return startFixtureApp({
    api: async (admin) => {
      const orders: [string, string, string][] = [
        ['HOME-A1', '2017-03-10', 'ptn_alpha'],
        ['HOME-B1', '2017-03-12', 'ptn_bravo'],
        ['HOME-A2', '2017-06-10', 'ptn_alpha'],
        ['HOME-B2', '2017-06-12', 'ptn_bravo'],
      ];
      for (const [externalId, orderDate, resellerId] of orders) {
        const r = await admin('POST', '/api/orders', {
          source: 'erp',
          externalId,
          currency: 'USD',
          channel: 'partner',
          orderDate,
          customerId: 'cus_acme',
          resellerId,
          lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 3_000_000 }],
        });
        if (r.status !== 201) throw new Error(`order: ${r.status} ${r.text}`);
      }
      for (const period of ['FY18-Q1', 'FY18-Q2']) {
        const close = await viaJob(admin, 'POST', '/api/closes', {
          program: 'dell-emc-partner-program',
          period,
        });
        if (close.status !== 200) throw new Error(`close: ${close.status} ${close.text}`);
      }
    },
  });
}

/**
 * The vendor's home in a real Chromium, in English then in French: its KPIs and queues, and the
 * statements of a period issued, approved and paid in bulk, each step confirmed on its preview. The
 * partner's home opens on its own standing, never the server's health.
 */
describeWithBrowser('the homes in Chromium', (executablePath) => {
  const suite = useBrowserSuite(executablePath, startApp, async () => {
    mkdirSync(SHOTS, { recursive: true });
  });
  let page: Page;
  let pageErrors: string[];

  async function open(email: string, locale: 'en-US' | 'fr-FR') {
    ({ page, pageErrors } = await suite.open(email, {
      locale,
      viewport: locale === 'en-US' ? DESKTOP : undefined,
      path: '/',
    }));
  }

  /** Runs one bulk step on the queue's row of a period: asks, reads the preview, confirms, waits. */
  async function bulk(period: string, button: string, question: string, confirm: string, expectText: RegExp) {
    const row = page
      .locator('table tbody tr', { hasText: period })
      .filter({ has: page.getByRole('button', { name: button }) });
    await row.getByRole('button', { name: button }).click();
    const dialog = page.getByRole('alertdialog', { name: question });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(expectText);
    await dialog.getByRole('button', { name: confirm }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('as admin@dell.test in English: the KPIs and queues, then FY18-Q1 issued, approved and paid in bulk', async () => {
    await open('admin@dell.test', 'en-US');
    await page.getByRole('heading', { level: 1, name: 'Home: Dell Technologies' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Statements to issue, approve and pay' }).waitFor();
    expect(await page.getByRole('heading', { name: /^Health/ }).count()).toBe(0);
    await bulk('FY18-Q1', 'Issue all', 'Issue these statements?', 'Confirm', /2 statements will move\./);
    await page
      .locator('table tbody tr', { hasText: 'FY18-Q1' })
      .getByRole('button', { name: 'Approve all' })
      .waitFor();
    await bulk('FY18-Q1', 'Approve all', 'Approve these statements?', 'Confirm', /2 statements will move\./);
    await bulk('FY18-Q1', 'Pay all', 'Pay these statements?', 'Confirm', /paid out \$[\d,]+\.\d\d/);
    await expect.poll(() => page.locator('table tbody tr', { hasText: 'FY18-Q1' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('as admin@dell.test in French: FY18-Q2 émis, approuvé et payé en groupe', async () => {
    await open('admin@dell.test', 'fr-FR');
    await page.getByRole('heading', { level: 1, name: 'Accueil : Dell Technologies' }).waitFor();
    await bulk(
      'FY18-Q2',
      'Tout émettre',
      'Émettre ces relevés ?',
      'Confirmer',
      /2 relevés vont changer de statut\./,
    );
    await page
      .locator('table tbody tr', { hasText: 'FY18-Q2' })
      .getByRole('button', { name: 'Tout approuver' })
      .waitFor();
    await bulk('FY18-Q2', 'Tout approuver', 'Approuver ces relevés ?', 'Confirmer', /2 relevés/);
    // French money: the amount, then the currency, with narrow no-break spaces.
    await bulk('FY18-Q2', 'Tout payer', 'Payer ces relevés ?', 'Confirmer', /versé [\d\u202f]+,\d\d\u00a0\$/);
    await expect.poll(() => page.locator('table tbody tr', { hasText: 'FY18-Q2' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("as admin@alpha.test: the partner's own home, not the server's health, and no /system", async () => {
    await open('admin@alpha.test', 'en-US');
    await page.getByRole('heading', { level: 1, name: /^Home/ }).waitFor();
    expect(await page.getByRole('heading', { name: /^Health/ }).count()).toBe(0);
    await page.goto('/system');
    expect(await page.getByRole('heading', { name: /^Health/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  /** Opens the partner's home and returns how long its first content (a tier) took to show. */
  async function openPartnerHome(locale: 'en-US' | 'fr-FR', width: number): Promise<number> {
    await open('admin@alpha.test', locale);
    await page.setViewportSize({ width, height: 900 });
    const started = Date.now();
    await page.goto('/');
    await page.getByTestId('home-tier').first().waitFor();
    return Date.now() - started;
  }

  it("as admin@alpha.test in English: tier, next tier's gaps, earnings, payout and the chart of a year", async () => {
    const firstContentMs = await openPartnerHome('en-US', 1440);
    await page.getByRole('heading', { level: 1, name: 'Home: Alpha Systems Ltd' }).waitFor();
    const card = page.getByRole('article', { name: /^Dell Technologies/ });
    // No tier was ever recorded in this world: the measures point to Gold through its closest path.
    expect(await card.getByTestId('home-tier').innerText()).toBe('none recorded yet');
    expect(squash(await card.innerText())).toMatch(/Next tier Gold through Path 1 \(\d+% there\)/);
    expect(squash(await card.innerText())).toMatch(/\$[\d,]+ more revenue/);
    const bar = card.getByRole('progressbar', { name: 'Progress to Gold' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    // Bulk-paid above: the year shows what was earned and what was paid, to the cent.
    const year = squash(await card.locator('tr[data-span="year"]').innerText());
    expect(year).toMatch(/^This year \(FY18\) \$[1-9][\d,]*\.\d\d \$[1-9][\d,]*\.\d\d$/);
    // The chart: one bar per month of the year, a legend naming the program's components, and the
    // same figures as a table whose total adds up to the year's earnings.
    const chart = card.getByRole('figure', { name: /Earnings by month and component, FY18/ });
    await chart.waitFor();
    // FY18 runs from 2017-02-04 to 2018-02-02: thirteen calendar months.
    expect(await chart.locator('svg[role="img"] g[data-month]').count()).toBe(13);
    expect(await chart.getByRole('list', { name: 'Components' }).innerText()).toContain('Base rebate');
    await chart.getByText('Show the figures as a table').click();
    const totals = await chart.locator('table tbody tr td:last-child').allInnerTexts();
    const cents = totals.reduce((sum, x) => sum + Math.round(Number(x.replace(/[$,]/g, '')) * 100), 0);
    const earned = /^This year \(FY18\) (\$[\d,]+\.\d\d)/.exec(year)?.[1] ?? '';
    expect(cents).toBe(Math.round(Number(earned.replace(/[$,]/g, '')) * 100));
    await page.screenshot({ path: join(SHOTS, 'partner-home-en-1440.png'), fullPage: true });
    recordTiming('partner home, fixture world, en-US 1440 px', firstContentMs);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('as admin@alpha.test in French at 390 px: the same home, money and dates in French', async () => {
    const firstContentMs = await openPartnerHome('fr-FR', 390);
    await page.getByRole('heading', { level: 1, name: 'Accueil : Alpha Systems Ltd' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Vos fournisseurs' }).waitFor();
    const card = page.getByRole('article', { name: /^Dell Technologies/ });
    expect(squash(await card.innerText())).toMatch(
      /Palier suivant Gold par la voie Path 1 \(\d+ % atteints\)/,
    );
    expect(squash(await card.innerText())).toMatch(
      /encore [\d ]+ \$US : chiffre d’affaires \([\d ]+ \$US sur [\d ]+ \$US, \d+ %\)/,
    );
    // French money: narrow no-break spaces between thousands, a no-break space before the currency.
    const year = await card.locator('tr[data-span="year"]').innerText();
    expect(squash(year)).toMatch(/^Cette année \(FY18\) [\d ]+,\d\d \$US [\d ]+,\d\d \$US$/);
    expect(year).toMatch(/\d\u202f\d{3},\d\d\u00a0\$US/);
    await card.getByRole('figure', { name: /Gains par mois et par composante, FY18/ }).waitFor();
    // Nothing runs off the screen at 390 px: the page does not scroll sideways.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'partner-home-fr-390.png'), fullPage: true });
    recordTiming('partner home, fixture world, fr-FR 390 px', firstContentMs);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
