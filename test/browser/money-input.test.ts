import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, type TestStore } from '../support/stores.js';
import { describeWithBrowser, ensureWebBuilt, launchChromium, WEB_ROOT, type RunningApp } from './browser.js';

/** The fixture world with Bravo's FY18-Q1 statement closed and issued, so Bravo can dispute its lines. */
async function startIssuedApp(): Promise<RunningApp & { statementId: string }> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store);
    await loadFixture(ctx);
    app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
    const admin = client(app, await signIn(app, 'admin@dell.test'));
    const order = await admin('POST', '/api/orders', {
      source: 'erp',
      externalId: 'Q1-BRAVO',
      currency: 'USD',
      channel: 'partner',
      orderDate: '2017-03-01',
      customerId: 'cus_globex',
      resellerId: 'ptn_bravo',
      lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 }],
    });
    if (order.status !== 201) throw new Error(`order: ${order.status} ${order.text}`);
    // The close runs as a job: its statements exist once the job has succeeded.
    const close = await viaJob(admin, 'POST', '/api/closes', {
      program: 'dell-emc-partner-program',
      period: 'FY18-Q1',
      dryRun: false,
    });
    if (close.status !== 200) throw new Error(`close: ${close.status} ${close.text}`);
    const drafts = await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q1');
    const statementId = (drafts.body.items as { id: string }[])[0]?.id ?? '';
    const issued = await admin('POST', `/api/statements/${statementId}/issue`, {});
    if (issued.status !== 200) throw new Error(`issue: ${issued.status} ${issued.text}`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const server = app;
    return {
      baseURL: `http://127.0.0.1:${port}`,
      statementId,
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
 * Money typed by a person in a French browser (issue 9, item 11): "150,25" in the dispute amount is
 * USD 150.25 (it was sent as 15,025.00), "1500,50" in the tier what-if is USD 1,500.50 (it was
 * 150,050.00), and an ambiguous amount is refused next to the field without a request.
 */
describeWithBrowser('money input in a French-locale Chromium', (executablePath) => {
  let app: RunningApp & { statementId: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startIssuedApp),
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
    context = await browser.newContext({
      baseURL: app.baseURL,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1280, height: 900 },
      serviceWorkers: 'block',
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    page = await context.newPage();
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
    // The browser asks for French: the app answers in French.
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  }

  it('runs in French: the page formats numbers as fr-FR does', async () => {
    await page.goto('/');
    expect(await page.evaluate(() => new Intl.NumberFormat().format(1500.5))).toBe('1\u202f500,5');
  });

  it('sends "150,25" in the dispute amount as 15,025 minor units (USD 150.25), and refuses "1,500"', async () => {
    await openSignedIn('admin@bravo.test', `/statements/${app.statementId}`);
    const line = page
      .locator('table tbody tr')
      .filter({ has: page.getByRole('button', { name: /^Contester la ligne/ }) })
      .first();
    await line.getByRole('button', { name: /^Contester la ligne/ }).click();
    const form = page.getByRole('form', { name: /^Contester la ligne \d+/ });
    await form.waitFor();
    await form.getByLabel('Pourquoi cette ligne est-elle erronée ?').fill('The rate is wrong');
    const amount = form.getByLabel(/^Ajustement demandé \(USD\)/);

    // "1,500" in French is 1.500 (three decimals): refused next to the field, never read as 1500.
    const sent: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/disputes') sent.push(r);
    });
    await amount.fill('1,500');
    await form.getByRole('button', { name: 'Ouvrir la contestation' }).click();
    const error = form.locator('.field-error');
    // The refusal is told in the app's language (French here, from the browser).
    expect(await error.innerText()).toContain('a 3 décimales ; le USD en a 2');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toHaveLength(0);

    await amount.fill('150,25');
    const request = page.waitForRequest(
      (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/disputes',
    );
    await form.getByRole('button', { name: 'Ouvrir la contestation' }).click();
    const body = (await request).postDataJSON() as { amountMinor?: number };
    expect(body.amountMinor).toBe(15025);
    await page
      .getByRole('status')
      .filter({ hasText: /150,25/ })
      .waitFor();
  });

  it('sends "1500,50" in the tier what-if as 150,050 minor units (USD 1,500.50)', async () => {
    await openSignedIn('admin@dell.test', '/partners/ptn_alpha');
    const field = page.getByLabel('Montant de l’affaire en attente (USD)');
    await field.fill('1500,50');
    const request = page.waitForRequest(
      (r) =>
        new URL(r.url()).pathname === '/api/partners/ptn_alpha/progress' &&
        new URL(r.url()).searchParams.has('addAmountMinor'),
    );
    await page.getByRole('button', { name: 'Simuler' }).click();
    expect(new URL((await request).url()).searchParams.get('addAmountMinor')).toBe('150050');

    // Ambiguous: a point French does not use, before three digits.
    await field.fill('1.500');
    await page.getByRole('button', { name: 'Simuler' }).click();
    expect(await page.locator('.what-if .field-error').innerText()).toContain('est ambigu');
  });
});

/**
 * The same fields in an English browser: "1,500.50" is USD 1,500.50, "150,25" (a comma that cannot group
 * thousands) is USD 150.25, an ambiguous amount is refused in English, and what is sent is shown back.
 */
describeWithBrowser('money input in an English-locale Chromium', (executablePath) => {
  let app: RunningApp & { statementId: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startIssuedApp),
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
    context = await browser.newContext({
      baseURL: app.baseURL,
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 900 },
      serviceWorkers: 'block',
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  it('sends "1,500.50" and "150,25" in the tier what-if as 150,050 and 15,025 minor units, refuses "1.500,5.0"', async () => {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email: 'admin@dell.test', password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto('/partners/ptn_alpha');
    const field = page.getByLabel('Pending deal amount (USD)');
    for (const [typed, minor] of [
      ['1,500.50', '150050'],
      ['150,25', '15025'],
    ] as const) {
      await field.fill(typed);
      const request = page.waitForRequest(
        (r) =>
          new URL(r.url()).pathname === '/api/partners/ptn_alpha/progress' &&
          new URL(r.url()).searchParams.get('addAmountMinor') === minor,
      );
      await page.getByRole('button', { name: 'Show what if' }).click();
      await request;
    }
    await field.fill('1.500,5.0');
    await page.getByRole('button', { name: 'Show what if' }).click();
    expect(await page.locator('.what-if .field-error').innerText()).toMatch(
      /“1\.500,5\.0” is ambiguous\. Enter an amount in USD like 1,234\.56 \(at most 2 decimals\)/,
    );
  });
});
