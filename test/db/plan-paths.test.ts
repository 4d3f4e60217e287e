import { Readable } from 'node:stream';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { actingAs } from '../../src/app/access/acting-as.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { importOrders } from '../../src/app/orders/import-orders.js';
import { ingestOrder } from '../../src/app/orders/ingest-order.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * The plan gives the same result whichever way a period's lines arrive (issue 13): posted one by one
 * (real-time accrual of each order), imported as CSV in batches (the bulk path), or stored with no accrual
 * at all and computed whole at the close (as the demo's history is). After the period's close, each
 * partner's earnings per component are equal to the cent on the three paths, and a second close posts
 * nothing on any of them.
 */

const DAYS = ['2017-02-01', '2017-02-20', '2017-03-15', '2017-04-02', '2017-04-30'];
const SYSTEM = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
const ORDER_WRITE = { resource: 'order', action: 'write' } as const;

const orderArb = fc.record({
  reseller: fc.constantFrom('ptn_alpha', 'ptn_bravo'),
  customer: fc.constantFrom('cus_acme', 'cus_globex'),
  day: fc.constantFrom(...DAYS),
  lines: fc.array(
    fc.record({
      product: fc.constantFrom('prd_stor', 'prd_srv'),
      quantity: fc.integer({ min: 1, max: 4 }),
      unit: fc.integer({ min: 1, max: 3_000_000 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

type Order = {
  reseller: string;
  customer: string;
  day: string;
  lines: { product: string; quantity: number; unit: number }[];
};

const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

function csvOf(orders: readonly Order[], offset: number): string {
  let out =
    'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_external_id,returns_line_no\n';
  orders.forEach((o, i) => {
    for (const l of o.lines)
      out += `prop,O-${offset + i},${o.day},USD,${o.customer},,partner,${o.reseller},,${l.product},${l.quantity},${money(l.unit)},,\n`;
  });
  return out;
}

/** Per partner and component: what the partner earned in the program (payable legs, partner's sign). */
async function earnings(ctx: AppContext) {
  const { rows } = await sql<{ partner: string; component: string; amount: number | string }>`
    select partner_id as partner, component, -sum(amount_minor) as amount from ledger_legs
    where account = 'partner:rebate-payable' group by partner_id, component`.execute(ctx.store.db);
  return rows
    .map((r) => `${r.partner}/${r.component}=${Number(r.amount)}`)
    .filter((r) => !r.endsWith('=0'))
    .sort();
}

/** The payable totals (kept by triggers; a close's bulk write adds them per transaction) equal the ledger. */
async function expectPayableTotalsEqualLedger(ctx: AppContext) {
  const { rows: legs } = await sql<{ k: string; amount: number | string }>`
    select l.program_id || '/' || coalesce(l.partner_id, '') || '/' || l.period || '/' || l.component as k,
      sum(l.amount_minor) as amount
    from ledger_legs l where l.account = 'partner:rebate-payable'
    group by l.program_id, l.partner_id, l.period, l.component`.execute(ctx.store.db);
  const { rows: totals } = await sql<{ k: string; amount: number | string }>`
    select program_id || '/' || partner_id || '/' || period || '/' || component as k, sum(amount_minor) as amount
    from payable_totals group by program_id, partner_id, period, component`.execute(ctx.store.db);
  const asMap = (rows: { k: string; amount: number | string }[]) =>
    new Map(rows.filter((r) => Number(r.amount) !== 0).map((r) => [r.k, Number(r.amount)] as const));
  expect(asMap(totals)).toEqual(asMap(legs));
}

async function closeQ1(ctx: AppContext) {
  const first = await closePeriod(ctx, SYSTEM, { program: 'dell-emc-partner-program', period: 'FY18-Q1' });
  expect(first.reconciled).toBe(true);
  await expectPayableTotalsEqualLedger(ctx);
  const again = await closePeriod(ctx, SYSTEM, { program: 'dell-emc-partner-program', period: 'FY18-Q1' });
  expect(again.transactions).toBe(0);
  return first;
}

for (const kind of STORE_KINDS) {
  describe(`the plan on ${kind}`, () => {
    it(
      'gives the same earnings whether lines arrive one by one, in import batches or all at close',
      { timeout: 300_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(orderArb, { minLength: 1, maxLength: 8 }), async (orders) => {
            const stores = await Promise.all([openTestStore(kind), openTestStore(kind), openTestStore(kind)]);
            try {
              const [oneByOne, batches, atClose] = stores.map((t) => createContext(t.store)) as [
                AppContext,
                AppContext,
                AppContext,
              ];
              const fixtures = [];
              for (const ctx of [oneByOne, batches, atClose]) fixtures.push(await loadFixture(ctx));
              const vendorOf = fixtures.map((f) => f.dell.vendorId);

              // 1. Real time: each order posted with its accruals.
              const admin = await actingAs(oneByOne, 'admin@dell.test', ORDER_WRITE, 'ordering');
              for (const [i, o] of orders.entries()) {
                const res = await ingestOrder(oneByOne, admin, {
                  vendor: 'dell',
                  source: 'prop',
                  externalId: `O-${i}`,
                  orderDate: o.day,
                  currency: 'USD',
                  customerId: o.customer,
                  channel: 'partner',
                  resellerId: o.reseller,
                  lines: o.lines.map((l) => ({
                    productId: l.product,
                    quantity: l.quantity,
                    unitPriceMinor: l.unit,
                  })),
                });
                expect(res.status).toBe('created');
              }
              // 2. Two CSV imports (two batches).
              const half = Math.ceil(orders.length / 2);
              for (const [part, offset] of [
                [orders.slice(0, half), 0],
                [orders.slice(half), half],
              ] as const) {
                if (part.length === 0) continue;
                const outcome = await importOrders(batches, SYSTEM, Readable.from([csvOf(part, offset)]), {
                  vendor: 'dell',
                  name: `part-${offset}.csv`,
                });
                expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
              }
              // 3. The same orders and lines stored with no accrual (as a bulk load stores history).
              const db1 = oneByOne.store.db;
              const storedOrders = await db1
                .selectFrom('orders')
                .selectAll()
                .where('source', '=', 'prop')
                .execute();
              const storedLines = await db1
                .selectFrom('orderLines')
                .selectAll()
                .where(
                  'orderId',
                  'in',
                  storedOrders.map((o) => o.id),
                )
                .execute();
              const vendorId = vendorOf[2] as string;
              await atClose.store.db
                .insertInto('orders')
                .values(storedOrders.map((o) => ({ ...o, vendorId })))
                .execute();
              await atClose.store.db
                .insertInto('orderLines')
                .values(storedLines.map((l) => ({ ...l, vendorId })))
                .execute();
              const accrued = await sql<{ n: number }>`select count(*) as n from ledger_legs l
                join order_lines ol on ol.id = l.line_id join orders o on o.id = ol.order_id
                where o.source = 'prop'`.execute(atClose.store.db);
              expect(Number(accrued.rows[0]?.n)).toBe(0);

              const closed = [];
              for (const ctx of [oneByOne, batches, atClose]) closed.push(await closeQ1(ctx));
              const [a, b, c] = [await earnings(oneByOne), await earnings(batches), await earnings(atClose)];
              expect(a.length).toBeGreaterThan(0);
              expect(b).toEqual(a);
              expect(c).toEqual(a);
              expect(new Set(closed.map((r) => r.totalMinor)).size).toBe(1);
            } finally {
              for (const t of stores) await t.cleanup();
            }
          }),
          { numRuns: kind === 'sqlite' ? 15 : 4 },
        );
      },
    );

    it('refuses to commit a bulk write that left its payable totals behind', async () => {
      const t = await openTestStore(kind);
      try {
        await expect(
          t.store.db.transaction().execute(async (trx) => {
            await sql`insert into ledger_bulk_postings (transaction_id) values ('ltx_left_behind')`.execute(
              trx,
            );
          }),
        ).rejects.toThrow(/foreign key/i);
        const { rows } = await sql<{
          n: number | string;
        }>`select count(*) as n from ledger_bulk_postings`.execute(t.store.db);
        expect(Number(rows[0]?.n)).toBe(0);
      } finally {
        await t.cleanup();
      }
    });
  });
}
