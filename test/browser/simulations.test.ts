import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture, ROOT } from '../support/fixtures.js';
import { openTestStore, type TestStore } from '../support/stores.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  WEB_ROOT,
  type RunningApp,
} from './browser.js';

async function startApp(): Promise<RunningApp> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store);
    await loadFixture(ctx);
    app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const server = app;
    return {
      baseURL: `http://127.0.0.1:${port}`,
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
 * The Simulations page in a real Chromium: Dell's admin pastes a draft (Gold storage raised a point),
 * runs it, and reads the totals, the cost by period and component, the tier changes and the partner list;
 * an invalid draft shows its problems as file:line:column; a partner has no Simulations entry.
 */
describeWithBrowser('simulations in Chromium', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const shipped = readFileSync(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8');

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
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().includes('Failed to load resource'))
        pageErrors.push(`console: ${msg.text()}`);
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  const navLabels = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();

  async function openSignedIn(email: string, path: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
    await page.goto(path);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('as admin@dell.test, runs a draft and reads its result', async () => {
    await openSignedIn('admin@dell.test', '/simulations');
    await expect.poll(navLabels).toContain('Simulations');
    await page.getByRole('heading', { level: 1, name: 'Simulations' }).waitFor();
    await page
      .getByLabel('Draft program')
      .fill(shipped.replace('gold: { storage: 2%', 'gold: { storage: 3%'));
    await page.getByLabel('From', { exact: true }).fill('2017-02-01');
    await page.getByLabel('To', { exact: true }).fill('2017-07-31');
    await page.getByLabel('Name (optional)').fill('gold storage 3%');
    // In two shards of partners: the same result as in one.
    await page.getByLabel('Shards of partners').fill('2');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByRole('heading', { level: 1, name: 'gold storage 3%' }).waitFor();
    await page.getByRole('heading', { name: 'Cost by period' }).waitFor();
    await page.getByRole('heading', { name: 'Cost by component' }).waitFor();
    await page.getByText("The draft's tiers are the baseline's").waitFor();
    const rows = page.getByRole('region', { name: 'Partners, baseline and draft' }).locator('tbody tr');
    await rows.first().waitFor();
    // Alpha (no tier held: the floor) sold storage: the draft raises Gold's rate only, so nobody gains here.
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await page.getByText('0 gain, 0 lose').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('shows an invalid draft’s problems as file:line:column; a partner has no Simulations entry', async () => {
    await openSignedIn('admin@dell.test', '/simulations');
    await page.getByLabel('Draft program').fill(shipped.replace('periods: quarter', 'periods: weekly'));
    await page.getByLabel('From', { exact: true }).fill('2017-02-01');
    await page.getByLabel('To', { exact: true }).fill('2017-07-31');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const problems = page.getByRole('list', { name: 'Problems in the draft' });
    await problems.waitFor();
    expect(await problems.innerText()).toMatch(/draft\.yaml:\d+:\d+/);
    await openSignedIn('admin@alpha.test', '/');
    await expect.poll(navLabels).toContain('Home');
    expect(await navLabels()).not.toContain('Simulations');
  });
});
