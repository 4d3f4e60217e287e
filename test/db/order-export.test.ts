import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { orderExport } from '../../src/app/orders/export-orders.js';
import { importOrders } from '../../src/app/orders/import-orders.js';
import { SYSTEM_SCOPE, type Scope } from '../../src/core/access/scope.js';
import { orderRepository, type OrderFilter } from '../../src/db/repositories/order-repository.js';
import { refreshPlannerStatistics } from '../../src/db/statistics.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, SQLITE_THREAD, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * The orders export (`GET /api/orders/export`) reads the caller's orders a batch after the last, each
 * order once: more orders than a batch holds come out whole, in order id and line number order, exactly the
 * lines the caller's scope and filters select (checked against every line read back and filtered here),
 * for a vendor admin, a channel manager of one region, a partner, and with each filter.
 */

const SYSTEM = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
const ORDERS = 1_234;
const RESELLERS = ['ptn_alpha', 'ptn_bravo'];
const CUSTOMERS = ['cus_acme', 'cus_globex'];
const DAYS = ['2017-02-01', '2017-02-20', '2017-03-15', '2017-04-02'];

function csv(): string {
  let out =
    'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_external_id,returns_line_no\n';
  for (let i = 0; i < ORDERS; i++) {
    // Orders in an order that is not their ids' (the import numbers them): 1 to 3 lines each.
    const k = (i * 7919) % ORDERS;
    for (let n = 0; n <= k % 3; n++)
      out += `exp,E-${k},${DAYS[k % DAYS.length]},USD,${CUSTOMERS[k % 2]},,partner,${RESELLERS[(k >> 1) % 2]},,${n % 2 ? 'prd_srv' : 'prd_stor'},1,${100 + n}.00,,\n`;
  }
  return out;
}

/** The export's line ids and order ids, in its order. */
async function exported(ctx: AppContext, scope: Scope, filter: OrderFilter) {
  let text = '';
  for await (const chunk of orderExport(ctx, scope, filter)) text += chunk;
  const [header, ...rows] = text.trimEnd().split('\n');
  const columns = (header ?? '').split(',');
  const at = (name: string) => columns.indexOf(name);
  return rows.map((r) => {
    const cells = r.split(',');
    return {
      orderId: cells[at('order_id')],
      lineId: cells[at('line_id')],
      lineNo: Number(cells[at('line_no')]),
    };
  });
}

for (const kind of STORE_KINDS) {
  describe(`the orders export on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let dell: string;
    type Line = {
      orderId: string;
      lineId: string;
      lineNo: number;
      vendorId: string;
      resellerId: string | null;
      distributorId: string | null;
      customerId: string;
      region: string;
      orderDate: string;
    };
    let lines: Line[];

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      const fixture = await loadFixture(ctx);
      dell = fixture.dell.vendorId;
      const outcome = await importOrders(ctx, SYSTEM, Readable.from([csv()]), {
        vendor: 'dell',
        name: 'export.csv',
      });
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
      lines = (
        await t.store.db
          .selectFrom('orders as o')
          .innerJoin('orderLines as l', (j) =>
            j.onRef('l.vendorId', '=', 'o.vendorId').onRef('l.orderId', '=', 'o.id'),
          )
          .select([
            'o.id as orderId',
            'l.id as lineId',
            'l.lineNo',
            'o.vendorId',
            'o.resellerId',
            'o.distributorId',
            'o.customerId',
            'o.region',
            'o.orderDate',
          ])
          .execute()
      ).map((l) => ({ ...l, lineNo: Number(l.lineNo) }));
      // The export's order: order date, order id, line number.
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      lines.sort((a, b) => cmp(a.orderDate, b.orderDate) || cmp(a.orderId, b.orderId) || a.lineNo - b.lineNo);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    const expected = (keep: (l: Line) => boolean) =>
      lines.filter(keep).map((l) => ({ orderId: l.orderId, lineId: l.lineId, lineNo: l.lineNo }));

    it('gives a vendor admin every line of the vendor once, by order date, order id and line number, past several batches', async () => {
      const want = expected((l) => l.vendorId === dell);
      expect(new Set(want.map((l) => l.orderId)).size).toBeGreaterThan(ORDERS);
      expect(await exported(ctx, { kind: 'vendor', vendorId: dell, regions: [] }, {})).toEqual(want);
    });

    it('gives a channel manager the lines of its regions, and each filter its lines', async () => {
      const admin: Scope = { kind: 'vendor', vendorId: dell, regions: [] };
      const emea: Scope = { kind: 'vendor', vendorId: dell, regions: ['emea'] };
      expect(await exported(ctx, emea, {})).toEqual(
        expected((l) => l.vendorId === dell && l.region === 'emea'),
      );
      expect(await exported(ctx, admin, { customerId: 'cus_globex' })).toEqual(
        expected((l) => l.vendorId === dell && l.customerId === 'cus_globex'),
      );
      expect(
        await exported(ctx, admin, { resellerId: 'ptn_bravo', from: '2017-02-20', to: '2017-03-15' }),
      ).toEqual(
        expected(
          (l) =>
            l.vendorId === dell &&
            l.resellerId === 'ptn_bravo' &&
            l.orderDate >= '2017-02-20' &&
            l.orderDate <= '2017-03-15',
        ),
      );
      expect(await exported(ctx, emea, { from: '2017-04-01' })).toEqual(
        expected((l) => l.vendorId === dell && l.region === 'emea' && l.orderDate >= '2017-04-01'),
      );
      expect(await exported(ctx, admin, { vendorId: dell })).toEqual(expected((l) => l.vendorId === dell));
      // Another vendor named as a filter: nothing (not that vendor's lines).
      const other = lines.find((l) => l.vendorId !== dell)?.vendorId ?? 'vnd_other';
      expect(await exported(ctx, admin, { vendorId: other })).toEqual([]);
    });

    it.runIf(kind === 'sqlite' && SQLITE_THREAD === 'main')(
      "reads each batch from where the last stopped, by the index the scope reads, never sorting all the vendor's orders again",
      async () => {
        const handle = t.store.sqlite;
        if (!handle) throw new Error('a main-thread SQLite store has its handle');
        await refreshPlannerStatistics(t.store);
        // The statistics of the medium demo's orders as the sampled ANALYZE leaves them (663,068 orders, 1,001
        // counted per vendor): with them, paging by order id alone made the planner read the vendor's orders
        // by an index and sort them all for every batch of 500 (a second each).
        handle.exec(`delete from sqlite_stat1 where tbl = 'orders'`);
        const stats = handle.prepare('insert into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)');
        for (const [idx, stat] of [
          ['orders_vendor_source_external_uq', '663068 1001 667 1'],
          ['orders_vendor_date_ix', '663068 1001 6'],
          ['orders_vendor_customer_date_ix', '663068 1001 9 1'],
          ['orders_reseller_date_ix', '563892 143 2'],
          ['orders_reseller_customer_ix', '563892 143 6'],
          ['orders_external_ix', '663068 1'],
          ['orders_distributor_date_ix', '199208 501 2'],
          ['orders_distributor_customer_ix', '199208 501 3'],
          ['orders_deal_registration_ix', '663068 54'],
          ['orders_customer_date_ix', '663068 13 1'],
          ['orders', '663068 1'],
        ])
          stats.run('orders', idx, stat);
        handle.exec('analyze sqlite_schema');
        const texts: string[] = [];
        const prepare = handle.prepare.bind(handle);
        handle.prepare = ((text: string) => {
          texts.push(text);
          return prepare(text);
        }) as typeof handle.prepare;
        try {
          const repo = orderRepository(t.store.db);
          const after = { orderDate: '2017-03-01', id: 'ord_' };
          await repo.exportBatch({ kind: 'vendor', vendorId: dell, regions: [] }, {}, after, 500);
          await repo.exportBatch(
            { kind: 'vendor', vendorId: dell, regions: ['emea'] },
            { to: '2017-04-01' },
            after,
            500,
          );
          await repo.exportBatch(
            { kind: 'vendor', vendorId: dell, regions: [] },
            { customerId: 'cus_acme' },
            after,
            500,
          );
        } finally {
          handle.prepare = prepare;
        }
        const selects = texts.filter((x) => /from "orders"/.test(x));
        expect(selects.length).toBe(3);
        for (const text of selects) {
          // The plan does not depend on the values: each parameter bound to null.
          const params = (text.match(/\?/g) ?? []).map(() => null);
          const plan = (handle.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[])
            .map((r) => r.detail)
            .join(' | ');
          // A range of an index by day (the vendor's or the customer's), in its order: at most the orders of
          // one day sorted by id, never all of them.
          expect(plan).toMatch(
            /USING INDEX orders_(vendor_|customer_|vendor_customer_)date_ix \(.*order_date>\?/,
          );
          expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
        }
      },
    );

    it("gives a partner the lines of the orders it sold or supplied, of every vendor, and no one else's", async () => {
      const alpha: Scope = { kind: 'partner', partnerId: 'ptn_alpha', ownerPersonId: null };
      expect(await exported(ctx, alpha, {})).toEqual(
        expected((l) => l.resellerId === 'ptn_alpha' || l.distributorId === 'ptn_alpha'),
      );
      expect(await exported(ctx, alpha, { vendorId: dell })).toEqual(
        expected(
          (l) => l.vendorId === dell && (l.resellerId === 'ptn_alpha' || l.distributorId === 'ptn_alpha'),
        ),
      );
    });
  });
}
