import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { FIXTURE_PASSWORD, loadFixture } from '../support/fixtures.js';
import { client, signIn, type Session } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

for (const kind of STORE_KINDS) {
  describe(`security of the HTTP edge on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    const clock = movableClock('2026-11-22T09:00:00.000Z');
    const sessions = new Map<string, Session>();
    const as = (email: string) => client(app, sessions.get(email)!);

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock });
      const { dell } = await loadFixture(ctx);
      await withBulkLoader(t.store, async (loader) => {
        await loader.certifications(
          [
            ['crt_rep', 'per_alpha_rep', 'DCS-SA'],
            ['crt_admin', 'per_alpha_admin', 'DCS-TE'],
          ].map(([id, personId, code]) => ({
            id: id!,
            vendorId: dell.vendorId,
            partnerId: 'ptn_alpha',
            personId: personId!,
            code: code!,
            kind: 'sales',
            family: 'storage',
            earnedOn: '2017-01-05',
            expiresOn: '2019-01-05',
          })),
        );
      });
      app = await buildServer(ctx);
      for (const email of [
        'admin@dell.test',
        'admin@alpha.test',
        'rep@alpha.test',
        'admin@bravo.test',
        'ops@delta.test',
      ])
        sessions.set(email, await signIn(app, email));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    describe('standing summaries of another partner (item 4)', () => {
      const program = 'dell-emc-partner-program';
      it('answers 404 to a distributor asking for a reseller it supplies, like memberships', async () => {
        const dist = as('ops@delta.test');
        // The distributor does see the reseller it supplies as a record...
        expect((await dist('GET', '/api/partners/ptn_bravo')).status).toBe(200);
        // ...but not its whole standing.
        for (const url of [
          `/api/partners/ptn_bravo/progress?program=${program}`,
          `/api/partners/ptn_bravo/earnings`,
        ]) {
          const res = await dist('GET', url);
          expect(res.status, url).toBe(404);
          expect(res.text).not.toMatch(/revenue/i);
        }
        expect((await dist('GET', `/api/partners/ptn_dist/progress?program=${program}`)).status).toBe(200);
        expect(
          (await as('admin@bravo.test')('GET', `/api/partners/ptn_bravo/progress?program=${program}`)).status,
        ).toBe(200);
        expect(
          (await as('admin@dell.test')('GET', `/api/partners/ptn_bravo/progress?program=${program}`)).status,
        ).toBe(200);
      });
    });

    describe('certifications of a sales rep (item 14)', () => {
      it("lists a rep's own certifications only; its admin sees every colleague's", async () => {
        const rep = await as('rep@alpha.test')('GET', '/api/certifications');
        expect((rep.body.items as { id: string }[]).map((c) => c.id)).toEqual(['crt_rep']);
        expect(rep.text).not.toContain('admin@alpha.test');
        const expiring = await as('rep@alpha.test')('GET', '/api/certifications/expiring?asOf=2018-12-01');
        expect(expiring.text).not.toContain('crt_admin');
        const admin = await as('admin@alpha.test')('GET', '/api/certifications');
        expect((admin.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual([
          'crt_admin',
          'crt_rep',
        ]);
      });
    });

    describe('control characters and cursors (item 7)', () => {
      it('refuses a NUL or another control character in a body, path or query with a 400 problem', async () => {
        const admin = as('admin@dell.test');
        const cases: [string, string, unknown, string][] = [
          ['POST', '/api/tokens', { name: '\u0000', scopes: ['read'] }, 'body.name'],
          ['POST', '/api/tokens', { name: 'ok\u0007', scopes: ['read'] }, 'body.name'],
          ['GET', '/api/vendors/%00', undefined, 'params.vendorId'],
          ['GET', '/api/orders?q=a%00b', undefined, 'querystring.q'],
          ['GET', '/api/partners?q=%1F', undefined, 'querystring.q'],
        ];
        for (const [method, url, payload, location] of cases) {
          const res = await admin(method as 'GET' | 'POST', url, payload);
          expect(res.status, `${method} ${url}`).toBe(400);
          expect(res.type).toContain('application/problem+json');
          expect(res.body.errors, url).toEqual(
            expect.arrayContaining([expect.objectContaining({ location })]),
          );
        }
        // Tabs and line breaks are text in a body.
        const ok = await admin('POST', '/api/tokens', { name: 'line one\nline\ttwo', scopes: ['read'] });
        expect(ok.status).toBe(201);
      });

      it('refuses a cursor whose value has the wrong type for the sort column', async () => {
        const admin = as('admin@dell.test');
        // The close runs as a job: wait for it, so that statements exist to sort.
        const closed = await viaJob(admin, 'POST', '/api/closes', {
          program: 'dell-emc-partner-program',
          period: 'FY18-Q1',
        });
        expect(closed.status, closed.text).toBe(200);
        const cases: [string, unknown[]][] = [
          ['/api/orders?sort=total', ['total', 'asc', 'not-a-number', 'ord_x']],
          ['/api/orders?sort=total', ['total', 'asc', 1e300, 'ord_x']],
          ['/api/orders?sort=orderDate', ['orderDate', 'asc', 12, 'ord_x']],
          ['/api/orders?sort=orderDate', ['orderDate', 'asc', '2017-01-01\u0000', 'ord_x']],
          ['/api/orders?sort=orderDate', ['orderDate', 'asc', '2017-01-01', { id: 1 }]],
          ['/api/statements?sort=totalMinor', ['totalMinor', 'asc', 'x', 'stm_x']],
          ['/api/products?sort=listPrice', ['listPrice', 'asc', 'x', 'prd_x']],
        ];
        for (const [url, parts] of cases) {
          const res = await admin('GET', `${url}&cursor=${cursor(parts)}`);
          expect(res.status, `${url} ${JSON.stringify(parts)}`).toBe(400);
          expect(res.body.code).toBe('invalid_input');
        }
        // The right types page on.
        for (const [url, parts] of [
          ['/api/orders?sort=total', ['total', 'asc', 100, 'ord_x']],
          ['/api/statements?sort=totalMinor', ['totalMinor', 'asc', 0, 'stm_x']],
          ['/api/products?sort=listPrice', ['listPrice', 'asc', 5, 'prd_x']],
        ] as const) {
          expect((await admin('GET', `${url}&cursor=${cursor([...parts])}`)).status, url).toBe(200);
        }
      });
    });

    describe('headers, cookies and health (item 8)', () => {
      it('sends the security headers on every response: API, errors, unknown routes', async () => {
        for (const url of [
          '/api/health',
          '/api/orders',
          '/api/nothing-here',
          '/api/vendors/%00',
          '/api/vendors/%ZZ',
          `/api/vendors/${'x'.repeat(300)}`,
        ]) {
          const res = await app.inject({ method: 'GET', url });
          expect(res.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
          expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
          expect(res.headers['x-frame-options'], url).toBe('DENY');
          expect(res.headers['x-content-type-options'], url).toBe('nosniff');
          expect(res.headers['referrer-policy'], url).toBe('no-referrer');
          expect(res.headers['strict-transport-security'], url).toBeUndefined();
        }
      });

      it('sends them with the web app too (index.html for every page path)', async () => {
        const webRoot = mkdtempSync(join(tmpdir(), 'trellis-web-'));
        writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
        const web = await buildServer(ctx, { webRoot });
        try {
          for (const url of ['/', '/partners/ptn_alpha']) {
            const res = await web.inject({ method: 'GET', url });
            expect(res.statusCode, url).toBe(200);
            expect(res.headers['content-security-policy'], url).toMatch(/script-src 'self'/);
            expect(res.headers['x-frame-options'], url).toBe('DENY');
          }
        } finally {
          await web.close();
        }
      });

      it('says only status and schema version in the public health check', async () => {
        const res = await app.inject({ method: 'GET', url: '/api/health' });
        expect(res.statusCode).toBe(200);
        const body = res.json() as Record<string, unknown>;
        expect(Object.keys(body).sort()).toEqual(['schema', 'status']);
        expect(res.body).not.toMatch(/sqlite|postgres|memory|127\.0\.0\.1|5432|trellis\.db/i);
      });

      it('marks session cookies Secure behind a trusted TLS proxy, and only then', async () => {
        const signInVia = async (server: Server, headers: Record<string, string>) => {
          const res = await server.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            headers,
            remoteAddress: '10.0.0.2',
            payload: { email: 'admin@bravo.test', password: FIXTURE_PASSWORD },
          });
          expect(res.statusCode, res.body).toBe(200);
          return res;
        };
        const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
        const untrusted = await signInVia(app, proxied);
        expect(untrusted.cookies.every((c) => !c.secure)).toBe(true);
        const behind = await buildServer(ctx, { trustProxy: ['10.0.0.0/8'] });
        try {
          const trusted = await signInVia(behind, proxied);
          expect(trusted.cookies.length).toBeGreaterThan(0);
          expect(trusted.cookies.every((c) => c.secure)).toBe(true);
          expect(trusted.headers['strict-transport-security']).toMatch(/max-age=/);
          // The address a trusted proxy reports is the one recorded for the sign-in.
          const plain = await signInVia(behind, {});
          expect(plain.cookies.every((c) => !c.secure)).toBe(true);
        } finally {
          await behind.close();
        }
      });

      it('validates TRELLIS_TRUST_PROXY', () => {
        expect(loadConfig({}).trustProxy).toBe(false);
        expect(loadConfig({ TRELLIS_TRUST_PROXY: 'on' }).trustProxy).toBe(true);
        expect(loadConfig({ TRELLIS_TRUST_PROXY: '2' }).trustProxy).toBe(2);
        expect(loadConfig({ TRELLIS_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy).toEqual([
          '10.0.0.1',
          '192.168.0.0/16',
          '::1',
        ]);
        for (const bad of ['yes', '11', '10.0.0.1/33', 'proxy.local', '10.0.0.1,'])
          expect(() => loadConfig({ TRELLIS_TRUST_PROXY: bad }), bad).toThrow(/TRELLIS_TRUST_PROXY/);
      });
    });

    describe('tokens within their creator (item 9)', () => {
      it('refuses roles the creator does not hold and scopes its role cannot use, naming them', async () => {
        const bravo = as('admin@bravo.test');
        const dist = await bravo('POST', '/api/tokens', { name: 'x', scopes: ['read'], role: 'distributor' });
        expect(dist.status).toBe(400);
        expect(dist.body.errors).toEqual([expect.objectContaining({ location: 'body.role' })]);
        const write = await bravo('POST', '/api/tokens', { name: 'x', scopes: ['read', 'orders:write'] });
        expect(write.status).toBe(400);
        expect(write.body.detail).toMatch(/"orders:write"/);
        expect(write.body.errors).toEqual([expect.objectContaining({ location: 'body.scopes' })]);
        const vendorRole = await bravo('POST', '/api/tokens', {
          name: 'x',
          scopes: ['read'],
          role: 'vendor-admin',
        });
        expect(vendorRole.status).toBe(400);
        expect((await bravo('POST', '/api/tokens', { name: 'x', scopes: ['mdf:write'] })).status).toBe(400);
        // A partner admin registers deals, so its token may.
        expect((await bravo('POST', '/api/tokens', { name: 'x', scopes: ['deals:write'] })).status).toBe(201);
      });

      it("gives a distributor's admin a sell-out token with the distributor role it holds", async () => {
        await t.store.db
          .insertInto('roleGrants')
          .values({
            id: 'rgr_dist_admin',
            personId: 'per_dist',
            role: 'partner-admin',
            vendorId: null,
            partnerId: 'ptn_dist',
            regions: '[]',
          })
          .execute();
        const ops = client(app, await signIn(app, 'ops@delta.test'));
        const res = await ops('POST', '/api/tokens', { name: 'sell-out', scopes: ['orders:write'] });
        expect(res.status, res.text).toBe(201);
        expect(res.body.tokenInfo).toMatchObject({ role: 'distributor', scopes: ['orders:write'] });
        const admin = await ops('POST', '/api/tokens', { name: 'reader', scopes: ['read'] });
        expect(admin.body.tokenInfo).toMatchObject({ role: 'partner-admin' });
      });

      it('lets a token do what its scope says, and names the missing scope otherwise', async () => {
        const bravo = as('admin@bravo.test');
        const readOnly = await bravo('POST', '/api/tokens', { name: 'r', scopes: ['read'] });
        expect(readOnly.status).toBe(201);
        const token = client(app, { bearer: readOnly.body.token as string });
        const dispute = await token('POST', '/api/disputes', {
          statementId: 'stm_x',
          lineId: 'x',
          reason: 'y',
        });
        expect(dispute.status).toBe(403);
        expect(dispute.body.detail).toMatch(/"disputes:write" scope/);
        expect(dispute.body.detail).not.toMatch(/"none"/);

        const disputes = await bravo('POST', '/api/tokens', {
          name: 'd',
          scopes: ['read', 'disputes:write'],
        });
        expect(disputes.status).toBe(201);
        const writer = client(app, { bearer: disputes.body.token as string });
        // Past the gate: the body is checked (no such statement), not the scope.
        const past = await writer('POST', '/api/disputes', {
          statementId: 'stm_nope',
          lineId: 'stl_nope',
          reason: 'y',
        });
        expect(past.status).not.toBe(403);

        const dell = as('admin@dell.test');
        const orders = await dell('POST', '/api/tokens', { name: 'o', scopes: ['orders:write'] });
        expect(orders.status).toBe(201);
        const vendorToken = client(app, { bearer: orders.body.token as string });
        const posted = await vendorToken('POST', '/api/orders', {});
        expect(posted.status).toBe(400);
        const manage = await vendorToken('POST', '/api/tokens', { name: 'z', scopes: ['read'] });
        expect(manage.status).toBe(403);
        expect(manage.body.detail).toMatch(/tokens cannot manage/);
      });
    });

    describe('sign-in throttling (item 6)', () => {
      const attempt = (email: string, password: string, remoteAddress: string) =>
        app.inject({ method: 'POST', url: '/api/auth/sign-in', remoteAddress, payload: { email, password } });

      it('counts concurrent wrong passwords atomically: at most one past the free attempts is checked', async () => {
        const replies = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            attempt('admin@victor.test', `wrong-${i}-xxxxxx`, '203.0.113.50'),
          ),
        );
        const statuses = replies.map((r) => r.statusCode);
        expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(54);
        expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
        const limited = replies.find((r) => r.statusCode === 429)!;
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        // Retry-After is a header, not an error entry in the body.
        expect(limited.json()).not.toHaveProperty('errors');
        // The owner, elsewhere, is not locked out by the attacker.
        expect((await attempt('admin@victor.test', FIXTURE_PASSWORD, '198.51.100.20')).statusCode).toBe(200);
        // From the attacker's address the pair stays blocked, right password or not.
        expect((await attempt('admin@victor.test', FIXTURE_PASSWORD, '203.0.113.50')).statusCode).toBe(429);
        clock.advance(16 * 60_000);
      });

      it("does not let a success of another account reset an address's spray count", async () => {
        const from = '203.0.113.77';
        const statuses: number[] = [];
        for (let i = 0; i < 135; i++) {
          if (i > 0 && i % 45 === 0)
            statuses.push((await attempt('admin@alpha.test', FIXTURE_PASSWORD, from)).statusCode);
          statuses.push((await attempt(`nobody${i}@spray.test`, 'wrong password', from)).statusCode);
        }
        expect(statuses.slice(0, 50).every((s) => s === 401 || s === 200)).toBe(true);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(70);
        clock.advance(16 * 60_000);
      });

      it('clears the pair on success, so the owner signs in again freely', async () => {
        const from = '203.0.113.90';
        for (let i = 0; i < 4; i++)
          expect((await attempt('admin@bravo.test', `wrong-${i}-xxxxx`, from)).statusCode).toBe(401);
        expect((await attempt('admin@bravo.test', FIXTURE_PASSWORD, from)).statusCode).toBe(200);
        for (let i = 0; i < 5; i++)
          expect((await attempt('admin@bravo.test', `wrong-${i}-yyyyy`, from)).statusCode).toBe(401);
      });
    });
  });
}
