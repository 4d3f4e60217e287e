import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

for (const kind of STORE_KINDS) {
  describe(`real-time accruals on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let admin: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      const ctx = createContext(t.store);
      const { dell } = await loadFixture(ctx);
      // Bravo holds Titanium for the year (as a status match would give it).
      await t.store.db
        .insertInto('memberships')
        .values({
          id: 'mbr_bravo_ti',
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId: 'ptn_bravo',
          tierCode: 'titanium',
          validFrom: '2017-02-01',
          validTo: null,
          source: 'status-match',
          reason: 'test',
          createdAt: '2017-02-01T00:00:00.000Z',
          grandfatheredUntil: '2018-02-01',
          sponsor: null,
          detail: '{}',
        })
        .execute();
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const post = (externalId: string, over: Record<string, unknown>) =>
      admin('POST', '/api/orders', {
        source: 'erp',
        externalId,
        orderDate: '2017-03-01',
        currency: 'USD',
        customerId: 'cus_acme',
        channel: 'partner',
        resellerId: 'ptn_bravo',
        lines: [
          { productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 500_000 },
        ],
        ...over,
      });

    it('accrues 4% + 8% on storage and 3% + 8% on servers for a Titanium partner landing a new account', async () => {
      const res = await post('NEW-1', {});
      expect(res.status).toBe(201);
      const entries = await t.store.db
        .selectFrom('ledgerEntries')
        .select(['lineId', 'component', 'account', 'amountMinor', 'rate', 'tier', 'baseMinor', 'ruleId'])
        .where('account', '=', 'partner:rebate-payable')
        .orderBy('lineId')
        .orderBy('component')
        .execute();
      const lines = res.body.lines as { id: string; family: string }[];
      const storage = lines.find((l) => l.family === 'storage')!.id;
      const servers = lines.find((l) => l.family === 'servers')!.id;
      const byLine = (id: string) =>
        Object.fromEntries(
          entries.filter((e) => e.lineId === id).map((e) => [e.component, [-e.amountMinor, e.rate, e.tier]]),
        );
      expect(byLine(storage)).toEqual({
        'base-rebate': [40_000, 40_000, 'titanium'],
        'new-business': [80_000, 80_000, 'titanium'],
      });
      expect(byLine(servers)).toEqual({
        'base-rebate': [15_000, 30_000, 'titanium'],
        'new-business': [40_000, 80_000, 'titanium'],
      });
    });

    it('keeps every transaction balanced, and posts nothing twice on a replay', async () => {
      const before = await t.store.db
        .selectFrom('ledgerEntries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect((await post('NEW-1', {})).status).toBe(200);
      const after = await t.store.db
        .selectFrom('ledgerEntries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const sums = await sql<{
        s: number | string;
      }>`select sum(amount_minor) as s from ledger_entries group by transaction_id`.execute(t.store.db);
      expect(sums.rows.every((r) => Number(r.s) === 0)).toBe(true);
    });

    it('earns from the first dollar, and a second order for the same customer is no longer new business', async () => {
      const res = await post('ONE-DOLLAR', {
        orderDate: '2017-03-02',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 100 }],
      });
      expect(res.status).toBe(201);
      const line = (res.body.lines as { id: string }[])[0]!.id;
      const rows = await t.store.db
        .selectFrom('ledgerEntries')
        .select(['component', 'amountMinor'])
        .where('lineId', '=', line)
        .where('account', '=', 'partner:rebate-payable')
        .execute();
      expect(rows.map((r) => [r.component, -r.amountMinor])).toEqual([['base-rebate', 4]]);
    });

    it('shows the partner what it has earned, and no one else', async () => {
      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      const res = await bravo('GET', '/api/partners/ptn_bravo/earnings');
      expect(res.status).toBe(200);
      const periods = res.body.periods as {
        period: string;
        accruedMinor: number;
        components: { component: string; accruedMinor: number }[];
      }[];
      expect(periods).toHaveLength(1);
      expect(periods[0]).toMatchObject({ period: 'FY18-Q1', accruedMinor: 175_004 });
      const alpha = client(app, await signIn(app, 'admin@alpha.test'));
      expect((await alpha('GET', '/api/partners/ptn_bravo/earnings')).status).toBe(404);
      expect((await admin('GET', '/api/partners/ptn_bravo/earnings')).status).toBe(200);
      // projectedMinor has one meaning at every level: what the period (or component) comes to.
      const p0 = res.body.periods as {
        projectedMinor: number;
        components: { accruedMinor: number; closeMinor: number; projectedMinor: number }[];
      }[];
      for (const p of p0) {
        expect(p.components.reduce((s, c) => s + c.projectedMinor, 0)).toBe(p.projectedMinor);
        for (const c of p.components)
          expect(c.projectedMinor).toBeGreaterThanOrEqual(Math.min(0, c.accruedMinor + c.closeMinor));
      }
      expect(res.body.status).toBe('provisional');
    });

    it('says a partner with no entry has nothing, not that every period is closed', async () => {
      const res = await admin('GET', '/api/partners/ptn_alpha/earnings?program=dell-emc-partner-program');
      expect(res.status, res.text).toBe(200);
      if ((res.body.periods as unknown[]).length === 0) expect(res.body.status).toBe('none');
      const distributor = await admin('GET', '/api/partners/ptn_dist/earnings');
      expect(distributor.status, distributor.text).toBe(200);
      expect(distributor.body).toMatchObject({ periods: [], status: 'none', projectedMinor: 0 });
    });

    it('accrues nothing on a direct order', async () => {
      const res = await post('DIRECT-1', {
        channel: 'direct',
        resellerId: null,
        customerId: 'cus_globex',
        orderDate: '2017-06-01',
      });
      expect(res.status).toBe(201);
      const rows = await t.store.db
        .selectFrom('ledgerTransactions')
        .select('id')
        .where('orderId', '=', res.body.id as string)
        .execute();
      expect(rows).toEqual([]);
    });
  });
}
