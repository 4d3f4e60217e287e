import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { transitionStatement } from '../../src/app/incentives/statements.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import { draftStatement, loadRate, publishFxProgram } from '../support/fx.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  startFixtureApp,
  type RunningApp,
} from './browser.js';

/**
 * Payouts in the partner's currency in a real Chromium (issue 17): a FY27 statement of Alpha's paid in
 * EUR at the day's USD/EUR rate shows the original total, the rate, the lines converted, the rounding and
 * the converted total, and each line in EUR; Alpha's admin chooses its payout currency on the statements
 * page.
 */
function startFxApp(): Promise<RunningApp> {
  return startFixtureApp({
    store: async (ctx) => {
      const dell = await publishFxProgram(ctx, {
        payoutRate: 'payout-day',
        missingRate: '{ lastKnownWithinDays: 5 }',
        payoutCurrencies: ['EUR', 'GBP'],
      });
      await ctx.store.db
        .updateTable('enrolments')
        .set({ payoutCurrency: 'EUR' })
        .where('id', '=', 'enr_a_dell')
        .execute();
      await draftStatement(
        ctx.store,
        {
          id: 'stm_fxweb',
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId: 'ptn_alpha',
          period: 'FY27-Q1',
        },
        [123_456, 78_901, 45_555, 1],
      );
      const today = ctx.clock.now().toISOString().slice(0, 10);
      await loadRate(ctx.store, dell.vendorId, 'USD', 'EUR', today, '0.9259');
      const who = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
      for (const action of ['issue', 'approve', 'pay'] as const)
        await transitionStatement(ctx, who, 'stm_fxweb', action, { reference: 'SEPA-1' });
    },
  });
}

describeWithBrowser('payouts in the partner currency in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startFxApp),
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

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

  it('shows the statement in USD and its payout in EUR: rate, lines converted, rounding, converted total', async () => {
    await openSignedIn('admin@alpha.test', '/statements/stm_fxweb');
    const heading = page.getByRole('heading', { name: 'Payout in EUR' });
    await heading.waitFor();
    const totals = squash(await page.locator('section[aria-labelledby="totals"]').innerText());
    expect(totals).toContain('1 USD = 0.9259 EUR');
    expect(totals).toMatch(/Lines converted one by one\s*€2,295\.42/);
    expect(totals).toMatch(/Rounding difference\s*€0\.01/);
    expect(totals).toMatch(/Total converted \(paid\)\s*€2,295\.43/);
    expect(totals).toMatch(/Total in the program currency\s*\$2,479\.13/);
    // Each line in EUR, beside its USD amount.
    await page.getByRole('columnheader', { name: 'In EUR' }).waitFor();
    const firstRow = squash(await page.getByRole('row').nth(1).innerText());
    expect(firstRow).toContain('$1,234.56');
    expect(firstRow).toContain('€1,143.08');
    expect(pageErrors).toEqual([]);
  });

  it("lets the partner's admin choose the payout currency among the program's", async () => {
    await openSignedIn('admin@alpha.test', '/statements');
    // One chooser per program the partner is enrolled in (the shipped VMware program pays in EUR too).
    const dell = page.getByRole('form', { name: /Payout currency: dell-emc/ });
    const select = dell.getByLabel('Paid in', { exact: true });
    await select.waitFor();
    expect(await select.inputValue()).toBe('EUR');
    await select.selectOption('GBP');
    await dell.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'paid in GBP from the next statement issued' })
      .waitFor();
    // The statements list shows what the paid statement was paid in.
    const row = squash(await page.getByRole('row').filter({ hasText: 'FY27-Q1' }).first().innerText());
    expect(row).toContain('€2,295.43');
    expect(pageErrors).toEqual([]);
  });
});
