import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import { addRates, withExchange } from '../support/order-currencies.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  startFixtureApp,
  type RunningApp,
} from './browser.js';

/**
 * Orders in other currencies in the web app (issue 17): a EUR order shows what was invoiced, the
 * converted amount and the rate on the order list and page, and its rebate sentence shows both amounts,
 * in English and in French.
 */
describeWithBrowser('orders in other currencies in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let orderId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(() =>
        startFixtureApp({
          store: async (ctx, fixture) => {
            await withExchange(ctx.store.db, fixture.dell.programId, {
              orderCurrencies: [{ zones: ['emea-1'], countries: [], currencies: ['EUR'] }],
              orderRate: 'order-day',
              payoutRate: 'payout-day',
              missingRate: { policy: 'refuse' },
              payoutCurrencies: [],
            });
            await addRates(ctx.store.db, fixture.dell.vendorId, [['EUR', 'USD', '2017-03-01', '1.0712']]);
          },
          api: async (admin) => {
            const res = await admin('POST', '/api/orders', {
              source: 'erp',
              externalId: 'EUR-1',
              orderDate: '2017-03-01',
              currency: 'EUR',
              customerId: 'cus_acme',
              channel: 'partner',
              resellerId: 'ptn_alpha',
              lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000_000 }],
            });
            if (res.status !== 201) throw new Error(`EUR order: ${res.status} ${res.text}`);
            orderId = res.body.id as string;
          },
        }),
      ),
      launchChromium(executablePath),
    ]);
    if (running.status === 'fulfilled') app = running.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (running.status === 'rejected') throw running.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 180_000);

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(locale: 'en-US' | 'fr-FR'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      baseURL: app.baseURL,
      locale,
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 900 },
      serviceWorkers: 'block',
    });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email: 'admin@dell.test', password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    return { page, errors };
  }

  const text = (s: string) => s.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

  it('shows the EUR amount, the USD amount and the rate on the list, the page and the rebate', async () => {
    const { page, errors } = await signedIn('en-US');
    await page.goto('/orders');
    const row = page.locator('table tbody tr', { hasText: 'EUR-1' });
    await row.waitFor();
    expect(text(await row.innerText())).toContain('€10,000.00 → $10,712.00');
    await page.goto(`/orders/${orderId}`);
    const line = page
      .locator('table')
      .filter({ has: page.locator('caption', { hasText: 'Order lines' }) })
      .locator('tbody tr')
      .first();
    await line.waitFor();
    expect(text(await line.innerText())).toContain('€10,000.00 → $10,712.00 at 1.0712');
    const earned = page.locator('section', { has: page.locator('#earned') });
    await earned
      .getByText(/€10,000\.00 at 1\.0712 = \$10,712\.00;/)
      .first()
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('says the same in French', async () => {
    const { page, errors } = await signedIn('fr-FR');
    await page.goto(`/orders/${orderId}`);
    const line = page.locator('table tbody tr').first();
    await line.waitFor();
    expect(text(await line.innerText())).toContain('10 000,00 € → 10 712,00 $US au taux de 1,0712');
    const earned = page.locator('section', { has: page.locator('#earned') });
    await earned
      .getByText(/au taux de 1,0712/)
      .first()
      .waitFor();
    expect(text(await earned.innerText())).toContain('10 000,00 € au taux de 1,0712 = 10 712,00 $US ;');
    expect(errors).toEqual([]);
  });
});
