import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { splitPartnerBase } from '../../src/app/transfers/split.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { openTestStore, type TestStore } from '../support/stores.js';
import { holdTiers, publishNewco } from '../support/transfers.js';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchChromium,
  newContext,
  WEB_ROOT,
  type RunningApp,
} from './browser.js';

/** The fixture world where the operator split Dell's partner base into NewCo's copy of its program. */
async function startTransfersApp(): Promise<RunningApp & { transferId: string }> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store);
    const { dell } = await loadFixture(ctx);
    await publishNewco(ctx);
    await holdTiers(ctx, dell, ['authorized', 'gold', 'platinum', 'titanium'], '2017-02-01', {
      ptn_alpha: 'titanium',
    });
    const split = await splitPartnerBase(
      ctx,
      { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
      { source: 'dell-emc-partner-program', target: 'newco-partner-program', onDay: '2017-06-01' },
    );
    app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const server = app;
    return {
      baseURL: `http://127.0.0.1:${port}`,
      transferId: split.transfer.id,
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
 * The Transfers page in a real Chromium: Dell's admin finds the split in the list and reads each partner's
 * check (tier promised and held, rates per family); VMware's admin, no party to it, sees none; a channel
 * manager and a partner have no Transfers entry.
 */
describeWithBrowser('program transfers in Chromium', (executablePath) => {
  let app: RunningApp & { transferId: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const [running, launched] = await Promise.allSettled([
      ensureWebBuilt().then(startTransfersApp),
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

  it("as admin@dell.test, lists the split and reads each partner's check", async () => {
    await openSignedIn('admin@dell.test', '/transfers');
    await expect.poll(navLabels).toContain('Transfers');
    await page.getByRole('heading', { level: 1, name: 'Program transfers' }).waitFor();
    const link = page.getByRole('link', { name: new RegExp(`split ${app.transferId}`) });
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Split on 2017-06-01' }).waitFor();
    const alpha = page.locator('tbody tr', { hasText: 'Alpha Systems Ltd' });
    await alpha.waitFor();
    const text = squash(await alpha.innerText());
    expect(text).toContain('titanium titanium titanium');
    expect(text).toContain('storage 5%');
    expect(text).toContain('no change');
    expect(pageErrors).toEqual([]);
  });

  it('as admin@vmware.test, sees no transfer; a partner has no Transfers entry', async () => {
    await openSignedIn('admin@vmware.test', '/transfers');
    await page.getByText('There is nothing here yet.').waitFor();
    await openSignedIn('admin@alpha.test', '/');
    await expect.poll(navLabels).toContain('Home');
    expect(await navLabels()).not.toContain('Transfers');
    expect(pageErrors).toEqual([]);
  });
});
