import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { csvBatches } from '../../src/app/csv/read-csv.js';
import { isFormulaLike } from '../../src/core/shared/csv.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Session } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const HEADER =
  'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_line_id,returns_external_id,returns_line_no';

/**
 * Returns priced far above their sale: each claws back only what is left of what the sale earned (the
 * clawback limit), the same in the import as in real time; the sale is in the same file.
 */
const OVERPRICED = [
  HEADER,
  'erp,S-1,2017-03-01,USD,cus_acme,,partner,ptn_bravo,,prd_srv,3,110.00,,,',
  'erp,S-R1,2017-03-20,USD,cus_acme,,partner,ptn_bravo,,prd_srv,-1,900.00,,S-1,1',
  'erp,S-R2,2017-03-21,USD,cus_acme,,partner,ptn_bravo,,prd_srv,-2,900.00,,S-1,1',
].join('\n');

/** Rows for the equivalence test: partner, sell-out and direct orders, repeat customers, returns. */
const MIXED = [
  HEADER,
  // Bravo (Titanium) lands Acme: new business on storage and servers.
  'erp,M-1,2017-03-01,USD,cus_acme,ACME Corp.,partner,ptn_bravo,,prd_stor,2,45000.00,,,',
  'erp,M-1,2017-03-01,USD,cus_acme,ACME Corp.,partner,ptn_bravo,,prd_srv,3,11000.00,,,',
  // The same day again: still new business (purchases strictly before the order date count).
  'erp,M-2,2017-03-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,1.00,,,',
  // Later: no longer new business; Alpha is exclusive (x1.25).
  'erp,M-3,2017-05-10,USD,cus_acme,,partner,ptn_alpha,,prd_srv,4,12000.50,,,',
  // An order dated before M-3 but later in the file: M-3 did not count it, it counts M-1.
  'erp,M-4,2017-04-01,USD,cus_globex,,partner,ptn_bravo,,prd_stor,1,50000.00,,,',
  // Distributor sell-out to Bravo (Bravo earns).
  'pos:ptn_dist,POS-1,2017-06-15,USD,cus_globex,Globex,distributor,ptn_bravo,ptn_dist,prd_srv,2,12000.00,,,',
  // A direct order for Globex, channel-exclusive to Bravo: routed to Bravo, not booked (in both paths).
  'erp,D-1,2017-07-01,USD,cus_globex,,direct,,,prd_stor,1,50000.00,,,',
  // A return of M-1's storage line, by external id and line number, next quarter.
  'erp,R-1,2017-08-02,USD,cus_acme,,partner,ptn_bravo,,prd_stor,-1,45000.00,,M-1,1',
  // A return of a fixture line by id (ord_a1 line 2: servers to Acme through Alpha).
  'erp,R-2,2017-08-03,USD,cus_acme,,partner,ptn_alpha,,prd_srv,-1,12000.00,oln_a12,,',
  // Q4: a multi-line order with a zero-priced line.
  'erp,M-5,2017-11-20,USD,cus_globex,,partner,ptn_alpha,,prd_srv,1,0,,,',
  'erp,M-5,2017-11-20,USD,cus_globex,,partner,ptn_alpha,,prd_stor,5,49999.99,,,',
].join('\n');

interface OrderBody {
  source: string;
  externalId: string;
  orderDate: string;
  currency: string;
  customerId: string;
  endUserName?: string;
  channel: string;
  resellerId: string | null;
  distributorId: string | null;
  lines: { productId: string; quantity: number; unitPriceMinor: number; returnsLineId?: string }[];
  returnsRef: ({ externalId: string; lineNo: number } | null)[];
}

/** The CSV above as POST /api/orders bodies (returns by reference are resolved when posting). */
function ordersOf(csv: string): OrderBody[] {
  const [head, ...rows] = csv.split('\n');
  const cols = (head ?? '').split(',');
  const orders: OrderBody[] = [];
  for (const row of rows) {
    const f = Object.fromEntries(row.split(',').map((v, i) => [cols[i], v])) as Record<string, string>;
    let o = orders.at(-1);
    if (!o || o.externalId !== f.external_id || o.source !== f.source) {
      o = {
        source: f.source!,
        externalId: f.external_id!,
        orderDate: f.order_date!,
        currency: f.currency!,
        customerId: f.customer_id!,
        ...(f.end_user_name ? { endUserName: f.end_user_name } : {}),
        channel: f.channel!,
        resellerId: f.reseller_id || null,
        distributorId: f.distributor_id || null,
        lines: [],
        returnsRef: [],
      };
      orders.push(o);
    }
    const [whole, cents = ''] = f.unit_price!.split('.');
    o.lines.push({
      productId: f.product_id!,
      quantity: Number(f.quantity),
      unitPriceMinor: Number(whole + cents.padEnd(2, '0')),
      ...(f.returns_line_id ? { returnsLineId: f.returns_line_id } : {}),
    });
    o.returnsRef.push(
      f.returns_external_id ? { externalId: f.returns_external_id, lineNo: Number(f.returns_line_no) } : null,
    );
  }
  return orders;
}

function csvCall(app: Server, who: Session | { bearer: string }) {
  return async (url: string, csv: string) => {
    const headers: Record<string, string> = { 'content-type': 'text/csv' };
    if ('cookie' in who) {
      headers.cookie = who.cookie;
      headers['x-csrf-token'] = who.csrf;
    } else headers.authorization = `Bearer ${who.bearer}`;
    const res = await app.inject({ method: 'POST', url, headers, payload: csv });
    if (res.statusCode !== 202)
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    // The import runs as a job: answer as the request did, with its result or its problem.
    const { 'content-type': _type, ...auth } = headers;
    const done = await awaitJob(async (method, jobUrl) => {
      const r = await app.inject({ method, url: jobUrl, headers: auth });
      return { status: r.statusCode, type: '', headers: r.headers, body: r.json(), text: r.body };
    }, String(res.headers.location));
    const job = done.body;
    expect(job.kind).toBe('import-orders');
    if (job.status === 'succeeded') return { status: 200, body: job.result as Record<string, unknown> };
    const error = job.error as Record<string, unknown>;
    return { status: Number(error.status), body: error };
  };
}

/**
 * The ledger, orders and lines of a store without ids or times: every line and order id (also inside
 * explanations and keys) is replaced by its order's source/external id and line number; vendor and
 * program ids by their slug and code.
 */
async function snapshot(t: TestStore) {
  const db = t.store.db;
  const lines = await db
    .selectFrom('orderLines as l')
    .innerJoin('orders as o', 'o.id', 'l.orderId')
    .select(['l.id', 'o.source', 'o.externalId', 'l.lineNo'])
    .execute();
  const names = new Map(lines.map((l) => [l.id, `${l.source}/${l.externalId}#${l.lineNo}`]));
  const orders = new Map(
    (await db.selectFrom('orders').select(['id', 'source', 'externalId']).execute()).map((o) => [
      o.id,
      `${o.source}/${o.externalId}`,
    ]),
  );
  const programs = new Map(
    (await db.selectFrom('programs').select(['id', 'code']).execute()).map((p) => [p.id, p.code]),
  );
  const vendors = new Map(
    (await db.selectFrom('vendors').select(['id', 'slug']).execute()).map((v) => [v.id, v.slug]),
  );
  const scrub = (text: string) =>
    text
      .replace(/oln_[0-9a-z]+/g, (id) => names.get(id) ?? id)
      .replace(/ord_[0-9a-z]+/g, (id) => orders.get(id) ?? id);
  const txs = await db.selectFrom('ledgerTransactions').selectAll().execute();
  const txKey = new Map(txs.map((x) => [x.id, scrub(x.idempotencyKey)]));
  const transactions = txs
    .map((x) => ({
      kind: x.kind,
      key: scrub(x.idempotencyKey).replace(x.programId, programs.get(x.programId) ?? ''),
      inputHash: x.inputHash,
      order: orders.get(x.orderId ?? '') ?? null,
      vendor: vendors.get(x.vendorId),
      partner: x.partnerId,
      program: programs.get(x.programId),
      effectiveDate: x.effectiveDate,
      period: x.period,
      reverses: x.reversesId,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const entries = (await db.selectFrom('ledgerLegs').selectAll().execute())
    .map(({ id: _id, transactionId, lineId, vendorId, programId, explanation, ...rest }) => ({
      ...rest,
      transaction: txKey.get(transactionId)?.replace(programId, programs.get(programId) ?? ''),
      line: lineId ? names.get(lineId) : null,
      vendor: vendors.get(vendorId),
      program: programs.get(programId),
      explanation: explanation === null ? null : scrub(explanation),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  // An order's input hash covers the ids of the lines it returns, which differ between stores.
  const returning = new Set(
    (
      await db.selectFrom('orderLines').select('orderId').where('returnsLineId', 'is not', null).execute()
    ).map((l) => l.orderId),
  );
  const orderRows = (await db.selectFrom('orders').selectAll().execute())
    .map(({ id, createdAt: _c, vendorId, inputHash, ...rest }) => ({
      ...rest,
      inputHash: returning.has(id) ? 'covers line ids' : inputHash,
      vendor: vendors.get(vendorId),
    }))
    .sort((a, b) => `${a.source}/${a.externalId}`.localeCompare(`${b.source}/${b.externalId}`));
  const lineRows = (await db.selectFrom('orderLines').selectAll().execute())
    .map(({ id, orderId: _o, vendorId: _v, returnsLineId, ...rest }) => ({
      ...rest,
      name: names.get(id),
      returns: returnsLineId ? names.get(returnsLineId) : null,
    }))
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return { transactions, entries, orders: orderRows, lines: lineRows };
}

const count = async (
  t: TestStore,
  table: 'orders' | 'orderLines' | 'ledgerLegs' | 'ledgerTransactions' | 'jobs',
) =>
  Number(
    (
      await t.store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function world(kind: (typeof STORE_KINDS)[number]) {
  const t = await openTestStore(kind);
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
  const app = await buildServer(ctx);
  return { t, app };
}

/*
 * Without an index on customers' lines the import reads the vendor's purchases once and real-time
 * accrual finds earlier purchases through the vendor's orders by date; with one, each chunk reads its new
 * customers' purchases and real-time accrual reads the customer's lines. All must give the same ledger.
 */
for (const kind of STORE_KINDS)
  describe(`order import with an index on customers' lines on ${kind}`, () => {
    it('writes exactly the ledger that posting the same orders one by one writes', async () => {
      const other = await world(kind);
      let expected: Awaited<ReturnType<typeof snapshot>>;
      try {
        await customerIndex(other.t);
        expected = await postOneByOne(other.app, other.t);
      } finally {
        await other.app.close();
        await other.t.cleanup();
      }
      const mine = await world(kind);
      try {
        await customerIndex(mine.t);
        const imported = await csvCall(mine.app, await signIn(mine.app, 'admin@dell.test'))(
          '/api/imports/orders',
          MIXED,
        );
        expect(imported.status, JSON.stringify(imported.body)).toBe(200);
        const a = await snapshot(mine.t);
        expect(a.orders).toEqual(expected.orders);
        expect(a.lines).toEqual(expected.lines);
        expect(a.transactions).toEqual(expected.transactions);
        expect(a.entries).toEqual(expected.entries);
      } finally {
        await mine.app.close();
        await mine.t.cleanup();
      }
    });

    it('limits the clawback of returns priced above their sale exactly as real time does', async () => {
      const other = await world(kind);
      let expected: Awaited<ReturnType<typeof snapshot>>;
      try {
        expected = await postOneByOne(other.app, other.t, OVERPRICED);
      } finally {
        await other.app.close();
        await other.t.cleanup();
      }
      const mine = await world(kind);
      try {
        const imported = await csvCall(mine.app, await signIn(mine.app, 'admin@dell.test'))(
          '/api/imports/orders',
          OVERPRICED,
        );
        expect(imported.status, JSON.stringify(imported.body)).toBe(200);
        const a = await snapshot(mine.t);
        expect(a.entries).toEqual(expected.entries);
        expect(a.transactions).toEqual(expected.transactions);
        // The sale earned 3% base (USD 9.90) + 8% new business; the first return would claw back 3% of
        // USD 900 but is limited to the USD 9.90 of base the sale earned; the second finds nothing left.
        const byLine = new Map<string, number>();
        for (const e of a.entries)
          if (e.account === 'partner:rebate-payable' && e.line)
            byLine.set(e.line, (byLine.get(e.line) ?? 0) - Number(e.amountMinor));
        expect([...byLine]).toEqual([
          ['erp/S-1#1', 3630],
          ['erp/S-R1#1', -990],
        ]);
      } finally {
        await mine.app.close();
        await mine.t.cleanup();
      }
    });
  });

/** The index on customers' lines the shipped migrations do not have (yet). */
async function customerIndex(t: TestStore) {
  await sql`create index order_lines_customer_test_ix on order_lines (vendor_id, customer_id, order_date)`.execute(
    t.store.db,
  );
}

/** Posts the orders of MIXED one by one through POST /api/orders, in file order, and snapshots the store. */
async function postOneByOne(app: Server, t: TestStore, csv = MIXED) {
  const poster = client(app, await signIn(app, 'admin@dell.test'));
  const posted = new Map<string, string[]>();
  for (const { returnsRef, ...o } of ordersOf(csv)) {
    const lines = o.lines.map((l, i) => {
      const ref = returnsRef[i];
      return ref ? { ...l, returnsLineId: posted.get(ref.externalId)?.[ref.lineNo - 1] } : l;
    });
    const res = await poster('POST', '/api/orders', { ...o, lines });
    // A direct order for a channel customer is routed to its partner (202): held, not booked.
    if (res.status === 202) continue;
    if (res.status !== 201) throw new Error(`posting ${o.externalId}: ${res.status} ${res.text}`);
    posted.set(
      o.externalId,
      (res.body.lines as { id: string }[]).map((l) => l.id),
    );
  }
  return snapshot(t);
}

for (const kind of STORE_KINDS) {
  describe(`order import through the API on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let admin: ReturnType<typeof csvCall>;
    let adminJson: ReturnType<typeof client>;

    let expected: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      // The orders of MIXED posted one by one through POST /api/orders, in file order, into a store of
      // their own (closed before the import's store opens: one PostgreSQL test schema at a time).
      const other = await world(kind);
      try {
        expected = await postOneByOne(other.app, other.t);
      } finally {
        await other.app.close();
        await other.t.cleanup();
      }
      ({ t, app } = await world(kind));
      const session = await signIn(app, 'admin@dell.test');
      admin = csvCall(app, session);
      adminJson = client(app, session);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('writes exactly the ledger that posting the same orders one by one writes', async () => {
      const imported = await admin('/api/imports/orders', MIXED);
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(imported.body).toMatchObject({
        rows: 11,
        orders: { created: 8, replayed: 0, rejected: 0, routed: 1 },
        lines: { created: 10, rejected: 0 },
      });

      const a = await snapshot(t);
      expect(a.transactions.length).toBeGreaterThan(5);
      expect(a.entries.some((e) => e.component === 'new-business')).toBe(true);
      expect(a.transactions.some((x) => x.kind === 'accrual-return')).toBe(true);
      expect(a.orders).toEqual(expected.orders);
      expect(a.lines).toEqual(expected.lines);
      expect(a.transactions).toEqual(expected.transactions);
      expect(a.entries).toEqual(expected.entries);
    });

    it('changes nothing when the same file is imported again, and refuses other content under a known key', async () => {
      const before = await count(t, 'ledgerLegs');
      const again = await admin('/api/imports/orders', MIXED);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ orders: { created: 0, replayed: 9, rejected: 0, routed: 0 } });
      expect(await count(t, 'ledgerLegs')).toBe(before);

      const changed = await admin(
        '/api/imports/orders',
        `${HEADER}\nerp,M-2,2017-03-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,2,1.00,,,`,
      );
      expect(changed.status).toBe(400);
      expect(changed.body.errors).toEqual([
        {
          location: 'row 2, column external_id',
          message: expect.stringMatching(/already exists with other content/),
        },
      ]);
    });

    it('stores nothing when any row is bad, naming each row, column and reason', async () => {
      const before = await count(t, 'orderLines');
      const res = await admin(
        '/api/imports/orders',
        [
          HEADER,
          'erp,B-0,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,B-1,2017-06-01,USD,cus_acme,,partner,ptn_nope,,prd_stor,1,100.00,,,',
          'erp,B-2,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_nope,1,100.00,,,',
          'erp,B-3,2017-06-01,USD,cus_nope,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,B-4,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,-1,100.00,,,',
          'erp,B-5,2017-06-01,CHF,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,B-6,2016-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,B-7,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.001,,,',
          'erp,B-8,2017-06-31,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1.5,100.00,,,',
          'erp,B-9,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,B-9,2017-06-02,USD,cus_acme,,partner,ptn_alpha,,prd_srv,1,100.00,,,',
          'erp,B-10,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,-1,100.00,,NOPE,1',
          'erp,B-11,2017-06-01,USD',
          'erp,B-12,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,"100.00"x,,,',
          'erp,B-13\u0000,2017-06-01,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
        ].join('\n'),
      );
      expect(res.status).toBe(400);
      const errors = res.body.errors as { location: string; message: string }[];
      const at = (location: string) => errors.filter((e) => e.location === location).map((e) => e.message);
      expect(at('row 3, column reseller_id')).toEqual(['unknown partner ptn_nope']);
      expect(at('row 4, column product_id')).toEqual(['unknown product prd_nope']);
      expect(at('row 5, column customer_id')).toEqual(['unknown customer cus_nope']);
      expect(at('row 6, column quantity')[0]).toMatch(/only allowed on a return/);
      expect(at('row 7, column currency')[0]).toMatch(
        /CHF is not accepted for orders in GB under dell-emc-partner-program FY18; accepted: USD, EUR, GBP/,
      );
      expect(at('row 8, column order_date')[0]).toMatch(/outside every program period/);
      expect(at('row 9, column unit_price')[0]).toMatch(/has 3 decimals; this currency has 2/);
      expect(at('row 10, column order_date')[0]).toMatch(/is not a date/);
      expect(at('row 10, column quantity')[0]).toMatch(/not a whole number/);
      expect(at('row 12, column order_date')[0]).toMatch(/differs from "2017-06-01" on line 11/);
      expect(at('row 13, column returns_external_id')[0]).toMatch(/unknown order line erp\/NOPE line 1/);
      expect(at('row 14')).toEqual(['this row has 4 fields, the header 15']);
      expect(at('row 15')[0]).toMatch(/characters after the closing quote/);
      expect(at('row 16')).toEqual(['contains a control character (U+0000)']);
      expect(errors.some((e) => e.location.startsWith('row 2,'))).toBe(false);
      expect(res.body.detail).toMatch(/nothing was stored/);
      expect(await count(t, 'orderLines')).toBe(before);
    });

    it('imports a file with a header and no rows as nothing, and refuses an empty one', async () => {
      const none = await admin('/api/imports/orders', `${HEADER}\n`);
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ rows: 0, orders: { created: 0 } });
      const empty = await admin('/api/imports/orders', '');
      expect(empty.status).toBe(400);
      expect(empty.body.errors).toEqual([
        { location: 'row 1', message: 'the file is empty: it needs a header row' },
      ]);
      const notOrders = await admin('/api/imports/orders', 'email,code\na@b.c,X');
      expect(notOrders.status).toBe(400);
      expect(notOrders.body.detail).toMatch(/the header is not an order file/);
    });

    it('with allowPartial stores the valid orders and returns the rejected rows with why', async () => {
      const res = await admin(
        '/api/imports/orders?allowPartial=true',
        [
          HEADER,
          'erp,P-1,2017-06-05,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,',
          // A formula in a rejected row comes back neutralised (docs/csv-formats.md).
          'erp,P-2,2017-06-05,USD,cus_acme,"=HYPERLINK(""http://x.test"",""y"")",partner,ptn_alpha,,prd_stor,1,100.00,,,',
          'erp,P-2,2017-06-05,USD,cus_acme,"=HYPERLINK(""http://x.test"",""y"")",partner,ptn_alpha,,prd_nope,1,100.00,,,',
          'erp,P-3,2017-06-05,USD,cus_acme,"Acme, Inc.",partner,ptn_alpha,,prd_srv,2,10.00,,,',
        ].join('\n'),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        orders: { created: 2, replayed: 0, rejected: 1 },
        lines: { created: 2, rejected: 2 },
        allowPartial: true,
      });
      const rejected = res.body.rejected as { errors: unknown[]; csv: string };
      expect(rejected.errors).toEqual([
        { location: 'row 4, column product_id', message: 'unknown product prd_nope' },
      ]);
      expect(rejected.csv.split('\n')).toEqual([
        `${HEADER},error`,
        `erp,P-2,2017-06-05,USD,cus_acme,"'=HYPERLINK(""http://x.test"",""y"")",partner,ptn_alpha,,prd_stor,1,100.00,,,,rejected with its order (line 4: unknown product prd_nope)`,
        `erp,P-2,2017-06-05,USD,cus_acme,"'=HYPERLINK(""http://x.test"",""y"")",partner,ptn_alpha,,prd_nope,1,100.00,,,,product_id: unknown product prd_nope`,
        '',
      ]);
      for await (const batch of csvBatches([rejected.csv]))
        for (const record of batch.records) for (const c of record) expect(isFormulaLike(c), c).toBe(false);
      const stored = await adminJson('GET', '/api/orders?customer=cus_acme&from=2017-06-05&to=2017-06-05');
      expect(
        (stored.body.items as { externalId: string; endUserName: string }[]).map((o) => o.externalId).sort(),
      ).toEqual(['P-1', 'P-3']);
    });

    it('checks without storing on a dry run, and audits each import once with its counts', async () => {
      const before = await count(t, 'orders');
      const dry = await admin(
        '/api/imports/orders?dryRun=true',
        `${HEADER}\nerp,DRY-1,2017-06-05,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,`,
      );
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, orders: { created: 1 } });
      expect(await count(t, 'orders')).toBe(before);
      const audit = await adminJson('GET', '/api/audit?action=order.import');
      const events = audit.body.items as { detail: Record<string, unknown> }[];
      // The first import and the partial one: an import that stores no order (the replay, the empty
      // one, refused imports and dry runs) writes no audit event.
      expect(events).toHaveLength(2);
      expect(events.map((e) => e.detail.created).sort()).toEqual([2, 8]);
    });

    it('lets a distributor import only its own sell-out', async () => {
      const dist = csvCall(app, await signIn(app, 'ops@delta.test'));
      const sellOut = [
        'external_id,order_date,currency,customer_id,reseller_id,product_id,quantity,unit_price',
        'POS-10,2017-06-20,USD,cus_globex,ptn_bravo,prd_srv,1,12000.00',
      ].join('\n');
      const ok = await dist('/api/imports/orders?vendor=dell', sellOut);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ variant: 'sell-out', orders: { created: 1 } });
      const stored = await adminJson('GET', '/api/orders?distributor=ptn_dist&from=2017-06-20&to=2017-06-20');
      expect(stored.body.items).toEqual([
        expect.objectContaining({ source: 'pos:ptn_dist', externalId: 'POS-10', channel: 'distributor' }),
      ]);

      const before = await count(t, 'orders');
      const foreign = await dist(
        '/api/imports/orders?vendor=dell',
        [
          'external_id,order_date,currency,customer_id,channel,reseller_id,distributor_id,product_id,quantity,unit_price',
          'POS-11,2017-06-21,USD,cus_globex,distributor,ptn_bravo,ptn_dist,prd_srv,1,12000.00',
          'POS-12,2017-06-21,USD,cus_globex,partner,ptn_bravo,,prd_srv,1,12000.00',
        ].join('\n'),
      );
      expect(foreign.status).toBe(403);
      expect(foreign.body.errors).toEqual([expect.objectContaining({ location: 'row 3, column channel' })]);
      expect(await count(t, 'orders')).toBe(before);
      // No vendor named: refused at once, before any job starts (nothing to follow, no job row).
      const jobsBefore = await count(t, 'jobs');
      const unnamed = await dist('/api/imports/orders', sellOut);
      expect(unnamed.status).toBe(400);
      expect(unnamed.body).toMatchObject({ code: 'invalid_input' });
      expect(await count(t, 'jobs')).toBe(jobsBefore);

      const partner = csvCall(app, await signIn(app, 'admin@alpha.test'));
      expect((await partner('/api/imports/orders?vendor=dell', sellOut)).status).toBe(403);
      const auditor = csvCall(app, await signIn(app, 'auditor@dell.test'));
      expect((await auditor('/api/imports/orders', MIXED)).status).toBe(403);
    });

    it('accepts an API token with the orders:write scope, and refuses one without', async () => {
      const erp = await adminJson('POST', '/api/tokens', { name: 'ERP', scopes: ['orders:write'] });
      const reader = await adminJson('POST', '/api/tokens', { name: 'BI', scopes: ['read'] });
      const csv = `${HEADER}\nerp,TOK-1,2017-06-05,USD,cus_acme,,partner,ptn_alpha,,prd_stor,1,100.00,,,`;
      const withScope = await csvCall(app, { bearer: erp.body.token as string })('/api/imports/orders', csv);
      expect(withScope.status).toBe(200);
      const without = await csvCall(app, { bearer: reader.body.token as string })('/api/imports/orders', csv);
      expect(without.status).toBe(403);
      const json = await adminJson('POST', '/api/imports/orders', { rows: [] });
      expect(json.status, json.text).toBe(415);
    });
  });
}
