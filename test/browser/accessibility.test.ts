import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PASSWORD, ROOT } from '../support/fixtures.js';
import { describeWithBrowser, ensureWebBuilt, launchChromium, startApp, type RunningApp } from './browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Screenshots of each home, kept as test artefacts (test-results/ is git-ignored). */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const WIDE = 1440;
const NARROW = 390;
const LANGUAGES = [
  ['en', 'en-US'],
  ['fr', 'fr-FR'],
] as const;
const ROLES = [
  ['vendor-admin', 'admin@dell.test'],
  ['partner-admin', 'admin@alpha.test'],
] as const;
/** Pages reached from a page rather than from the main navigation. */
const EXTRA_PAGES: Readonly<Record<(typeof ROLES)[number][0], readonly string[]>> = {
  'vendor-admin': ['/deal-flags'],
  'partner-admin': ['/deals/new'],
};

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** The page's serious and critical axe violations (WCAG 2.x A and AA, and best practices). */
async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const { axe, document } = globalThis as unknown as {
      axe: { run: (context: unknown, options: object) => Promise<AxeResults> };
      document: unknown;
    };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
  });
}

/** Waits until the page has its heading and nothing is still loading. */
async function settled(page: Page): Promise<void> {
  await page
    .locator('main h1')
    .first()
    .waitFor({ timeout: 5_000 })
    .catch(() => undefined); // a page without a heading is still checked (axe names what it lacks)
  await page
    .locator('main .loading, main [aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined); // a page that keeps loading is still checked as it is
}

/** The app's pages in the main navigation (the API reference is Swagger UI's, not the app's). */
async function navPages(page: Page): Promise<string[]> {
  await page.goto('/');
  await settled(page);
  const hrefs = await page
    .locator('header nav a[href^="/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '/'));
  return hrefs.filter((href) => !href.startsWith('/api/'));
}

/** A detail page the list at `path` links to (its first row), if it has rows. */
async function firstDetail(page: Page, path: string): Promise<string | null> {
  if (path === '/' || path.split('/').length > 2) return null;
  const href = await page
    .locator(`main a[href^="${path}/"]`)
    .first()
    .getAttribute('href', { timeout: 500 })
    .catch(() => null);
  return href && !href.includes('?') ? href : null;
}

/**
 * The axe check of issue 15 (item 7): every page a vendor admin and a partner admin reach, in English and
 * French, at 1440 and 390 px, has no serious or critical violation. One browser, one context per role
 * and language; the failures name the role, language, width, page and rule.
 */
describeWithBrowser(
  'accessibility (axe) of every page, in English and French, wide and narrow',
  (executablePath) => {
    let app: RunningApp;
    let browser: Browser;

    beforeAll(async () => {
      const [running, launched] = await Promise.allSettled([
        ensureWebBuilt().then(startApp),
        launchChromium(executablePath),
      ]);
      if (running.status === 'fulfilled') app = running.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      if (running.status === 'rejected') throw running.reason;
      if (launched.status === 'rejected') throw launched.reason;
      mkdirSync(SHOTS, { recursive: true });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    for (const [role, email] of ROLES)
      for (const [language, locale] of LANGUAGES)
        it(`${role} in ${language}: no serious or critical violation on any page`, async () => {
          const context: BrowserContext = await browser.newContext({
            baseURL: app.baseURL,
            locale,
            timezoneId: 'UTC',
            viewport: { width: WIDE, height: 900 },
            serviceWorkers: 'block',
            // axe goes in as an inline script, which the app's Content-Security-Policy refuses.
            bypassCSP: true,
          });
          try {
            context.setDefaultTimeout(10_000);
            const res = await context.request.post('/api/auth/sign-in', {
              data: { email, password: FIXTURE_PASSWORD },
            });
            expect(res.status()).toBe(200);
            const page = await context.newPage();
            const pages = [...new Set(['/', ...(await navPages(page)), ...EXTRA_PAGES[role]])];
            expect(pages.length).toBeGreaterThan(5);
            expect(await page.locator('html').getAttribute('lang')).toBe(language);

            const failures: string[] = [];
            const check = async (path: string, width: number) => {
              await page.goto(path);
              await settled(page);
              if (path === '/')
                await page.screenshot({
                  path: join(SHOTS, `home-${role}-${language}-${width}.png`),
                  fullPage: true,
                });
              for (const v of await axeViolations(page))
                failures.push(
                  `${role} ${language} ${width}px ${path}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(' | ')}`,
                );
            };
            // Wide: every page, and the first detail page of each list that has rows.
            for (let i = 0; i < pages.length; i++) {
              const path = pages[i] as string;
              await check(path, WIDE);
              const detail = await firstDetail(page, path);
              if (detail && !pages.includes(detail)) pages.push(detail);
            }
            // Narrow: every page in English; in French, a sample (the home and every fourth page), as the
            // layout at 390 px does not depend on the language but the time of the suite does.
            await page.setViewportSize({ width: NARROW, height: 844 });
            for (const [i, path] of pages.entries())
              if (language === 'en' || i % 4 === 0) await check(path, NARROW);

            expect(failures, 'serious or critical axe violations').toEqual([]);
          } finally {
            await context.close();
          }
        }, 300_000);
  },
);
