import { Readable } from 'node:stream';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actingAs } from '../../src/app/access/acting-as.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importOrders } from '../../src/app/orders/import-orders.js';
import { ingestOrder } from '../../src/app/orders/ingest-order.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import type { ExchangePolicy } from '../../src/core/programs/types.js';
import type { Database } from '../../src/db/schema.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import type { Kysely } from 'kysely';
import { loadFixture } from '../support/fixtures.js';
import { addRates, withExchange } from '../support/order-currencies.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * Orders in other currencies (issue 17, item 2): a EUR or GBP order of a program that accepts it is
 * converted at its day's rate into the program's USD, line by line, half to even; a return converts at
 * its sale's rate; a missing rate is refused or bridged as the program says. Every expected cent below is
 * computed by hand.
 */

const SYSTEM = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };

/** The fixture's Dell FY18 program, derived: EUR and GBP in emea-1, a missing rate bridged up to 5 days. */
const DELL_EXCHANGE: ExchangePolicy = {
  orderCurrencies: [{ zones: ['emea-1'], countries: [], currencies: ['EUR', 'GBP'] }],
  orderRate: 'order-day',
  payoutRate: 'payout-day',
  missingRate: { policy: 'last-known', withinDays: 5 },
  payoutCurrencies: [],
};
/** The fixture's VMware program, derived: EUR in GB, a missing rate refused. */
const VMWARE_EXCHANGE: ExchangePolicy = {
  orderCurrencies: [{ zones: [], countries: ['GB'], currencies: ['EUR'] }],
  orderRate: 'order-day',
  payoutRate: 'payout-day',
  missingRate: { policy: 'refuse' },
  payoutCurrencies: [],
};

/** A minor-unit amount times a decimal rate, half to even, computed here independently of core. */
function byHand(amountMinor: number, rate: string): number {
  const [int, frac = ''] = rate.split('.');
  const n = BigInt(amountMinor) * BigInt(int + frac);
  const d = 10n ** BigInt(frac.length);
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r = a % d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) q += 1n;
  return Number(neg ? -q : q);
}

type Line = {
  id: string;
  family: string;
  amountMinor: number;
  unitPriceMinor: number;
  currency: string;
  originalCurrency: string | null;
  originalAmountMinor: number | null;
  originalUnitPriceMinor: number | null;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
};

for (const kind of STORE_KINDS) {
  describe(`orders in other currencies on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let admin: ReturnType<typeof client>;
    let dell: { vendorId: string; programId: string };
    let vmware: { vendorId: string; programId: string };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell, vmware } = await loadFixture(ctx));
      await withExchange(t.store.db, dell.programId, DELL_EXCHANGE);
      await withExchange(t.store.db, vmware.programId, VMWARE_EXCHANGE);
      // Bravo holds Titanium for the year: 4% base rebate on storage, 8% new business.
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
      await addRates(t.store.db, dell.vendorId, [
        ['EUR', 'USD', '2017-03-01', '1.0712'],
        ['EUR', 'USD', '2017-03-02', '1.0500'],
        ['EUR', 'USD', '2017-06-01', '1.1234'],
        ['EUR', 'USD', '2017-09-04', '1.2'],
        ['EUR', 'GBP', '2017-09-04', '0.84'],
      ]);
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
        currency: 'EUR',
        customerId: 'cus_acme',
        channel: 'partner',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000_000 }],
        ...over,
      });
    const payable = async (lineId: string) =>
      Object.fromEntries(
        (
          await t.store.db
            .selectFrom('ledgerLegs')
            .select(['component', 'amountMinor'])
            .where('lineId', '=', lineId)
            .where('account', '=', 'partner:rebate-payable')
            .execute()
        ).map((e) => [e.component, -e.amountMinor]),
      );

    it('converts a EUR order at its day rate and earns the rebate in USD exactly', async () => {
      const res = await post('EUR-1', {});
      expect(res.status, res.text).toBe(201);
      // EUR 10,000.00 at 1.0712 = USD 10,712.00; 4% = USD 428.48; new business 8% = USD 856.96.
      expect(res.body).toMatchObject({
        currency: 'USD',
        totalMinor: 1_071_200,
        originalCurrency: 'EUR',
        originalTotalMinor: 1_000_000,
      });
      const [line] = res.body.lines as Line[];
      expect(line).toMatchObject({
        currency: 'USD',
        amountMinor: 1_071_200,
        unitPriceMinor: 1_071_200,
        originalCurrency: 'EUR',
        originalAmountMinor: 1_000_000,
        originalUnitPriceMinor: 1_000_000,
        fxRate: '1.0712',
        fxRateDay: '2017-03-01',
        fxRateSource: 'direct',
      });
      expect(await payable(line!.id)).toEqual({ 'base-rebate': 42_848, 'new-business': 85_696 });
      // The order API shows the same, read back.
      const read = await admin('GET', `/api/orders/${res.body.id as string}`);
      expect(read.status).toBe(200);
      expect((read.body.lines as Line[])[0]).toMatchObject({
        fxRate: '1.0712',
        originalAmountMinor: 1_000_000,
      });
      // Its ledger says both amounts: what was invoiced, the rate, the converted base, the rebate.
      const ledger = await admin('GET', `/api/orders/${res.body.id as string}/ledger`);
      expect(ledger.status).toBe(200);
      const base = (ledger.body.items as { component: string; account: string; explanation: string }[]).find(
        (l) => l.component === 'base-rebate' && l.account === 'partner:rebate-payable',
      )!;
      expect(base.explanation).toMatch(
        /: EUR 10,000\.00 at 1\.0712 = USD 10,712\.00; 4% \(titanium, storage\) = USD 428\.48 on line /,
      );
      // Replaying the same EUR content is a replay; the same key in USD is a conflict.
      expect((await post('EUR-1', {})).status).toBe(200);
      expect((await post('EUR-1', { currency: 'USD' })).status).toBe(409);
    });

    it('converts line by line, half to even, and the total is the sum of the converted lines', async () => {
      // 3 x EUR 0.05 at 1.05 = 0.1575 -> 16 cents (15.75); 1 x EUR 0.10 at 1.05 = 10.5 -> 10 (even).
      const res = await post('EUR-2', {
        orderDate: '2017-03-02',
        lines: [
          { productId: 'prd_stor', quantity: 3, unitPriceMinor: 5 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 10 },
        ],
      });
      expect(res.status, res.text).toBe(201);
      const lines = res.body.lines as Line[];
      expect(lines.map((l) => l.amountMinor)).toEqual([16, 10]);
      expect(lines.map((l) => l.amountMinor)).toEqual([byHand(15, '1.05'), byHand(10, '1.05')]);
      expect(res.body.totalMinor).toBe(26);
      expect(res.body.originalTotalMinor).toBe(25);
    });

    it('converts a return at the rate of the line it returns, cancelling its sale to the cent', async () => {
      const sale = await post('EUR-S', {
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        lines: [{ productId: 'prd_stor', quantity: 3, unitPriceMinor: 333_333 }],
      });
      // cus_globex is in the US: EUR is not accepted there.
      expect(sale.status).toBe(400);
      expect(sale.body.errors).toEqual([
        {
          location: 'body.currency',
          message: 'EUR is not accepted for orders in US under dell-emc-partner-program FY18; accepted: USD',
        },
      ]);
      const sold = await post('EUR-S2', {
        orderDate: '2017-03-01',
        lines: [{ productId: 'prd_stor', quantity: 3, unitPriceMinor: 333_333 }],
      });
      expect(sold.status, sold.text).toBe(201);
      const soldLine = (sold.body.lines as Line[])[0]!;
      // 999,999 x 1.0712 = 1,071,198.9288 -> 1,071,199.
      expect(soldLine.amountMinor).toBe(1_071_199);
      const soldEarned = await payable(soldLine.id);
      // June's rate is 1.1234: the return still converts at 1.0712.
      const ret = await post('EUR-R', {
        orderDate: '2017-06-01',
        lines: [{ productId: 'prd_stor', quantity: -3, unitPriceMinor: 333_333, returnsLineId: soldLine.id }],
      });
      expect(ret.status, ret.text).toBe(201);
      const retLine = (ret.body.lines as Line[])[0]!;
      expect(retLine).toMatchObject({
        amountMinor: -1_071_199,
        fxRate: '1.0712',
        fxRateDay: '2017-03-01',
        originalAmountMinor: -999_999,
      });
      const clawed = await payable(retLine.id);
      expect(clawed['base-rebate']).toBe(-(soldEarned['base-rebate'] ?? 0));
      // A return of a EUR line in USD is refused.
      const usd = await post('EUR-R2', {
        orderDate: '2017-06-01',
        currency: 'USD',
        lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 100, returnsLineId: soldLine.id }],
      });
      expect(usd.status).toBe(400);
      expect(usd.body.detail).toMatch(/returns a line invoiced in EUR/);
    });

    it('bridges a missing rate with the last known within the window, and refuses beyond it', async () => {
      // No rate on 2017-03-05; 2017-03-02 is 3 days before.
      const bridged = await post('EUR-B', { orderDate: '2017-03-05' });
      expect(bridged.status, bridged.text).toBe(201);
      expect((bridged.body.lines as Line[])[0]).toMatchObject({
        fxRate: '1.05',
        fxRateDay: '2017-03-02',
        amountMinor: 1_050_000,
      });
      const before = Number(
        (
          await t.store.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const late = await post('EUR-L', { orderDate: '2017-03-08' });
      expect(late.status).toBe(400);
      expect(late.body.errors).toEqual([
        {
          location: 'body.currency',
          message:
            'no EUR/USD rate for 2017-03-08, nor within the 5 days before it (dell-emc-partner-program FY18 bridges up to 5 days); load the rate (trellis rates import)',
        },
      ]);
      const after = Number(
        (
          await t.store.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(after).toBe(before);
    });

    it('refuses a missing rate when the program refuses one', async () => {
      const vmw = client(app, await signIn(app, 'admin@vmware.test'));
      const res = await vmw('POST', '/api/orders', {
        source: 'erp',
        externalId: 'VM-EUR-1',
        orderDate: '2021-06-01',
        currency: 'EUR',
        customerId: 'cus_vacme',
        channel: 'partner',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_vsp', quantity: 1, unitPriceMinor: 100_000 }],
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors).toEqual([
        {
          location: 'body.currency',
          message: expect.stringMatching(
            /^no EUR\/USD rate for 2021-06-01, and vmware-partner-connect \S+ refuses a missing rate/,
          ) as unknown,
        },
      ]);
    });

    it('decides a direct EUR order on its converted total, in the program currency', async () => {
      const res = await post('EUR-D', {
        channel: 'direct',
        resellerId: undefined,
        customerId: 'cus_acme',
        orderDate: '2017-03-02',
        lines: [{ productId: 'prd_srv', quantity: 2, unitPriceMinor: 123_457 }],
      });
      // EUR 2,469.14 at 1.05 = USD 2,592.597 -> USD 2,592.60.
      expect([201, 202], res.text).toContain(res.status);
      const routed = await t.store.db
        .selectFrom('routedOrders')
        .select(['totalMinor', 'currency'])
        .where('externalId', '=', 'EUR-D')
        .executeTakeFirstOrThrow();
      expect(routed).toEqual({ totalMinor: 259_260, currency: 'USD' });
      if (res.status === 201)
        expect(res.body).toMatchObject({ totalMinor: 259_260, originalTotalMinor: 246_914 });
      else {
        // Offered to a partner: the total in the program's currency, each unit price in the invoiced one.
        const offers = await admin('GET', '/api/offers');
        const offer = (
          offers.body.items as { totalMinor: number; currency: string; lines: { currency: string }[] }[]
        ).find((o) => o.totalMinor === 259_260);
        expect(offer).toMatchObject({
          currency: 'USD',
          lines: [{ unitPriceMinor: 123_457, currency: 'EUR' }],
        });
      }
    });

    it('converts a GBP order through the cross rate of EUR/USD and EUR/GBP', async () => {
      const res = await post('GBP-1', {
        orderDate: '2017-09-04',
        currency: 'GBP',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 100_000 }],
      });
      expect(res.status, res.text).toBe(201);
      // GBP/USD = 1.2 / 0.84 = 1.428571428571... -> 1.4285714286 (10 decimals, half to even);
      // GBP 1,000.00 x 1.4285714286 = USD 1,428.5714286 -> 142,857 cents.
      expect((res.body.lines as Line[])[0]).toMatchObject({
        fxRate: '1.4285714286',
        fxRateSource: 'cross:EUR',
        amountMinor: 142_857,
        originalCurrency: 'GBP',
      });
      // Its ledger sentences carry the ten-decimal rate (a message parameter of 10 digits).
      const ledger = await admin('GET', `/api/orders/${res.body.id as string}/ledger`);
      expect(ledger.status, ledger.text).toBe(200);
      expect(
        (ledger.body.items as { explanation: string }[]).some((i) =>
          i.explanation.includes('GBP 1,000.00 at 1.4285714286 = USD 1,428.57'),
        ),
      ).toBe(true);
    });

    it('refuses an unknown currency code and one the program does not accept, naming where', async () => {
      const unknown = await post('BAD-1', { currency: 'XQX' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toContainEqual({
        location: 'body.currency',
        message: 'unknown currency "XQX"; expected an ISO 4217 code such as "EUR"',
      });
      const chf = await post('BAD-2', { currency: 'CHF' });
      expect(chf.status).toBe(400);
      expect(chf.body.errors).toContainEqual({
        location: 'body.currency',
        message:
          'CHF is not accepted for orders in GB under dell-emc-partner-program FY18; accepted: USD, EUR, GBP',
      });
    });

    it('exports order lines as CSV, each amount column saying its currency', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/orders/export?from=2017-03-01&to=2017-03-01&channel=partner',
        headers: { cookie: (await signIn(app, 'admin@dell.test')).cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...rows] = res.body.trimEnd().split('\n');
      expect(header).toBe(
        'order_id,source,external_id,order_date,channel,customer_id,reseller_id,distributor_id,country,line_id,line_no,product_id,family,quantity,program_currency,program_unit_price,program_amount,original_currency,original_unit_price,original_amount,rate,rate_day,rate_source,returns_line_id',
      );
      const eur = rows.find((r) => r.includes(',EUR-1,'));
      expect(eur).toMatch(
        /,erp,EUR-1,2017-03-01,partner,cus_acme,ptn_bravo,,GB,oln_\w+,1,prd_stor,storage,1,USD,10712\.00,10712\.00,EUR,10000\.00,10000\.00,1\.0712,2017-03-01,direct,$/,
      );
      // A line in the program's currency leaves the original columns empty.
      const usd = await post('USD-X', { currency: 'USD' });
      expect(usd.status, usd.text).toBe(201);
      const again = await app.inject({
        method: 'GET',
        url: '/api/orders/export?customer=cus_acme&from=2017-03-01&to=2017-03-01',
        headers: { cookie: (await signIn(app, 'admin@dell.test')).cookie },
      });
      expect(again.body.split('\n').find((r) => r.includes(',USD-X,'))).toMatch(
        /,USD,10000\.00,10000\.00,,,,,,,$/,
      );
    });

    it('imports EUR orders with the same lines and accruals as posting them one by one', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              unit: fc.integer({ min: 0, max: 5_000_000 }),
              quantity: fc.integer({ min: 1, max: 5 }),
              rate: fc
                .integer({ min: 1, max: 30_000_000 })
                .map((n) => `${Math.floor(n / 10_000_000)}.${String(n % 10_000_000).padStart(7, '0')}`),
              returns: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          async (orders) => {
            const rated = orders.map((o) => {
              // Partial returns of the sale, while units are left to return (the last may take them all).
              const backs: number[] = [];
              let left = o.quantity;
              for (const q of o.returns) {
                if (left === 0) break;
                backs.push(Math.min(q, left));
                left -= Math.min(q, left);
              }
              return { ...o, backs, rate: o.rate.startsWith('0.0000000') ? '1.5' : o.rate };
            });
            const stores = await Promise.all([openTestStore(kind), openTestStore(kind)]);
            try {
              const [one, bulk] = stores.map((s) => createContext(s.store)) as [AppContext, AppContext];
              const writer = async () =>
                actingAs(one, 'admin@dell.test', { resource: 'order', action: 'write' }, 'ordering');
              const days = rated.map((_, i) => `2017-10-${String(i * 2 + 2).padStart(2, '0')}`);
              for (const [i, c] of [one, bulk].entries()) {
                const f = await loadFixture(c);
                await withExchange(stores[i]!.store.db, f.dell.programId, DELL_EXCHANGE);
                await addRates(
                  stores[i]!.store.db,
                  f.dell.vendorId,
                  rated.map((o, k) => ['EUR', 'USD', days[k]!, o.rate]),
                );
              }
              const money = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
              let csv =
                'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_line_id,returns_external_id,returns_line_no\n';
              for (const [i, o] of rated.entries()) {
                csv += `prop,S-${i},${days[i]},EUR,cus_acme,,partner,ptn_bravo,,prd_stor,${o.quantity},${money(o.unit)},,,\n`;
                for (const [k, back] of o.backs.entries())
                  csv += `prop,R-${i}-${k},${days[i]},EUR,cus_acme,,partner,ptn_bravo,,prd_stor,${-back},${money(o.unit)},,S-${i},1\n`;
              }
              const imported = await importOrders(bulk, SYSTEM, Readable.from([csv]), {
                vendor: 'dell',
                name: 'eur.csv',
              });
              expect(imported.ok, JSON.stringify(imported.problems)).toBe(true);
              const who = await writer();
              for (const [i, o] of rated.entries()) {
                const sale = await ingestOrder(one, who, {
                  vendor: 'dell',
                  source: 'prop',
                  externalId: `S-${i}`,
                  orderDate: days[i]!,
                  currency: 'EUR',
                  customerId: 'cus_acme',
                  channel: 'partner',
                  resellerId: 'ptn_bravo',
                  lines: [{ productId: 'prd_stor', quantity: o.quantity, unitPriceMinor: o.unit }],
                });
                expect(sale.status).toBe('created');
                for (const [k, back] of o.backs.entries())
                  expect(
                    (
                      await ingestOrder(one, who, {
                        vendor: 'dell',
                        source: 'prop',
                        externalId: `R-${i}-${k}`,
                        orderDate: days[i]!,
                        currency: 'EUR',
                        customerId: 'cus_acme',
                        channel: 'partner',
                        resellerId: 'ptn_bravo',
                        lines: [
                          {
                            productId: 'prd_stor',
                            quantity: -back,
                            unitPriceMinor: o.unit,
                            returnsLineId: sale.status === 'created' ? sale.order.lines[0]!.id : '',
                          },
                        ],
                      })
                    ).status,
                  ).toBe('created');
              }
              const view = async (db: Kysely<Database>) => {
                const lines = await db
                  .selectFrom('orderLines as l')
                  .innerJoin('orders as o', 'o.id', 'l.orderId')
                  .select([
                    'o.externalId',
                    'o.totalMinor',
                    'o.originalTotalMinor',
                    'l.quantity',
                    'l.amountMinor',
                    'l.unitPriceMinor',
                    'l.originalAmountMinor',
                    'l.fxRate',
                    'l.fxRateDay',
                    'l.fxRateSource',
                  ])
                  .where('o.source', '=', 'prop')
                  .orderBy('o.externalId')
                  .execute();
                const legs = await sql<{ account: string; component: string; s: number | string }>`
                  select l.account, l.component, sum(l.amount_minor) as s from ledger_legs l
                  join order_lines ol on ol.id = l.line_id join orders o on o.id = ol.order_id
                  where o.source = 'prop' group by l.account, l.component order by l.account, l.component`.execute(
                  db,
                );
                const unbalanced = await sql<{ n: number | string }>`
                  select count(*) as n from (select transaction_id from ledger_legs group by transaction_id
                  having sum(amount_minor) <> 0) x`.execute(db);
                return {
                  lines,
                  legs: legs.rows.map((r) => [r.account, r.component, Number(r.s)]),
                  unbalanced: Number(unbalanced.rows[0]?.n),
                };
              };
              const a = await view(one.store.db);
              const b = await view(bulk.store.db);
              expect(b).toEqual(a);
              expect(a.unbalanced).toBe(0);
              // Each line is its original amount at its rate, by hand; a return uses its sale's rate.
              for (const [i, o] of rated.entries()) {
                const sale = a.lines.find((l) => l.externalId === `S-${i}`)!;
                expect(sale.fxRate).toBe(o.rate.replace(/0+$/, '').replace(/\.$/, ''));
                expect(sale.amountMinor).toBe(byHand(o.quantity * o.unit, sale.fxRate!));
                expect(sale.totalMinor).toBe(sale.amountMinor);
                const rets = o.backs.map((_, k) => a.lines.find((l) => l.externalId === `R-${i}-${k}`)!);
                let returned = 0;
                for (const ret of rets) {
                  expect(ret.fxRate).toBe(sale.fxRate);
                  returned -= ret.quantity;
                  // Every return but the one taking the last unit is its own amount at the rate.
                  if (returned < o.quantity || o.unit === 0)
                    expect(ret.amountMinor).toBe(byHand(ret.quantity * o.unit, sale.fxRate!));
                }
                // Returns that take back the whole sale cancel it to the cent, however many they are.
                if (returned === o.quantity)
                  expect(rets.reduce((sum, r) => sum + r.amountMinor, sale.amountMinor)).toBe(0);
              }
            } finally {
              for (const s of stores) await s.cleanup();
            }
          },
        ),
        { numRuns: kind === 'sqlite' ? 6 : 3 },
      );
    }, 120_000);
  });
}
