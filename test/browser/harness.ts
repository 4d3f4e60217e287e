/**
 * The set-up the browser suites share: Chromium launched beside the suite's app (see startFixtureApp in
 * browser.ts), and a page signed in through the API in a given locale whose errors are collected.
 */
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { FIXTURE_PASSWORD } from '../support/fixtures.js';
import { ensureWebBuilt, launchChromium, newContext, type RunningApp } from './browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * The serious and critical axe violations of the page's main content (the header is the shell's, checked
 * by accessibility.test.ts). The page must let inline scripts run (`bypassCSP` when opened).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface AxeResults {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    }
    const { axe } = globalThis as unknown as {
      axe: { run: (context: unknown, options: object) => Promise<AxeResults> };
    };
    const results = await axe.run({ include: [['#main']] }, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The elements of the page's content that reach past the screen's right edge (wide tables scroll). */
export function offScreen(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('#main *')]
    .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map((e) => e.tagName + '.' + e.className)`);
}

/** Collapses the browser's whitespace (innerText keeps line breaks between cells), no-break spaces too. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Collapses the browser's line breaks and spaces, keeping the no-break spaces of French money. */
export function squashKeepingNoBreak(text: string): string {
  return text.replace(/[ \t\r\n]+/g, ' ').trim();
}

export interface OpenOptions {
  /** The browser's locale; en-US when not said. */
  readonly locale?: string;
  /** The window's size; Playwright's default (1280 × 720) when not said. */
  readonly viewport?: { readonly width: number; readonly height: number } | undefined;
  /** Lets inline scripts (axe) past the app's Content-Security-Policy. */
  readonly bypassCSP?: boolean;
  /** Also counts the console's errors as page errors (but not the failed loads the pages answer). */
  readonly consoleErrors?: boolean;
  /** Where to go once signed in; nowhere when not said. */
  readonly path?: string;
}

/** The desktop window of `newContext` in browser.ts. */
export const DESKTOP = { width: 1280, height: 900 } as const;

export interface SignedIn {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The page's uncaught errors (and console errors when asked), as they happen. */
  readonly pageErrors: string[];
}

/**
 * A fresh context (UTC, service workers blocked, 15 s timeouts) with one page, signed in as `email` with
 * the fixture password through the API, then at `path` when given.
 */
export async function openSignedIn(
  browser: Browser,
  app: RunningApp,
  email: string,
  options: OpenOptions = {},
): Promise<SignedIn> {
  const context = await browser.newContext({
    baseURL: app.baseURL,
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
    ...(options.viewport ? { viewport: { ...options.viewport } } : {}),
    serviceWorkers: 'block',
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  if (options.consoleErrors)
    page.on('console', (msg) => {
      // A refused request is the browser's console error; the pages show those answers themselves.
      if (msg.type() === 'error' && !msg.text().includes('Failed to load resource'))
        pageErrors.push(`console: ${msg.text()}`);
    });
  const res = await context.request.post('/api/auth/sign-in', {
    data: { email, password: FIXTURE_PASSWORD },
  });
  expect(res.status()).toBe(200);
  if (options.path !== undefined) await page.goto(options.path);
  return { context, page, pageErrors };
}

export interface BrowserSuite {
  /** The running app (once beforeAll has run). */
  readonly app: RunningApp;
  /** The launched Chromium (once beforeAll has run). */
  readonly browser: Browser;
  /** `openSignedIn` on this suite's browser and app; the context is closed after the test. */
  open(email: string, options?: OpenOptions): Promise<SignedIn>;
  /** `newContext` (signed out, en-US, desktop) on this suite's browser and app; closed after the test. */
  newContext(): Promise<BrowserContext>;
}

/**
 * Registers a suite's hooks: before all, builds the web app and starts `start`'s app while Chromium
 * launches and `alongside` runs (4 minutes at most); after each test, closes the contexts it opened;
 * after all, closes Chromium and the app.
 */
export function useBrowserSuite(
  executablePath: string,
  start: () => Promise<RunningApp>,
  alongside?: () => Promise<void>,
): BrowserSuite {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let opened: BrowserContext[] = [];

  beforeAll(async () => {
    const [running, launched, beside] = await Promise.allSettled([
      ensureWebBuilt().then(start),
      launchChromium(executablePath),
      alongside?.(),
    ]);
    if (running.status === 'fulfilled') app = running.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (running.status === 'rejected') throw running.reason;
    if (launched.status === 'rejected') throw launched.reason;
    if (beside.status === 'rejected') throw beside.reason;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async () => {
    const contexts = opened;
    opened = [];
    for (const context of contexts) await context.close();
  });

  const suite: BrowserSuite = {
    get app() {
      if (!app) throw new Error('the app is not running (beforeAll failed or has not run)');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched (beforeAll failed or has not run)');
      return browser;
    },
    async open(email, options) {
      const signedIn = await openSignedIn(suite.browser, suite.app, email, options);
      opened.push(signedIn.context);
      return signedIn;
    },
    async newContext() {
      const context = await newContext(suite.browser, suite.app.baseURL);
      opened.push(context);
      return context;
    },
  };
  return suite;
}
