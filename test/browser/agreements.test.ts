import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import {
  agreementText,
  publishAgreement,
  publishDellFy22,
  withoutTermination,
} from '../support/agreements.js';
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

const SYSTEM = { kind: 'system', id: 'test' } as const;

/** The server's today (it runs on the real clock: session cookies expire on it). */
const today = () => new Date().toISOString().slice(0, 10);

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface AgreementsApp extends RunningApp {
  readonly agreementId: string;
}

/**
 * A real server over the fixture world with Dell's program moved to FY22, the Dell-VMware agreement without
 * its recorded termination and with its term stretched to 2031 (so notice given today is still "notice
 * given"), and a combined Dell + VMware sale to Acme in late 2021 whose periods both vendors closed: Alpha
 * holds a solution reward (USD 1,234.57) split between the parties.
 */
async function startAgreementsApp(): Promise<AgreementsApp> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store);
    const { dell, vmware } = await loadFixture(ctx);
    await publishDellFy22(ctx);
    const text = await agreementText((s) =>
      withoutTermination(s).replace('to: 2026-10-31', 'to: 2031-10-31').replace('term: P5Y', 'term: P10Y'),
    );
    const published = await publishAgreement(ctx, text);
    if (published.kind !== 'agreement') throw new Error('expected an agreement');
    app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
    const dellAdmin = client(app, await signIn(app, 'admin@dell.test'));
    const vmwAdmin = client(app, await signIn(app, 'admin@vmware.test'));
    const order = (
      externalId: string,
      customerId: string,
      orderDate: string,
      productId: string,
      unit: number,
    ) => ({
      source: 'erp',
      externalId,
      orderDate,
      currency: 'USD',
      customerId,
      channel: 'partner',
      resellerId: 'ptn_alpha',
      distributorId: null,
      lines: [{ productId, quantity: 1, unitPriceMinor: unit }],
    });
    for (const [who, body] of [
      [dellAdmin, order('agr-web-1', 'cus_acme', '2021-11-10', 'prd_stor', 100_000_00)],
      [vmwAdmin, order('agr-web-2', 'cus_vacme', '2021-12-01', 'prd_vsp', 23_456_78)],
    ] as const) {
      const r = await who('POST', '/api/orders', body);
      if (r.status !== 201) throw new Error(`order: ${r.status} ${r.text}`);
    }
    for (const v of [dell, vmware])
      await closePeriod(
        ctx,
        { actor: SYSTEM, scope: { kind: 'vendor', vendorId: v.vendorId, regions: [] } },
        { program: v.programId, period: 'FY22-Q4' },
      );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const server = app;
    return {
      baseURL: `http://127.0.0.1:${port}`,
      agreementId: published.agreementId,
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
 * Agreements and the partner's home in a real Chromium: Dell's admin reads the agreement with its share of
 * the funding and gives notice (the effective day shown before confirming); VMware's admin then sees it as
 * notice given; Alpha's admin sees its home with both vendors and its cross-vendor reward. The steps build
 * on each other.
 */
describeWithBrowser('agreements and the partner home in Chromium', (executablePath) => {
  let app: AgreementsApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startAgreementsApp),
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
  const NAME = 'Dell-VMware Commercial Framework Agreement';

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('as admin@dell.test, sees the agreement and its share, and gives notice after seeing when it takes effect', async () => {
    await openSignedIn('admin@dell.test', '/agreements');
    await expect.poll(navLabels).toContain('Agreements');
    await page.getByRole('heading', { level: 1, name: 'Agreements' }).waitFor();
    const row = page.getByRole('region', { name: 'Agreements' }).locator('tbody tr', { hasText: NAME });
    await row.waitFor();
    const rowText = squash(await row.innerText());
    expect(rowText).toContain('Dell Technologies and VMware');
    expect(rowText).toContain('active');
    expect(rowText).toContain('2021-11-01 to 2031-10-31');
    expect(rowText).toContain('10 years');

    await row.getByRole('link', { name: NAME }).click();
    await page.waitForURL((url) => url.pathname === `/agreements/${app.agreementId}`);
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    expect(await page.getByTestId('your-funding').innerText()).toBe('50%');
    const terms = squash(await page.locator('.agreement-terms').innerText());
    expect(terms).toContain('Purchases of VMware through Dell Technologies count 100% toward VMware');
    expect(terms).toContain('within 90 days');
    expect(terms).toContain('from Dell Technologies: servers or storage; from VMware: software');
    expect(terms).toContain('Your share: 50%');
    // Dell's funded share, explained with Dell's own lines only: nothing of VMware's sale.
    const rewards = page.getByRole('region', { name: 'Rewards you funded' });
    const rewardRow = rewards.locator('tbody tr').first();
    await rewardRow.waitFor();
    const rewardText = squash(await rewardRow.innerText());
    expect(rewardText).toContain('Alpha Systems Ltd');
    expect(rewardText).toContain('$617.29');
    expect(rewardText).not.toMatch(/23,456\.78|vSphere/);

    // A second tab opened now still offers notice after the first gives it: the API's refusal is shown.
    const stale = await context.newPage();
    await stale.goto(`/agreements/${app.agreementId}`);
    await stale.getByRole('button', { name: 'Give notice…' }).waitFor();

    // Give notice: the form shows the effective day as the notice day changes, then asks to confirm.
    await page.getByRole('button', { name: 'Give notice…' }).click();
    // The form takes focus on its first field (keyboard users keep their place).
    await expect
      .poll(() => page.getByLabel('Reason').evaluate((el) => el === el.ownerDocument.activeElement))
      .toBe(true);
    const form = page.getByRole('form', { name: 'Give notice' });
    expect(await form.getByLabel('Reason').locator('option').allInnerTexts()).toEqual(['Change of control']);
    expect(await form.getByLabel('Notice day').inputValue()).toBe(today());
    await form.getByLabel('Notice day').fill('2023-11-26');
    expect(await page.getByTestId('notice-effective').innerText()).toBe('2024-01-25');
    await form.getByLabel('Notice day').fill(addDays(today(), 1));
    await form.getByRole('button', { name: 'Review the notice' }).click();
    await form.getByRole('alert').filter({ hasText: 'cannot be dated in the future' }).waitFor();
    await form.getByLabel('Notice day').fill(today());
    const effective = addDays(today(), 60);
    expect(await page.getByTestId('notice-effective').innerText()).toBe(effective);
    await form.getByLabel('Note (optional)').fill('Change of control of the other party.');
    await form.getByRole('button', { name: 'Review the notice' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Give notice of termination of the ${NAME}?` });
    await confirm.waitFor();
    expect(squash(await confirm.innerText())).toContain(`terminated on ${effective}`);
    // The confirmation takes focus: Enter gives notice.
    await expect
      .poll(() =>
        confirm
          .getByRole('button', { name: 'Give notice' })
          .evaluate((el) => el === el.ownerDocument.activeElement),
      )
      .toBe(true);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Notice given on ${today()}: the agreement is terminated on ${effective}.` })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Give notice…' }).count()).toBe(0);
    const history = squash(await page.locator('.agreement-events').innerText());
    expect(history).toContain(today());
    expect(await page.locator('h1 + .subtitle [data-status]').getAttribute('data-status')).toBe(
      'notice-given',
    );

    await stale.getByRole('button', { name: 'Give notice…' }).click();
    await stale.getByRole('button', { name: 'Review the notice' }).click();
    const staleConfirm = stale.getByRole('alertdialog');
    await staleConfirm.getByRole('button', { name: 'Give notice' }).click();
    const refused = staleConfirm.getByRole('alert');
    await refused.waitFor();
    expect(squash(await refused.innerText())).toContain(
      `(409): agreement dell-vmware-commercial-framework-2021: notice was already given on ${today()}`,
    );
    await stale.close();
    expectNoPageErrors();
  });

  it('as admin@vmware.test, sees the agreement as notice given, with no notice left to give', async () => {
    await openSignedIn('admin@vmware.test', `/agreements/${app.agreementId}`);
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    const banner = page.locator('.agreement-state');
    await banner.waitFor();
    const text = squash(await banner.innerText());
    expect(text).toContain(`Dell Technologies gave notice on ${today()} (change of control)`);
    expect(text).toContain(`ends on ${addDays(today(), 60)}`);
    expect(await page.getByTestId('your-funding').innerText()).toBe('50%');
    expect(await page.getByRole('button', { name: 'Give notice…' }).count()).toBe(0);
    const row = page.getByRole('region', { name: 'Rewards you funded' }).locator('tbody tr').first();
    expect(squash(await row.innerText())).toContain('$617.28');

    await page.getByRole('link', { name: '← Agreements' }).click();
    const listRow = page.getByRole('region', { name: 'Agreements' }).locator('tbody tr', { hasText: NAME });
    await listRow.waitFor();
    expect(await listRow.locator('[data-status]').getAttribute('data-status')).toBe('notice-given');
    expect(squash(await listRow.innerText())).toContain(`Dell Technologies gave notice on ${today()}`);
    expectNoPageErrors();
  });

  it('as admin@alpha.test, sees its home with both vendors and its cross-vendor reward, down to 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openSignedIn('admin@alpha.test', '/');
    await page.getByRole('heading', { level: 1, name: 'Home: Alpha Systems Ltd' }).waitFor();
    expect(await page.getByRole('heading', { name: /^Health/ }).count()).toBe(0);
    const cards = page.locator('.home-card');
    await expect.poll(() => cards.count()).toBe(2);
    for (const [vendor, number] of [
      ['Dell Technologies', 'D-1'],
      ['VMware', 'V-1'],
    ] as const) {
      const card = page.getByRole('article', { name: new RegExp(`^${vendor}`) });
      await card.getByTestId('home-tier').waitFor();
      const year = card.locator('tr[data-span="year"]');
      await year.waitFor();
      const text = squash(await card.innerText());
      expect(text).toContain(`Partner number ${number}`);
      expect(text).toContain('the end of FY22');
      expect(text).toContain('Next tier');
      expect(squash(await year.innerText())).toMatch(/^This year \(FY22\) \$[1-9][\d,]*\.\d\d \$0\.00$/);
      expect(squash(await card.locator('tr[data-span="quarter"]').innerText())).toMatch(
        /^This quarter \(FY22-Q4\) \$[1-9]/,
      );
    }
    const section = page
      .getByRole('region', { name: 'Cross-vendor rewards' })
      .or(page.locator('section[aria-labelledby="home-cross-vendor"]'));
    const agreement = section.getByRole('article', { name: new RegExp(NAME) });
    const rewards = agreement
      .getByRole('list', { name: `Your rewards under the ${NAME}` })
      .getByRole('listitem');
    await rewards.first().waitFor();
    const agreementText = squash(await agreement.innerText());
    expect(agreementText).toContain('notice given');
    expect(agreementText).toContain(`ends on ${addDays(today(), 60)}`);
    expect(agreementText).toContain('$1,234.57 earned in 2 shares');
    expect(await rewards.count()).toBe(2);
    expect(squash(await rewards.filter({ hasText: 'Dell Technologies' }).innerText())).toContain(
      'Dell Technologies funds $617.29 of $1,234.57',
    );
    // The explanation opens on demand (keyboard: the summary is a button).
    const why = rewards.filter({ hasText: 'VMware funds' }).getByText('Why');
    await why.focus();
    await page.keyboard.press('Enter');
    await rewards
      .filter({ hasText: 'VMware funds' })
      // The app renders the reward's message in the reader's formats (the API's text says USD 617.28).
      .getByText(/vmware funds 50\.00% of the reward: \$617\.28/)
      .waitFor();
    // Nothing overflows the phone's width but the scrollable tables.
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);

    await agreement.getByRole('link', { name: NAME }).click();
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    expect(await page.getByTestId('your-funding').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Give notice…' }).count()).toBe(0);
    await page.getByRole('heading', { name: 'Your cross-vendor rewards' }).waitFor();
    expectNoPageErrors();
  });
});
