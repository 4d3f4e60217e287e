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

/**
 * The app on a phone (issue 15, item 7) and for visitors who are not signed in (item 8): at 390 px the
 * navigation folds behind a menu button, wide tables scroll inside their frame and the page never scrolls
 * sideways; a signed-out visitor is sent to sign in and brought back.
 */
describeWithBrowser('layout: phones and signed-out visitors', (executablePath) => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

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
  });

  afterEach(async () => {
    await context?.close();
  });

  async function signInAs(email: string) {
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email, password: FIXTURE_PASSWORD },
    });
    expect(res.status()).toBe(200);
  }

  /** How far the page itself scrolls sideways (0 when it fits the viewport). */
  const pageOverflow = () =>
    page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>;

  /** The elements wider than the viewport, innermost first (a table's frame, not its cells), for a failure. */
  const overflowing = () =>
    page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((el) => !el.parentElement.closest('.table-wrap'))
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .reverse()
      .slice(0, 4)
      .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + JSON.stringify((el.textContent || '').slice(0, 30)))`) as Promise<
      string[]
    >;

  it('folds the navigation behind a menu button at 390 px: it opens, Escape closes it, a link closes it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs('admin@dell.test');
    await page.goto('/');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await menu.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Partners' }).waitFor();
    // Escape from inside the open menu closes it and gives focus back to the button.
    await nav.getByRole('link', { name: 'Partners' }).focus();
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    expect(await menu.evaluate((el) => el === (el.ownerDocument.activeElement as unknown))).toBe(true);

    // Keyboard: Enter opens it, and following a link navigates and closes it.
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL((url) => url.pathname === '/orders');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
  });

  it('shows the navigation inline at 1440 px, with no menu button', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs('admin@dell.test');
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Partners' }).waitFor();
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
  });

  it('fits a laptop screen in either language: the header wraps its navigation, the page never scrolls sideways', async () => {
    await signInAs('admin@dell.test');
    for (const [language, width] of [
      ['en', 1280],
      ['fr', 1280],
      ['fr', 1024],
      ['fr', 1440],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto('/');
      await page.evaluate(`localStorage.setItem('trellis.language', '${language}')`);
      await page.goto('/');
      const signOut = page.getByRole('button', { name: language === 'fr' ? 'Se déconnecter' : 'Sign out' });
      await signOut.waitFor();
      expect(await pageOverflow(), `${language} at ${width} px: ${(await overflowing()).join(', ')}`).toBe(0);
      // The tools stay whole and inside the screen.
      const box = await signOut.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(width);
    }
  });

  it('keeps wide tables scrolling inside their frame at 390 px, never the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs('admin@dell.test');
    await page.goto('/orders');
    const frame = page.locator('main .table-wrap').first();
    await frame.locator('tbody tr').first().waitFor();
    const sizes = await frame.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(await pageOverflow()).toBeLessThanOrEqual(0);
    // The frame scrolls: its last column (an amount) comes into view inside it.
    const before = await frame.evaluate((el) => el.scrollLeft);
    await frame.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    expect(await frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(before);

    for (const path of ['/', '/partners', '/programs', '/customers']) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      await page.locator('main .loading').first().waitFor({ state: 'detached' });
      expect(
        await pageOverflow(),
        `${path} scrolls sideways at 390 px: ${(await overflowing()).join(', ')}`,
      ).toBeLessThanOrEqual(0);
    }
  });

  it('sends a signed-out visitor to sign in, with no refusal shown, and back after signing in', async () => {
    await page.goto('/partners?q=alpha');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/partners?q=alpha');
    await page.getByLabel('Email').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Health/ }).count()).toBe(0);

    await page.getByLabel('Email').fill('admin@dell.test');
    await page.getByLabel('Password').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname + url.search === '/partners?q=alpha');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('sends a signed-out visitor of the home page to sign in, without next', async () => {
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).search).toBe('');
    await page.getByLabel('Email').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
