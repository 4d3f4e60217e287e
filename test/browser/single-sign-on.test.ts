import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sealSecret } from '../../src/app/access/secret-box.js';
import { startOidcProvider } from '../support/oidc.js';
import { describeWithBrowser, startFixtureApp, type RunningApp } from './browser.js';
import { squash, useBrowserSuite } from './harness.js';

const CLIENT_ID = 'trellis-browser';
const CLIENT_SECRET = 'the browser suite client secret';

/**
 * Single sign-on in a real Chromium against a real OIDC provider (oidc-provider on a random port): the
 * sign-in page's "company identity provider" form sends a person to the provider and back, signed in with
 * the mapped role; a person whose groups map to nothing lands on the sign-in page with the reason; Dell's
 * admin reads the configuration (never the secret) on the settings page, in English and French.
 */
describeWithBrowser('single sign-on in Chromium', (executablePath) => {
  const key = randomBytes(32);
  let op: Awaited<ReturnType<typeof startOidcProvider>>;
  let running: RunningApp | undefined;

  beforeAll(async () => {
    op = await startOidcProvider({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: () => [`${running?.baseURL ?? ''}/api/auth/sso/callback`],
    });
  });
  afterAll(async () => {
    await op.close();
  });

  const suite = useBrowserSuite(executablePath, async () => {
    running = await startFixtureApp({
      secretsKey: key,
      store: async (ctx, fixture) => {
        const now = new Date().toISOString();
        await ctx.store.db
          .insertInto('ssoConfigs')
          .values({
            id: 'sso_browser',
            vendorId: fixture.dell.vendorId,
            partnerId: null,
            issuer: op.issuer,
            clientId: CLIENT_ID,
            clientSecret: sealSecret(key, CLIENT_SECRET),
            scopes: JSON.stringify(['openid', 'email', 'profile', 'groups']),
            groupsClaim: 'groups',
            roleMapping: JSON.stringify([{ group: 'channel', role: 'channel-manager' }]),
            emailDomains: JSON.stringify(['dell.test']),
            jit: 1,
            requireSso: 0,
            updatedBy: 'test',
            createdAt: now,
            updatedAt: now,
          })
          .execute();
      },
    });
    return running;
  });

  it('signs a new person in through the provider from the sign-in page', async () => {
    op.accounts.set('b-new', {
      email: 'browser.person@dell.test',
      name: 'Browser Person',
      groups: ['channel'],
    });
    op.loginAs('b-new');
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in with your company’s identity provider' }).waitFor();
    await page.getByLabel('Work e-mail or organisation').fill('browser.person@dell.test');
    await page.getByRole('button', { name: 'Continue to your identity provider' }).click();
    await page.waitForURL((url) => url.origin === suite.app.baseURL && url.pathname === '/', {
      timeout: 15_000,
    });
    const me = (await page.evaluate(`fetch('/api/me').then((r) => r.json())`)) as {
      email: string;
      roles: string[];
    };
    expect(me).toMatchObject({ email: 'browser.person@dell.test', roles: ['channel-manager'] });
  });

  it('brings a refused person back to the sign-in page with the reason', async () => {
    op.accounts.set('b-mkt', { email: 'browser.mkt@dell.test', name: 'Marketing', groups: ['marketing'] });
    op.loginAs('b-mkt');
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Work e-mail or organisation').fill('dell');
    await page.getByRole('button', { name: 'Continue to your identity provider' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.has('ssoError'));
    const banner = page.getByRole('alert').first();
    await banner.waitFor();
    expect(squash(await banner.innerText())).toMatch(
      /None of your groups at your identity provider gives a Trellis role/,
    );
    expect(new URL(page.url()).searchParams.get('ssoError')).toBe('ssoNoRole');
  });

  it('shows no words from a crafted link: an unknown refusal code reads as the generic refusal', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto('/sign-in?ssoError=' + encodeURIComponent('Your account is locked, call +1 555 0100'));
    const banner = page.getByRole('alert').first();
    await banner.waitFor();
    const text = squash(await banner.innerText());
    expect(text).toContain('Start the sign-in again, or ask your administrator.');
    expect(text).not.toContain('555');
  });

  it('shows an organisation without single sign-on why it cannot continue', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Work e-mail or organisation').fill('ptn_alpha');
    await page.getByRole('button', { name: 'Continue to your identity provider' }).click();
    const banner = page.getByRole('alert').first();
    await banner.waitFor();
    expect(squash(await banner.innerText())).toContain('does not sign in through an identity provider');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it("shows Dell's admin the configuration, never the secret, in English and French", async () => {
    for (const [locale, title] of [
      ['en-US', 'Single sign-on'],
      ['fr-FR', 'Authentification unique'],
    ] as const) {
      const { page } = await suite.open('admin@dell.test', { locale, path: '/single-sign-on' });
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await expect.poll(() => page.locator('#sso-issuer').inputValue()).toBe(op.issuer);
      expect(await page.locator('#sso-mapping').inputValue()).toBe('channel = channel-manager');
      expect(await page.content()).not.toContain(CLIENT_SECRET);
    }
  });
});
