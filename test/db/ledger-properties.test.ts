import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * Properties of the rebate ledger over random order streams, on each database, through the API:
 * - real-time accruals plus the close equal the batch computation to the cent (the close checks this
 *   itself and refuses to commit otherwise: `reconciled`);
 * - every transaction's debits equal its credits;
 * - replaying an order, or closing again, changes nothing;
 * - a return never claws back more than was credited for the line it returns.
 */

const PAYABLE = 'partner:rebate-payable';
const Q1 = ['2017-02-01', '2017-02-20', '2017-03-15', '2017-04-02', '2017-04-30'];
const Q2 = ['2017-05-01', '2017-05-25', '2017-06-14', '2017-06-15', '2017-07-31'];

const orderArb = fc.record({
  reseller: fc.constantFrom('ptn_alpha', 'ptn_bravo', 'via-dist'),
  customer: fc.constantFrom('cus_acme', 'cus_globex'),
  day: fc.constantFrom(...Q1),
  lines: fc.array(
    fc.record({
      product: fc.constantFrom('prd_stor', 'prd_srv'),
      quantity: fc.integer({ min: 1, max: 4 }),
      unit: fc.integer({ min: 1, max: 3_000_000 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const scenarioArb = fc.record({
  orders: fc.array(orderArb, { minLength: 1, maxLength: 6 }),
  /** Alpha's upgrade day to Platinum, if any. */
  upgrade: fc.option(fc.constantFrom(...Q1, ...Q2)),
  returns: fc.array(
    fc.record({
      order: fc.nat(),
      line: fc.nat(),
      quantity: fc.integer({ min: 1, max: 4 }),
      day: fc.constantFrom(...Q1.slice(-1), ...Q2),
    }),
    { maxLength: 4 },
  ),
  payQ1: fc.boolean(),
});

for (const kind of STORE_KINDS) {
  describe(`ledger properties on ${kind}`, () => {
    it(
      'holds over random order streams, tier changes, payouts and returns',
      { timeout: 240_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            const t = await openTestStore(kind);
            const ctx = createContext(t.store);
            const app = await buildServer(ctx);
            try {
              const { dell } = await loadFixture(ctx);
              const db = t.store.db;
              const member = (id: string, tier: string, from: string, to: string | null) =>
                db
                  .insertInto('memberships')
                  .values({
                    id,
                    vendorId: dell.vendorId,
                    programId: dell.programId,
                    partnerId: id.includes('alpha') ? 'ptn_alpha' : 'ptn_bravo',
                    tierCode: tier,
                    validFrom: from,
                    validTo: to,
                    source: 'manual',
                    reason: 'property',
                    createdAt: '2017-02-01T00:00:00.000Z',
                    grandfatheredUntil: null,
                    sponsor: null,
                    detail: '{}',
                  })
                  .execute();
              await member('mbr_bravo', 'titanium', '2017-02-01', null);
              await member('mbr_alpha_g', 'gold', '2017-02-01', scenario.upgrade);
              if (scenario.upgrade) await member('mbr_alpha_p', 'platinum', scenario.upgrade, null);
              const admin = client(app, await signIn(app, 'admin@dell.test'));
              const posted: {
                id: string;
                lines: { id: string; productId: string; quantity: number; unit: number }[];
                body: unknown;
              }[] = [];
              for (const [i, o] of scenario.orders.entries()) {
                const body = {
                  source: 'prop',
                  externalId: `O-${i}`,
                  orderDate: o.day,
                  currency: 'USD',
                  customerId: o.customer,
                  channel: o.reseller === 'via-dist' ? 'distributor' : 'partner',
                  resellerId: o.reseller === 'via-dist' ? 'ptn_bravo' : o.reseller,
                  ...(o.reseller === 'via-dist' ? { distributorId: 'ptn_dist' } : {}),
                  lines: o.lines.map((l) => ({
                    productId: l.product,
                    quantity: l.quantity,
                    unitPriceMinor: l.unit,
                  })),
                };
                const res = await admin('POST', '/api/orders', body);
                expect(res.status, res.text).toBe(201);
                const lines = (res.body.lines as { id: string }[]).map((l, k) => ({
                  id: l.id,
                  productId: o.lines[k]!.product,
                  quantity: o.lines[k]!.quantity,
                  unit: o.lines[k]!.unit,
                }));
                posted.push({ id: res.body.id as string, lines, body });
              }
              const entries = async () =>
                Number(
                  (
                    await db
                      .selectFrom('ledgerLegs')
                      .select(sql<number>`count(*)`.as('n'))
                      .executeTakeFirstOrThrow()
                  ).n,
                );
              // Replaying an order changes nothing.
              const before = await entries();
              const replay = await admin('POST', '/api/orders', posted[0]!.body);
              expect(replay.status).toBe(200);
              expect(await entries()).toBe(before);

              const close = async (period: string) => {
                const res = await viaJob(admin, 'POST', '/api/closes', {
                  program: 'dell-emc-partner-program',
                  period,
                });
                expect(res.status, res.text).toBe(200);
                expect(res.body.reconciled).toBe(true);
                return res.body as { transactions: number; totalMinor: number };
              };
              const q1 = await close('FY18-Q1');
              const again = await close('FY18-Q1');
              expect(again.transactions).toBe(0);
              expect(again.totalMinor).toBe(q1.totalMinor);

              if (scenario.payQ1) {
                const list = await admin('GET', '/api/statements?period=FY18-Q1&limit=500');
                for (const s of list.body.items as { id: string }[]) {
                  for (const step of ['issue', 'approve', 'pay'])
                    expect((await admin('POST', `/api/statements/${s.id}/${step}`, {})).status).toBe(200);
                }
              }

              // Returns of Q1 lines, in Q1's last day or in Q2, never more than what is left of the line.
              const left = new Map(posted.flatMap((o) => o.lines.map((l) => [l.id, l.quantity])));
              for (const [i, r] of scenario.returns.entries()) {
                const order = posted[r.order % posted.length]!;
                const line = order.lines[r.line % order.lines.length]!;
                const quantity = Math.min(r.quantity, left.get(line.id) ?? 0);
                if (quantity === 0) continue;
                left.set(line.id, (left.get(line.id) ?? 0) - quantity);
                const o = scenario.orders[r.order % posted.length]!;
                const body = order.body as Record<string, unknown>;
                const res = await admin('POST', '/api/orders', {
                  ...body,
                  externalId: `R-${i}`,
                  orderDate: r.day < o.day ? o.day : r.day,
                  lines: [
                    {
                      productId: line.productId,
                      quantity: -quantity,
                      unitPriceMinor: line.unit,
                      returnsLineId: line.id,
                    },
                  ],
                });
                expect(res.status, res.text).toBe(201);
              }
              await close('FY18-Q1');
              await close('FY18-Q2');
              expect((await close('FY18-Q2')).transactions).toBe(0);

              // Every transaction balances.
              const unbalanced = await db
                .selectFrom('ledgerLegs')
                .select('transactionId')
                .groupBy('transactionId')
                .having(sql`sum(amount_minor)`, '!=', 0)
                .execute();
              expect(unbalanced).toEqual([]);

              // The payable totals (kept by a trigger) are the payable entries grouped, to the cent.
              const grouped = await sql<Record<string, unknown>>`
                select program_id, coalesce(budget_pool, '') as pool, partner_id, period, component, currency,
                  sum(amount_minor) as amount, sum(case when line_id is null then 0 else amount_minor end) as line,
                  count(*) as n
                from ledger_legs where account = ${PAYABLE}
                group by program_id, coalesce(budget_pool, ''), partner_id, period, component, currency`.execute(
                db,
              );
              const totals = await sql<Record<string, unknown>>`
                select program_id, budget_pool as pool, partner_id, period, component, currency,
                  amount_minor as amount, line_amount_minor as line, entries as n from payable_totals`.execute(
                db,
              );
              const canonical = (rows: Record<string, unknown>[]) =>
                rows.map((r) => Object.values(r).map(String).join('|')).sort();
              expect(canonical(totals.rows)).toEqual(canonical(grouped.rows));
              expect(totals.rows.length).toBeGreaterThan(0);

              // A return never claws back more than its line was credited, per component.
              const credits = await db
                .selectFrom('ledgerLegs as e')
                .innerJoin('orderLines as l', (j) =>
                  j.onRef('l.vendorId', '=', 'e.vendorId').onRef('l.id', '=', 'e.lineId'),
                )
                .select([
                  sql<string>`coalesce(l.returns_line_id, l.id)`.as('original'),
                  sql<number>`case when l.returns_line_id is null then 0 else 1 end`.as('isReturn'),
                  'e.component',
                  sql<number>`-sum(e.amount_minor)`.as('amount'),
                ])
                .where('e.account', '=', PAYABLE)
                .groupBy([
                  sql`coalesce(l.returns_line_id, l.id)`,
                  sql`case when l.returns_line_id is null then 0 else 1 end`,
                  'e.component',
                ])
                .execute();
              const sold = new Map<string, number>();
              const returned = new Map<string, number>();
              for (const c of credits) {
                const key = `${c.original}/${c.component}`;
                (Number(c.isReturn) === 1 ? returned : sold).set(key, Number(c.amount));
              }
              for (const [key, amount] of returned) {
                expect(-amount, key).toBeLessThanOrEqual(Math.max(0, sold.get(key) ?? 0));
              }
            } finally {
              await app.close();
              await t.cleanup();
            }
          }),
          { numRuns: kind === 'sqlite' ? 12 : 5 },
        );
      },
    );
  });
}
