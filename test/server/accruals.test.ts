import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

for (const kind of STORE_KINDS) {
  describe(`real-time accruals on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let admin: ReturnType<typeof client>;
    let dell: { vendorId: string; programId: string };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
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
        .selectFrom('ledgerLegs')
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
        .selectFrom('ledgerLegs')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect((await post('NEW-1', {})).status).toBe(200);
      const after = await t.store.db
        .selectFrom('ledgerLegs')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const sums = await sql<{
        s: number | string;
      }>`select sum(amount_minor) as s from ledger_legs group by transaction_id`.execute(t.store.db);
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
        .selectFrom('ledgerLegs')
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
      for (const p of p0)
        expect(p.components.reduce((s, c) => s + c.projectedMinor, 0)).toBe(p.projectedMinor);
      expect(res.body.status).toBe('provisional');
    });

    it('says a partner with no entry has nothing, not that every period is closed', async () => {
      const distributor = await admin('GET', '/api/partners/ptn_dist/earnings');
      expect(distributor.status, distributor.text).toBe(200);
      expect(distributor.body).toMatchObject({ periods: [], status: 'none', projectedMinor: 0 });
    });

    it('accrues nothing on a direct order', async () => {
      // An account no partner sold to (a channel customer's direct order is routed to its partner instead).
      await t.store.db
        .insertInto('customers')
        .values({
          id: 'cus_dironly',
          vendorId: dell.vendorId,
          name: 'Direct Only Holdings',
          domain: null,
          country: 'US',
          region: 'na',
          segment: 'enterprise',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: '2017-01-01T00:00:00.000Z',
        })
        .execute();
      const res = await post('DIRECT-1', {
        channel: 'direct',
        resellerId: null,
        customerId: 'cus_dironly',
        orderDate: '2017-06-01',
        lines: [{ productId: 'prd_stor', quantity: 6, unitPriceMinor: 5_000_000 }],
      });
      expect(res.status, res.text).toBe(201);
      expect((res.body.routing as { reason: string }).reason).toBe('at-or-above-threshold');
      const rows = await t.store.db
        .selectFrom('ledgerTransactions')
        .select('id')
        .where('orderId', '=', res.body.id as string)
        .execute();
      expect(rows).toEqual([]);
    });

    it('claws back in real time no more than the returned sale earned, even when the return is priced above it', async () => {
      const credited = async (lineId: string) =>
        Object.fromEntries(
          (
            await t.store.db
              .selectFrom('ledgerLegs')
              .select(['component', sql<number | string>`-sum(amount_minor)`.as('amount')])
              .where('lineId', '=', lineId)
              .where('account', '=', 'partner:rebate-payable')
              .groupBy('component')
              .execute()
          ).map((r) => [r.component, Number(r.amount)]),
        );
      const sale = await post('SALE-100', {
        orderDate: '2017-03-10',
        lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 10_000 }],
      });
      expect(sale.status, sale.text).toBe(201);
      const saleLine = (sale.body.lines as { id: string }[])[0]!.id;
      expect(await credited(saleLine)).toEqual({ 'base-rebate': 800 });
      // One unit back at twice the price: the engine computes -800, the limit keeps it to the sale's 800.
      const first = await post('RETURN-200', {
        orderDate: '2017-03-11',
        lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 40_000, returnsLineId: saleLine }],
      });
      expect(first.status, first.text).toBe(201);
      const firstLine = (first.body.lines as { id: string }[])[0]!.id;
      expect(await credited(firstLine)).toEqual({ 'base-rebate': -800 });
      // The second unit back finds nothing left to claw back.
      const second = await post('RETURN-200-B', {
        orderDate: '2017-03-12',
        lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 40_000, returnsLineId: saleLine }],
      });
      expect(second.status, second.text).toBe(201);
      expect(await credited((second.body.lines as { id: string }[])[0]!.id)).toEqual({});
      // The close keeps the same limit (the sale earns 800 in the close too): it trues nothing up.
      const closed = await closePeriod(
        ctx,
        { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
        { program: 'dell-emc-partner-program', period: 'FY18-Q1' },
      );
      expect(closed.reconciled).toBe(true);
      expect(await credited(firstLine)).toEqual({ 'base-rebate': -800 });
      expect(await credited((second.body.lines as { id: string }[])[0]!.id)).toEqual({});
    });
  });
}
