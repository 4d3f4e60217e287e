import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

for (const kind of STORE_KINDS) {
  describe(`HTTP API on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let ids: {
      dell: { vendorId: string; programId: string };
      vmware: { vendorId: string; programId: string };
    };

    beforeAll(async () => {
      t = await openTestStore(kind);
      const ctx = createContext(t.store);
      ids = await loadFixture(ctx);
      app = await buildServer(ctx);
      const admin = client(app, await signIn(app, 'admin@dell.test'));
      get = async (url: string) => admin('GET', url);
      asPartner = client(app, await signIn(app, 'admin@alpha.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    let get: (url: string) => ReturnType<ReturnType<typeof client>>;
    let asPartner: ReturnType<typeof client>;

    it('reports health with the status and schema version only', async () => {
      const res = await get('/api/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', schema: { upToDate: true } });
      expect(Object.keys(res.body).sort()).toEqual(['schema', 'status']);
    });

    it('lists the vendors a caller may see and fetches one by slug', async () => {
      const list = await get('/api/vendors');
      expect((list.body.items as { slug: string }[]).map((v) => v.slug)).toEqual(['dell']);
      const shared = await asPartner('GET', '/api/vendors');
      expect((shared.body.items as { slug: string }[]).map((v) => v.slug)).toEqual(['dell', 'vmware']);
      const one = await asPartner('GET', '/api/vendors/vmware');
      expect(one.body).toMatchObject({ slug: 'vmware', id: ids.vmware.vendorId });
    });

    it('returns a program with its tiers in rank order and its definition', async () => {
      const res = await get('/api/programs/dell-emc-partner-program');
      expect(res.status).toBe(200);
      const versions = res.body.versions as {
        version: string;
        tiers: { code: string; invitationOnly: boolean }[];
        definition: { components: unknown[] };
      }[];
      expect(versions[0]?.version).toBe('FY18');
      expect(versions[0]?.tiers.map((t) => t.code)).toEqual([
        'authorized',
        'gold',
        'platinum',
        'titanium',
        'titanium-black',
      ]);
      expect(versions[0]?.tiers.find((t) => t.code === 'titanium-black')?.invitationOnly).toBe(true);
      expect(versions[0]?.definition.components.length).toBeGreaterThanOrEqual(5);
      // The response schema (src/server/program-definition.ts) keeps the stored definition whole.
      const stored = await t.store.db.selectFrom('programVersions').select(['id', 'definition']).execute();
      for (const v of res.body.versions as { id: string; definition: unknown }[]) {
        const row = stored.find((r) => r.id === v.id);
        expect(v.definition).toEqual(JSON.parse(row?.definition ?? 'null'));
      }
    });

    it('filters partners by vendor, kind and name, case-insensitively', async () => {
      const dell = await get(`/api/partners?vendor=${ids.dell.vendorId}`);
      expect((dell.body.items as { id: string }[]).map((p) => p.id)).toEqual([
        'ptn_alpha',
        'ptn_bravo',
        'ptn_dist',
      ]);
      const q = await get('/api/partners?q=SYSTEMS');
      expect((q.body.items as { id: string }[]).map((p) => p.id)).toEqual(['ptn_alpha']);
      const dist = await get('/api/partners?kind=distributor');
      expect((dist.body.items as { id: string }[]).map((p) => p.id)).toEqual(['ptn_dist']);
    });

    it('treats % and _ in a search literally', async () => {
      const res = await get('/api/customers?q=100%25');
      expect((res.body.items as { id: string }[]).map((c) => c.id)).toEqual(['cus_globex']);
      const none = await get('/api/customers?q=_');
      expect(none.body.items).toEqual([]);
    });

    it('pages through orders with a cursor, in both directions of sort', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/orders?limit=1&sort=orderDate${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...(res.body.items as { id: string }[]).map((o) => o.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(['ord_a1', 'ord_b1', 'ord_d1']);
      const desc = await get('/api/orders?sort=total&direction=desc&limit=2');
      expect((desc.body.items as { id: string }[]).map((o) => o.id)).toEqual(['ord_a1', 'ord_b1']);
    });

    it('filters orders by channel and date range and returns lines with an order', async () => {
      const res = await get(`/api/orders?vendor=${ids.dell.vendorId}&from=2017-04-01&to=2017-12-31`);
      expect((res.body.items as { id: string }[]).map((o) => o.id)).toEqual(['ord_b1', 'ord_d1']);
      const sellout = await get('/api/orders?channel=distributor');
      expect((sellout.body.items as { distributorId: string }[])[0]?.distributorId).toBe('ptn_dist');
      const one = await get('/api/orders/ord_a1');
      expect((one.body.lines as { amountMinor: number }[]).map((l) => l.amountMinor)).toEqual([
        5_000_000, 1_200_000,
      ]);
    });

    it('answers bad input with a 400 problem naming the parameter, never a 500', async () => {
      for (const url of [
        '/api/orders?limit=0',
        '/api/orders?sort=amount;drop table orders',
        '/api/orders?from=2017-13-45',
        '/api/orders?cursor=not-a-cursor',
        '/api/partners?country=gb',
        '/api/partners/ptn_alpha%27%20or%201=1',
      ]) {
        const res = await get(url);
        expect(res.status, url).toBe(400);
        expect(res.type).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 400, code: 'invalid_input' });
        expect((res.body.errors as unknown[]).length).toBeGreaterThan(0);
      }
    });

    it('refuses a cursor made for another sort order', async () => {
      const first = await get('/api/orders?limit=1&sort=orderDate');
      const res = await get(`/api/orders?limit=1&sort=total&cursor=${first.body.nextCursor as string}`);
      expect(res.status).toBe(400);
    });

    it('answers an anonymous call with a 401 problem', async () => {
      const res = await client(app, null)('GET', '/api/orders');
      expect(res.status).toBe(401);
      expect(res.type).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toMatch(/Bearer/);
    });

    it('answers unknown records and routes with a 404 problem', async () => {
      for (const url of [
        '/api/orders/ord_nope',
        '/api/partners/ptn_nope',
        '/api/programs/nope',
        '/api/nothing-here',
      ]) {
        const res = await get(url);
        expect(res.status, url).toBe(404);
        expect(res.type).toContain('application/problem+json');
      }
    });

    it('publishes an OpenAPI 3.1 document covering every route', async () => {
      const res = await get('/api/openapi.json');
      expect(res.body.openapi).toBe('3.1.0');
      const paths = Object.keys(res.body.paths as object);
      for (const p of [
        '/api/health',
        '/api/vendors',
        '/api/programs/{programId}',
        '/api/partners',
        '/api/orders/{orderId}',
      ]) {
        expect(paths).toContain(p);
      }
      const docs = await app.inject({ method: 'GET', url: '/api/docs' });
      expect([200, 302]).toContain(docs.statusCode);
    });
  });
}
