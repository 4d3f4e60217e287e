import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { createContext } from '../src/app/context.js';
import { DEMO_PASSWORD } from '../src/app/demo/load-demo.js';
import { DEMO_SCALES, type DemoScale } from '../src/core/demo/index.js';
import { buildServer } from '../src/server/app.js';
import { cachedDemoStore, freshStore } from './close-real.js';

/**
 * The partner's home as a partner opens it (issue 15: "a partner home on the medium demo shows its first
 * content within 1 s"): the built web app served by the real server over a demo store, opened in Chromium.
 *
 *   npm run bench -- partner-home [--scale small|medium|large] [--seed N] [--loads N] [--json]
 *
 * - The demo store is the one close-real and simulate cache (TRELLIS_BENCH_DIR, built once per scale,
 *   seed and migration), copied for the run; the web app is built with Vite when dist/web is missing.
 * - first_content_ms: from the start of the navigation to `/` (signed in as the demo's partner admin,
 *   admin@northwind.demo) until its first tier enters the page (noted by the page itself, on the
 *   navigation's clock); complete_ms: until every card shows its earnings table (noted once seen, so it
 *   includes the polling delay). Each of --loads runs (default 10) opens a new browser context (no cache).
 * - api_ms: `GET /api/partners/{id}/home` as the vendor admin for the five partners with the most order
 *   lines in the demo's current quarter and the two largest distributors (their projection runs a dry-run
 *   close of that quarter for them alone), one call each after a warm-up call.
 *
 * Last line (--json): {"bench":"partner-home","scale":..,"loads":N,"first_content_ms":{"p50":..,"max":..},
 * "complete_ms":{..},"api_ms":{"p50":..,"max":..},"partners":N}.
 */
export async function partnerHomeBench(args: string[]): Promise<Record<string, unknown>> {
  const scale = (value(args, '--scale') ?? 'medium') as DemoScale;
  if (!Object.hasOwn(DEMO_SCALES, scale))
    throw new Error(`--scale: one of ${Object.keys(DEMO_SCALES).join(', ')}`);
  const seed = Number(value(args, '--seed') ?? 1);
  const loads = Number(value(args, '--loads') ?? 10);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const cache = await cachedDemoStore({ scale, seed, log });
  await ensureWebBuilt(log);
  const workDir = join(cache.dir, `partner-home-${process.pid}`);
  const { store, dispose } = await freshStore({ kind: 'sqlite', file: cache.file, workDir });
  const ctx = createContext(store);
  const app = await buildServer(ctx, { webRoot: WEB_ROOT, logger: { level: 'error' } });
  let browser: Browser | undefined;
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.TRELLIS_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    const firstContent: number[] = [];
    const complete: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
      try {
        const signIn = await context.request.post('/api/auth/sign-in', {
          data: { email: 'admin@northwind.demo', password: DEMO_PASSWORD },
        });
        if (signIn.status() !== 200) throw new Error(`sign-in: ${signIn.status()}`);
        const page = await context.newPage();
        // The page notes when its first tier enters the document, on its own clock (navigation start = 0):
        // what the person sees, without the polling delay of waiting for it from outside.
        await page.addInitScript(
          `new MutationObserver((_, o) => { if (document.querySelector('[data-testid=home-tier]')) { window.__firstContentAt = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });`,
        );
        await page.goto('/');
        await page.getByTestId('home-tier').first().waitFor({ timeout: 30_000 });
        firstContent.push(await page.evaluate<number>('window.__firstContentAt'));
        const cards = await page.locator('.home-card').count();
        await page.waitForFunction(
          `document.querySelectorAll('.home-card tr[data-span="year"]').length >= ${cards}`,
          undefined,
          { timeout: 30_000 },
        );
        complete.push(await page.evaluate<number>('performance.now()'));
      } finally {
        await context.close();
      }
      log(`load ${i + 1}/${loads}: first content ${Math.round(firstContent[i] ?? 0)} ms`);
    }
    const api = await apiTimes(base, store);
    return {
      scale,
      seed,
      loads,
      first_content_ms: summary(firstContent),
      complete_ms: summary(complete),
      api_ms: summary(api),
      partners: api.length,
    };
  } finally {
    await browser?.close();
    await app.close();
    await dispose();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const WEB_ROOT = join(import.meta.dirname, '..', 'dist', 'web');

async function ensureWebBuilt(log: (m: string) => void): Promise<void> {
  if (existsSync(join(WEB_ROOT, 'index.html'))) return;
  log('building the web app (dist/web)');
  mkdirSync(WEB_ROOT, { recursive: true });
  await promisify(execFile)(
    'npx',
    ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 180_000,
    },
  );
}

/** The home call for the busiest partners and distributors of the current quarter, as the vendor admin. */
async function apiTimes(
  base: string,
  store: Awaited<ReturnType<typeof freshStore>>['store'],
): Promise<number[]> {
  const db = store.db;
  const last = await db
    .selectFrom('orderLines')
    .select((eb) => eb.fn.max('orderDate').as('day'))
    .executeTakeFirst();
  const day = String(last?.day ?? '2026-01-01');
  const from = `${day.slice(0, 4)}-${String(Math.max(1, Number(day.slice(5, 7)) - 2)).padStart(2, '0')}-01`;
  const top = async (column: 'resellerId' | 'distributorId', n: number) =>
    (
      await db
        .selectFrom('orderLines')
        .select([column, (eb) => eb.fn.countAll().as('n')])
        .where(column, 'is not', null)
        .where('orderDate', '>=', from)
        .groupBy(column)
        .orderBy('n', 'desc')
        .limit(n)
        .execute()
    ).map((r) => String((r as Record<string, unknown>)[column]));
  const ids = [...new Set([...(await top('resellerId', 5)), ...(await top('distributorId', 2))])];
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@dell.demo', password: DEMO_PASSWORD }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const get = async (id: string) => {
    const started = performance.now();
    const r = await fetch(`${base}/api/partners/${encodeURIComponent(id)}/home`, { headers: { cookie } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`home of ${id}: ${r.status}`);
    return performance.now() - started;
  };
  if (ids[0]) await get(ids[0]);
  const out: number[] = [];
  for (const id of ids) out.push(await get(id));
  return out;
}

function summary(values: readonly number[]): { p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), max: Math.round(sorted[sorted.length - 1] ?? 0) };
}

function value(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
