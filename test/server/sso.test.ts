import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSsoConfig, saveSsoConfig, ssoConfigOf, ssoOwnerNamed } from '../../src/app/access/sso.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import {
  authorizeAtProvider,
  startOidcProvider,
  startRogueProvider,
  type RogueMode,
} from '../support/oidc.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const CLIENT_ID = 'trellis-test';
const CLIENT_SECRET = 'a client secret the provider knows';

for (const kind of STORE_KINDS) {
  describe(`single sign-on with OpenID Connect on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let op: Awaited<ReturnType<typeof startOidcProvider>>;
    let rogue: Awaited<ReturnType<typeof startRogueProvider>>;
    let dell: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;
    let vmware: ReturnType<typeof client>;
    const anonymous = () => client(app, null);

    const dellConfig = (over: Record<string, unknown> = {}) => ({
      issuer: op.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: ['email', 'profile', 'groups'],
      roleMapping: [
        { group: 'trellis-admins', role: 'vendor-admin' },
        { group: 'channel', role: 'channel-manager' },
      ],
      emailDomains: ['dell.test'],
      jitProvisioning: true,
      requireSso: false,
      ...over,
    });

    /** start -> the provider (signed in as `account`) -> the callback; the callback's answer. */
    async function signInThroughProvider(account: string, start = '/api/auth/sso/start?org=dell') {
      op.loginAs(account);
      const started = await app.inject({ method: 'GET', url: start });
      expect(started.statusCode, started.body).toBe(302);
      const location = String(started.headers.location);
      const query = await authorizeAtProvider(location);
      const callback = await app.inject({ method: 'GET', url: `/api/auth/sso/callback${query}` });
      return { callback, query, location };
    }

    async function audits(action: string) {
      return t.store.db.selectFrom('auditEvents').selectAll().where('action', '=', action).execute();
    }

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { secretsKey: randomBytes(32) });
      await loadFixture(ctx);
      app = await buildServer(ctx);
      op = await startOidcProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      rogue = await startRogueProvider({
        clientId: 'rogue-client',
        claims: { sub: 'rogue-1', email: 'someone@bravo.test', name: 'Someone', groups: ['partners'] },
      });
      dell = client(app, await signIn(app, 'admin@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      vmware = client(app, await signIn(app, 'admin@vmware.test'));
    });
    afterAll(async () => {
      await app.close();
      await op.close();
      await rogue.close();
      await t.cleanup();
    });

    it('refuses a configuration whose discovery fails, or with an invalid issuer, saving nothing', async () => {
      const unreachable = await dell('PUT', '/api/sso', dellConfig({ issuer: 'http://127.0.0.1:9' }));
      expect(unreachable.status).toBe(400);
      expect(String(unreachable.body.detail)).toMatch(/discovery of http:\/\/127\.0\.0\.1:9\/\.well-known/);
      const wrongIssuer = await dell('PUT', '/api/sso', dellConfig({ issuer: `${op.issuer}/elsewhere` }));
      expect(wrongIssuer.status).toBe(400);
      expect(String(wrongIssuer.body.detail)).toMatch(/discovery/);
      for (const issuer of ['not a url', 'ftp://idp.example.com', 'http://idp.example.com']) {
        const bad = await dell('PUT', '/api/sso', dellConfig({ issuer }));
        expect(bad.status, issuer).toBe(400);
        expect(bad.body.errors ?? bad.body.detail).toBeTruthy();
      }
      const partnerRole = await dell(
        'PUT',
        '/api/sso',
        dellConfig({ roleMapping: [{ group: 'x', role: 'partner-admin' }] }),
      );
      expect(partnerRole.status).toBe(400);
      expect(String(partnerRole.body.detail)).toMatch(/roleMapping\[0\]\.role/);
      expect((await dell('GET', '/api/sso')).body.config).toBeNull();
      expect(await t.store.db.selectFrom('ssoConfigs').selectAll().execute()).toHaveLength(0);
      expect(await audits('sso.create')).toHaveLength(0);
    });

    it('lets only an admin configure, for its own organisation, and never shows the secret', async () => {
      const rep = client(app, await signIn(app, 'rep@alpha.test'));
      expect((await rep('PUT', '/api/sso', dellConfig())).status).toBe(403);
      expect((await rep('GET', '/api/sso')).status).toBe(403);
      const saved = await dell('PUT', '/api/sso', dellConfig());
      expect(saved.status, saved.text).toBe(201);
      expect(saved.text).not.toContain(CLIENT_SECRET);
      expect(saved.body).toMatchObject({ issuer: op.issuer, clientSecretSet: true, jitProvisioning: true });
      const read = await dell('GET', '/api/sso');
      expect(read.text).not.toContain(CLIENT_SECRET);
      const row = await t.store.db.selectFrom('ssoConfigs').selectAll().executeTakeFirstOrThrow();
      expect(row.clientSecret).not.toContain(CLIENT_SECRET);
      // Another organisation's admin sees its own (none), not Dell's.
      expect((await vmware('GET', '/api/sso')).body.config).toBeNull();
      const audit = await audits('sso.create');
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(CLIENT_SECRET);
    });

    it('signs a new person in through the provider: just-in-time account, mapped role, usual session', async () => {
      op.accounts.set('u-new', {
        email: 'new.person@dell.test',
        name: 'New Person',
        groups: ['channel', 'other'],
      });
      const { callback, location } = await signInThroughProvider('u-new');
      const sent = new URL(location);
      expect(sent.origin).toBe(op.issuer);
      expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
      expect(sent.searchParams.get('nonce')).toBeTruthy();
      expect(callback.statusCode, callback.body).toBe(302);
      expect(callback.headers.location).toBe('/');
      const cookies = callback.cookies;
      const session = cookies.find((c) => c.name === 'trellis_session');
      const csrf = cookies.find((c) => c.name === 'trellis_csrf');
      expect(session?.httpOnly).toBe(true);
      const me = client(app, { cookie: `trellis_session=${session!.value}`, csrf: csrf!.value });
      const who = await me('GET', '/api/me');
      expect(who.body).toMatchObject({
        email: 'new.person@dell.test',
        name: 'New Person',
        roles: ['channel-manager'],
        vendorId: (await dell('GET', '/api/me')).body.vendorId,
      });
      // The same CSRF rule as a password session: a write without the header is refused, with it allowed.
      expect(
        (
          await client(app, { cookie: `trellis_session=${session!.value}`, csrf: 'wrong' })(
            'POST',
            '/api/auth/sign-out',
          )
        ).status,
      ).toBe(403);
      const created = await audits('person.create');
      expect(created.some((a) => a.detail?.includes('"via":"sso"'))).toBe(true);
      const signIns = await audits('auth.sign-in');
      expect(signIns.some((a) => a.detail?.includes('"via":"sso"'))).toBe(true);

      // A second sign-in finds the same person by the provider's subject; roles follow the groups.
      op.accounts.set('u-new', {
        email: 'new.person@dell.test',
        name: 'New Person',
        groups: ['trellis-admins'],
      });
      const again = await signInThroughProvider('u-new', '/api/auth/sso/start?email=new.person@dell.test');
      expect(again.callback.statusCode, again.callback.body).toBe(302);
      const people = await t.store.db
        .selectFrom('people')
        .select('id')
        .where('email', '=', 'new.person@dell.test')
        .execute();
      expect(people).toHaveLength(1);
      const roles = await t.store.db
        .selectFrom('roleGrants')
        .select('role')
        .where('personId', '=', people[0]!.id)
        .execute();
      expect(roles.map((r) => r.role)).toEqual(['vendor-admin']);
    });

    it('refuses a replayed callback (state and nonce are used once)', async () => {
      op.accounts.set('u-replay', { email: 'replay@dell.test', name: 'Replay', groups: ['channel'] });
      const first = await signInThroughProvider('u-replay');
      expect(first.callback.statusCode).toBe(302);
      const replay = await app.inject({ method: 'GET', url: `/api/auth/sso/callback${first.query}` });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().detail).toMatch(/already used/);
      expect(replay.cookies.find((c) => c.name === 'trellis_session')).toBeUndefined();
      const browser = await app.inject({
        method: 'GET',
        url: `/api/auth/sso/callback${first.query}`,
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(browser.statusCode).toBe(302);
      // The browser gets the refusal's code only, never a sentence a crafted link could imitate.
      expect(browser.headers.location).toBe('/sign-in?ssoError=ssoStartAgain');
      const unknown = await app.inject({
        method: 'GET',
        url: '/api/auth/sso/callback?code=x&state=never-started',
      });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().detail).toMatch(/unknown or expired/);
    });

    it('refuses a person none of whose groups is mapped, creating nobody', async () => {
      op.accounts.set('u-mkt', { email: 'marketing@dell.test', name: 'Marketing', groups: ['marketing'] });
      const { callback } = await signInThroughProvider('u-mkt');
      expect(callback.statusCode).toBe(401);
      expect(callback.json().detail).toMatch(/none of your groups \(marketing\) is mapped to a Trellis role/);
      expect(
        await t.store.db
          .selectFrom('people')
          .select('id')
          .where('email', '=', 'marketing@dell.test')
          .execute(),
      ).toHaveLength(0);
      const refusals = await audits('auth.sso-refused');
      expect(refusals.some((a) => a.detail?.includes('marketing'))).toBe(true);
    });

    it('with just-in-time provisioning off, refuses unknown people and admits known ones', async () => {
      const off = await dell('PUT', '/api/sso', {
        ...dellConfig({ jitProvisioning: false }),
        clientSecret: undefined,
      });
      expect(off.status, off.text).toBe(200);
      expect(off.body.jitProvisioning).toBe(false);
      op.accounts.set('u-stranger', { email: 'stranger@dell.test', name: 'Stranger', groups: ['channel'] });
      const stranger = await signInThroughProvider('u-stranger');
      expect(stranger.callback.statusCode).toBe(401);
      expect(stranger.callback.json().detail).toMatch(/stranger@dell\.test has no Trellis account/);
      expect(
        await t.store.db
          .selectFrom('people')
          .select('id')
          .where('email', '=', 'stranger@dell.test')
          .execute(),
      ).toHaveLength(0);
      op.accounts.set('u-auditor', {
        email: 'auditor@dell.test',
        name: 'Auditor',
        groups: ['trellis-admins'],
      });
      const known = await signInThroughProvider('u-auditor');
      expect(known.callback.statusCode, known.callback.body).toBe(302);
    });

    it('never finds a person by an e-mail the provider has not verified', async () => {
      op.accounts.set('u-unverified', {
        email: 'admin@dell.test',
        name: 'Impostor',
        groups: ['trellis-admins'],
        email_verified: false,
      });
      const { callback } = await signInThroughProvider('u-unverified');
      expect(callback.statusCode).toBe(401);
      expect(callback.json().detail).toMatch(/u-unverified has no Trellis account/);
    });

    it('refuses a person of another organisation who signs in through this provider', async () => {
      op.accounts.set('u-alpha', { email: 'rep@alpha.test', name: 'Rep', groups: ['channel'] });
      const { callback } = await signInThroughProvider('u-alpha');
      expect(callback.statusCode).toBe(401);
      expect(callback.json().detail).toMatch(/belongs to another organisation/);
    });

    it('checks the ID token: a forged signature, an expired token, a wrong audience, a replayed nonce', async () => {
      const saved = await bravo('PUT', '/api/sso', {
        issuer: rogue.issuer,
        clientId: 'rogue-client',
        clientSecret: 'rogue secret',
        roleMapping: [{ group: 'partners', role: 'partner-admin' }],
        jitProvisioning: true,
        requireSso: false,
      });
      expect(saved.status, saved.text).toBe(201);
      const attempt = async (mode: RogueMode) => {
        rogue.setMode(mode);
        const started = await app.inject({ method: 'GET', url: '/api/auth/sso/start?org=ptn_bravo' });
        expect(started.statusCode).toBe(302);
        const back = await fetch(String(started.headers.location), { redirect: 'manual' });
        const query = new URL(String(back.headers.get('location'))).search;
        return app.inject({ method: 'GET', url: `/api/auth/sso/callback${query}` });
      };
      // The harness itself: a well-made token from this provider is accepted.
      const good = await attempt('good');
      expect(good.statusCode, good.body).toBe(302);
      const cases: [RogueMode, RegExp][] = [
        ['forged', /signature/i],
        ['expired', /exp/i],
        ['wrong-audience', /aud/i],
        ['replayed-nonce', /nonce/i],
      ];
      for (const [mode, reason] of cases) {
        const res = await attempt(mode);
        expect(res.statusCode, mode).toBe(401);
        expect(res.json().detail, mode).toMatch(reason);
        expect(
          res.cookies.find((c) => c.name === 'trellis_session'),
          mode,
        ).toBeUndefined();
      }
    });

    it('refuses a password sign-in for an organisation that requires single sign-on', async () => {
      const saved = await alpha('PUT', '/api/sso', {
        issuer: op.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        roleMapping: [{ group: 'sales', role: 'partner-sales-rep' }],
        jitProvisioning: false,
        requireSso: true,
      });
      expect(saved.status, saved.text).toBe(201);
      const refused = await anonymous()('POST', '/api/auth/sign-in', {
        email: 'rep@alpha.test',
        password: FIXTURE_PASSWORD,
      });
      expect(refused.status).toBe(403);
      expect(String(refused.body.detail)).toMatch(/requires single sign-on/);
      // A wrong password still gets the usual answer (nothing told about the organisation).
      const wrong = await anonymous()('POST', '/api/auth/sign-in', {
        email: 'rep@alpha.test',
        password: 'wrong password!!',
      });
      expect(wrong.status).toBe(401);
      // Other organisations keep passwords.
      expect(
        (
          await anonymous()('POST', '/api/auth/sign-in', {
            email: 'admin@bravo.test',
            password: FIXTURE_PASSWORD,
          })
        ).status,
      ).toBe(200);
      expect((await alpha('DELETE', '/api/sso')).status).toBe(204);
      expect((await alpha('DELETE', '/api/sso')).status).toBe(404);
      expect(
        (
          await anonymous()('POST', '/api/auth/sign-in', {
            email: 'rep@alpha.test',
            password: FIXTURE_PASSWORD,
          })
        ).status,
      ).toBe(200);
      expect(await audits('sso.delete')).toHaveLength(1);
    });

    it('saves one configuration when an admin saves it many times at once', async () => {
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          vmware('PUT', '/api/sso', {
            issuer: op.issuer,
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            roleMapping: [{ group: 'admins', role: 'vendor-admin' }],
            jitProvisioning: true,
            requireSso: false,
          }),
        ),
      );
      for (const r of replies) expect([200, 201, 409], r.text).toContain(r.status);
      expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
      const vendorId = (await vmware('GET', '/api/me')).body.vendorId as string;
      expect(
        await t.store.db.selectFrom('ssoConfigs').select('id').where('vendorId', '=', vendorId).execute(),
      ).toHaveLength(1);
      const audited = (await audits('sso.create')).filter((a) => a.vendorId === vendorId);
      expect(audited).toHaveLength(1);
    });

    it('removes a configuration once when an admin removes it many times at once', async () => {
      const vendorId = (await vmware('GET', '/api/me')).body.vendorId as string;
      const replies = await Promise.all(Array.from({ length: 10 }, () => vmware('DELETE', '/api/sso')));
      for (const r of replies) expect([204, 404], r.text).toContain(r.status);
      expect(replies.filter((r) => r.status === 204).length).toBeGreaterThanOrEqual(1);
      expect(
        await t.store.db.selectFrom('ssoConfigs').select('id').where('vendorId', '=', vendorId).execute(),
      ).toHaveLength(0);
      expect((await audits('sso.delete')).filter((a) => a.vendorId === vendorId)).toHaveLength(1);
    });

    it("lets the operator configure, show and remove an organisation's provider (trellis sso)", async () => {
      const owner = await ssoOwnerNamed(ctx, { partner: 'ptn_dist' });
      await expect(ssoOwnerNamed(ctx, {})).rejects.toThrow(/name one organisation/);
      await expect(ssoOwnerNamed(ctx, { vendor: 'nope' })).rejects.toThrow(/no vendor/);
      const { config, created } = await saveSsoConfig(
        ctx,
        owner,
        { kind: 'system', id: 'cli' },
        {
          issuer: op.issuer,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          roleMapping: [{ group: 'ops', role: 'distributor' }],
          emailDomains: ['Delta.test'],
          jitProvisioning: false,
          requireSso: false,
        },
      );
      expect(created).toBe(true);
      expect(config).toMatchObject({ partnerId: 'ptn_dist', updatedBy: 'cli', emailDomains: ['delta.test'] });
      expect(await ssoConfigOf(ctx, owner)).toMatchObject({ id: config.id });
      const byDomain = await app.inject({ method: 'GET', url: '/api/auth/sso/start?email=ops@delta.test' });
      expect(byDomain.statusCode).toBe(302);
      expect(String(byDomain.headers.location)).toContain(op.issuer);
      await removeSsoConfig(ctx, owner, { kind: 'system', id: 'cli' });
      expect(await ssoConfigOf(ctx, owner)).toBeNull();
    });

    it('says which organisation does not use single sign-on', async () => {
      const none = await app.inject({ method: 'GET', url: '/api/auth/sso/start?org=ptn_dist' });
      expect(none.statusCode).toBe(404);
      const byDomain = await app.inject({ method: 'GET', url: '/api/auth/sso/start?email=x@nowhere.test' });
      expect(byDomain.statusCode).toBe(404);
      const neither = await app.inject({ method: 'GET', url: '/api/auth/sso/start' });
      expect(neither.statusCode).toBe(400);
    });
  });
}
