/**
 * Support for the real-browser tests: finding Chromium (and deciding whether the suite runs), launching it
 * without ever downloading anything, making sure the web app is built, and starting a real server on a
 * random port of 127.0.0.1 over the fixture world.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { describe, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture, ROOT } from '../support/fixtures.js';
import { newestMtime } from '../support/mtime.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, type TestStore } from '../support/stores.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, headless Chromium (no GPU, no QUIC, no background fetches, no updates). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserGate =
  | { readonly run: true; readonly executablePath: string }
  | { readonly run: false; readonly required: boolean; readonly reason: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether the browser suite runs: it does when Chromium is found at TRELLIS_CHROMIUM (when set) or at
 * /usr/bin/chromium. When it is not found the suite is skipped, unless TRELLIS_REQUIRE_BROWSER=1 (as CI
 * sets it), in which case it fails.
 */
export function browserGate(env: NodeJS.ProcessEnv = process.env): BrowserGate {
  const configured = env.TRELLIS_CHROMIUM?.trim();
  const executablePath = configured || DEFAULT_CHROMIUM;
  if (isExecutable(executablePath)) return { run: true, executablePath };
  const where = configured ? `TRELLIS_CHROMIUM=${configured}` : DEFAULT_CHROMIUM;
  const reason =
    `no executable Chromium at ${where}; install it (apt-get install -y chromium) ` +
    `or point TRELLIS_CHROMIUM at one`;
  return { run: false, required: env.TRELLIS_REQUIRE_BROWSER === '1', reason };
}

/**
 * `describe` for browser suites: runs `body` when Chromium is there; otherwise skips it with the reason in
 * its name, or, when TRELLIS_REQUIRE_BROWSER=1, registers one failing test that says what is missing.
 */
export function describeWithBrowser(name: string, body: (executablePath: string) => void): void {
  const gate = browserGate();
  if (gate.run) {
    describe(name, () => body(gate.executablePath));
  } else if (gate.required) {
    describe(name, () => {
      it('finds Chromium (TRELLIS_REQUIRE_BROWSER=1)', () => {
        throw new Error(`TRELLIS_REQUIRE_BROWSER=1 but ${gate.reason}`);
      });
    });
  } else {
    console.warn(`[browser tests] skipped: ${gate.reason}`);
    describe.skip(`${name} (skipped: ${gate.reason})`, () => body(DEFAULT_CHROMIUM));
  }
}

/** Launches Chromium from `executablePath` (playwright-core never downloads a browser). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    // Never inherit a proxy: everything this browser talks to is on 127.0.0.1.
    env: { ...process.env, http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' },
  });
}

/** A fresh, isolated context (own cookies and storage) with a fixed locale, time zone and viewport. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

export const WEB_ROOT = join(ROOT, 'dist', 'web');

/**
 * Builds the web app into dist/web when it is missing, or older than a file under web/ (so the tests never
 * run against a stale bundle).
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(WEB_ROOT, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'web'))) return;
  await promisify(execFile)(
    'npx',
    ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (!existsSync(index)) throw new Error(`vite build finished but ${index} is missing`);
}

export interface RunningApp {
  readonly baseURL: string;
  close(): Promise<void>;
}

/** What loadFixture returns: the fixture world's ids. */
export type Fixture = Awaited<ReturnType<typeof loadFixture>>;

export type ApiClient = ReturnType<typeof client>;

/** What a suite adds to the fixture world before its server listens. */
export interface FixtureSetup {
  /** Writes straight to the store, before the server is built. */
  readonly store?: (ctx: AppContext, fixture: Fixture) => Promise<void>;
  /** The key that encrypts OIDC client secrets (single sign-on); none by default. */
  readonly secretsKey?: Buffer;
  /** Calls the API as admin@dell.test, once the server is built and before it listens. */
  readonly api?: (admin: ApiClient, ctx: AppContext) => Promise<void>;
}

/**
 * A real server on a random free port of 127.0.0.1 over a fresh SQLite store holding the fixture world and
 * what `setup` adds to it; it logs errors only unless told otherwise.
 */
export async function startFixtureApp(
  setup: FixtureSetup = {},
  { logErrorsOnly = true }: { logErrorsOnly?: boolean } = {},
): Promise<RunningApp> {
  const t: TestStore = await openTestStore('sqlite');
  let app: Server | undefined;
  try {
    const ctx = createContext(t.store, setup.secretsKey ? { secretsKey: setup.secretsKey } : {});
    const fixture = await loadFixture(ctx);
    await setup.store?.(ctx, fixture);
    app = await buildServer(
      ctx,
      logErrorsOnly ? { webRoot: WEB_ROOT, logger: { level: 'error' } } : { webRoot: WEB_ROOT },
    );
    if (setup.api) await setup.api(client(app, await signIn(app, 'admin@dell.test')), ctx);
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

/** A real server on a random free port of 127.0.0.1 over a fresh SQLite store holding the fixture world. */
export function startApp(): Promise<RunningApp> {
  return startFixtureApp({}, { logErrorsOnly: false });
}
