import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordReset } from '../../src/app/access/sessions.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/** A clock the test moves forward, to see sessions expire and back-off end. */
function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

for (const kind of STORE_KINDS) {
  describe(`sign-in, sessions, tokens and audit on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    const clock = movableClock('2026-11-22T09:00:00.000Z');

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock });
      await loadFixture(ctx);
      app = await buildServer(ctx);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, payload: payload as object, headers });

    it('signs in with an HttpOnly SameSite session cookie and tells me who I am', async () => {
      const res = await post('/api/auth/sign-in', { email: 'Admin@Dell.test', password: FIXTURE_PASSWORD });
      expect(res.statusCode).toBe(200);
      const session = res.cookies.find((c) => c.name === 'trellis_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      const me = await client(app, await signIn(app, 'cm.na@dell.test'))('GET', '/api/me');
      expect(me.body).toMatchObject({
        kind: 'person',
        email: 'cm.na@dell.test',
        roles: ['channel-manager'],
        regions: ['na'],
      });
    });

    it('answers a wrong password and an unknown email alike, with a 401 problem and no secret in the audit', async () => {
      const wrong = await post('/api/auth/sign-in', {
        email: 'auditor@dell.test',
        password: 'nope nope nope',
      });
      const unknown = await post('/api/auth/sign-in', {
        email: 'ghost@dell.test',
        password: 'nope nope nope',
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().detail).toBe(unknown.json().detail);
      expect(wrong.headers['content-type']).toContain('application/problem+json');
      const rows = await t.store.db
        .selectFrom('auditEvents')
        .selectAll()
        .where('action', '=', 'auth.sign-in-failed')
        .execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain('nope nope nope');
    });

    it('backs off an address that fails for many emails', async () => {
      const from = (i: number) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          remoteAddress: '203.0.113.9',
          payload: { email: `nobody${i}@x.test`, password: 'wrong password' },
        });
      for (let i = 0; i < 50; i++) expect((await from(i)).statusCode).toBe(401);
      expect((await from(50)).statusCode).toBe(401);
      expect((await from(51)).statusCode).toBe(429);
      clock.advance(3_000);
    });

    it('backs off after repeated failures, with 429 and Retry-After, then lets the right password in once it passes', async () => {
      const email = 'admin@victor.test';
      for (let i = 0; i < 5; i++)
        expect((await post('/api/auth/sign-in', { email, password: `wrong-${i}-xxxx` })).statusCode).toBe(
          401,
        );
      expect((await post('/api/auth/sign-in', { email, password: 'wrong-5-xxxx' })).statusCode).toBe(401);
      const blocked = await post('/api/auth/sign-in', { email, password: FIXTURE_PASSWORD });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(3_000);
      expect((await post('/api/auth/sign-in', { email, password: FIXTURE_PASSWORD })).statusCode).toBe(200);
    });

    it('refuses forged, ended, idle and expired sessions', async () => {
      const forged = await app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { cookie: 'trellis_session=trs_forged' },
      });
      expect(forged.statusCode).toBe(401);

      const s = await signIn(app, 'admin@bravo.test');
      const as = client(app, s);
      expect((await as('GET', '/api/me')).status).toBe(200);
      expect((await as('POST', '/api/auth/sign-out')).status).toBe(204);
      const ended = await as('GET', '/api/me');
      expect(ended.status).toBe(401);
      expect(ended.body.detail).toMatch(/ended/);

      const idle = client(app, await signIn(app, 'admin@bravo.test'));
      clock.advance(31 * 60_000);
      expect((await idle('GET', '/api/me')).body.detail).toMatch(/inactivity/);

      const long = client(app, await signIn(app, 'admin@bravo.test'));
      for (let i = 0; i < 25; i++) {
        clock.advance(29 * 60_000);
        if ((await long('GET', '/api/me')).status !== 200) break;
      }
      expect((await long('GET', '/api/me')).body.detail).toMatch(/expired/);
    });

    it('requires the CSRF header on cookie-authenticated writes', async () => {
      const s = await signIn(app, 'admin@dell.test');
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { cookie: s.cookie },
        payload: { name: 'x', scopes: ['read'] },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('csrf');
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { cookie: s.cookie, 'x-csrf-token': 'csrf_wrong' },
        payload: { name: 'x', scopes: ['read'] },
      });
      expect(wrong.statusCode).toBe(403);
    });

    it('creates a token shown once, stores only its hash, records last use, and refuses it once revoked', async () => {
      const admin = client(app, await signIn(app, 'admin@dell.test'));
      const created = await admin('POST', '/api/tokens', { name: 'CRM sync', scopes: ['read'] });
      expect(created.status).toBe(201);
      const token = created.body.token as string;
      const id = (created.body.tokenInfo as { id: string }).id;
      const stored = await t.store.db
        .selectFrom('apiTokens')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(token);

      const integration = client(app, { bearer: token });
      const orders = await integration('GET', '/api/orders');
      expect(orders.status).toBe(200);
      expect((await integration('POST', '/api/tokens', { name: 'y', scopes: ['read'] })).status).toBe(403);
      const listed = await admin('GET', '/api/tokens');
      const mine = (listed.body.items as { id: string; lastUsedAt: string | null; prefix: string }[]).find(
        (x) => x.id === id,
      );
      expect(mine?.lastUsedAt).not.toBeNull();
      expect(token.startsWith(mine?.prefix ?? '?')).toBe(true);
      expect(listed.text).not.toContain(token);

      expect((await admin('DELETE', `/api/tokens/${id}`)).status).toBe(200);
      const replay = await integration('GET', '/api/orders');
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/revoked/);
      expect((await client(app, { bearer: 'trl_madeup' })('GET', '/api/orders')).status).toBe(401);
    });

    it('holds a token to its scopes: a sell-out token may not read', async () => {
      const dist = client(app, await signIn(app, 'ops@delta.test'));
      const res = await client(app, await signIn(app, 'admin@bravo.test'))('POST', '/api/tokens', {
        name: 'x',
        scopes: ['read'],
        role: 'vendor-admin',
      });
      expect(res.status).toBe(400);
      expect((await dist('POST', '/api/tokens', { name: 'x', scopes: ['orders:write'] })).status).toBe(403);
    });

    it('resets a password with a one-time token and ends the old sessions', async () => {
      const old = client(app, await signIn(app, 'admin@alpha.test'));
      const { token } = await createPasswordReset(ctx, 'admin@alpha.test');
      expect((await post('/api/auth/reset-password', { token, password: 'short' })).statusCode).toBe(400);
      expect(
        (await post('/api/auth/reset-password', { token, password: 'a much longer new password' }))
          .statusCode,
      ).toBe(204);
      expect(
        (await post('/api/auth/reset-password', { token, password: 'a much longer new password' }))
          .statusCode,
      ).toBe(400);
      expect((await old('GET', '/api/me')).status).toBe(401);
      expect(
        (await post('/api/auth/sign-in', { email: 'admin@alpha.test', password: FIXTURE_PASSWORD }))
          .statusCode,
      ).toBe(401);
      expect(
        (
          await post('/api/auth/sign-in', {
            email: 'admin@alpha.test',
            password: 'a much longer new password',
          })
        ).statusCode,
      ).toBe(200);
    });

    it('audits state changes for vendor admins and auditors only, newest first', async () => {
      const auditor = client(app, await signIn(app, 'auditor@dell.test'));
      const res = await auditor('GET', '/api/audit?limit=100');
      expect(res.status).toBe(200);
      const items = res.body.items as {
        action: string;
        vendorId: string;
        at: string;
        afterDigest: string | null;
      }[];
      const actions = new Set(items.map((e) => e.action));
      for (const a of ['auth.sign-in', 'token.create', 'token.revoke']) expect(actions.has(a), a).toBe(true);
      expect(new Set(items.map((e) => e.vendorId)).size).toBe(1);
      expect([...items].sort((a, b) => (a.at < b.at ? 1 : -1)).map((e) => e.at)).toEqual(
        items.map((e) => e.at),
      );
      expect(items.find((e) => e.action === 'token.create')?.afterDigest).toMatch(/^[0-9a-f]{64}$/);
      const partner = client(app, await signIn(app, 'admin@bravo.test'));
      expect((await partner('GET', '/api/audit')).status).toBe(403);
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      expect((await cm('GET', '/api/audit')).status).toBe(403);
    });

    it('names who acted, and reads a day in from and to as its whole span', async () => {
      const auditor = client(app, await signIn(app, 'auditor@dell.test'));
      const res = await auditor('GET', '/api/audit?action=token.create&limit=1');
      expect(res.status).toBe(200);
      const [event] = res.body.items as { at: string; actorType: string; actorName: string | null }[];
      expect(event?.actorType).toBe('person');
      expect(event?.actorName).toBe('admin');
      const day = (event?.at ?? '').slice(0, 10);
      const within = await auditor('GET', `/api/audit?action=token.create&from=${day}&to=${day}`);
      expect(within.status).toBe(200);
      expect((within.body.items as unknown[]).length).toBeGreaterThan(0);
      const before = await auditor('GET', `/api/audit?action=token.create&to=2000-01-01`);
      expect(before.body.items).toEqual([]);
      expect((await auditor('GET', '/api/audit?from=2026-13-01')).status).toBe(400);
    });

    it('answers hostile input with 4xx problems, never a 500', async () => {
      const admin = client(app, await signIn(app, 'admin@dell.test'));
      for (const [method, url, body] of [
        ['GET', "/api/partners?q=' or 1=1 --", undefined],
        ['GET', '/api/orders?sort=id;drop table orders', undefined],
        ['GET', '/api/orders/ord_%00', undefined],
        ['POST', '/api/auth/sign-in', { email: 'not-an-email', password: 'x' }],
        ['POST', '/api/tokens', { name: 'x', scopes: ['root'] }],
      ] as const) {
        const res = await admin(method, url, body);
        expect(res.status, `${method} ${url}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
      }
      const huge = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.headers['content-type']).toContain('application/problem+json');
    });
  });
}
