import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import {
  MAX_LINE_AMOUNT_MINOR,
  MAX_QUANTITY,
  MAX_UNIT_PRICE_MINOR,
  MAX_VENDOR_GROSS_MINOR,
} from '../../src/core/money/limits.js';
import { vendorVolumeRepository } from '../../src/db/repositories/vendor-volume-repository.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply, type Session } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/*
 * The money limits suite (docs/limits.md): orders at and past the limits, through POST /api/orders and
 * the CSV import, are either stored exactly (stored amounts and totals equal the exact BigInt sums) or
 * refused with a 4xx naming the field, never a 500 and never a stored wrong sum; after them every money
 * read (orders by total, a close, statements, earnings, budget pools) still answers 2xx.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const HEADER =
  'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_line_id,returns_external_id,returns_line_no';
const ORDER_DATE = '2017-06-15';
const PERIOD = 'FY18-Q2';

interface Line {
  quantity: number;
  unitPriceMinor: number;
}

/** Quantities and unit prices around every limit, and past 2^53. */
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 12 }),
  fc.constantFrom(MAX_QUANTITY - 1, MAX_QUANTITY, MAX_QUANTITY + 1),
  fc.constantFrom(1000, 1001),
);
const unitPrice = fc.oneof(
  fc.integer({ min: 0, max: 5_000_000 }),
  fc.integer({ min: MAX_UNIT_PRICE_MINOR - 3, max: MAX_UNIT_PRICE_MINOR + 3 }),
  fc.constantFrom(1_000_000_000, 999_999_999, 1_000_000_001),
  fc.constantFrom(MAX_SAFE, MAX_SAFE - 1, 2 ** 52 + 1),
);
/** Lines within the limits but large, so that a few orders reach the vendor limit. */
const bigLine = fc.oneof(
  fc.record({
    quantity: fc.constant(1),
    unitPriceMinor: fc.integer({ min: MAX_LINE_AMOUNT_MINOR / 2, max: MAX_LINE_AMOUNT_MINOR }),
  }),
  fc.record({ quantity: fc.constant(MAX_QUANTITY), unitPriceMinor: fc.integer({ min: 0, max: 1000 }) }),
);
const lines = fc.array(fc.oneof(fc.record({ quantity, unitPriceMinor: unitPrice }), bigLine, bigLine), {
  minLength: 1,
  maxLength: 6,
});

/** What the limits say of a line: null (within) or the field a refusal must name. */
function lineBreaks(l: Line): 'quantity' | 'unitPriceMinor' | null {
  if (l.quantity > MAX_QUANTITY) return 'quantity';
  if (l.unitPriceMinor > MAX_UNIT_PRICE_MINOR) return 'unitPriceMinor';
  if (BigInt(l.quantity) * BigInt(l.unitPriceMinor) > BigInt(MAX_LINE_AMOUNT_MINOR)) return 'unitPriceMinor';
  return null;
}
const grossOf = (ls: readonly Line[]) =>
  ls.reduce((s, l) => s + BigInt(l.quantity) * BigInt(l.unitPriceMinor), 0n);

/** Minor units as the CSV writes money: "12345.67". */
const csvMoney = (minor: number) => {
  const m = BigInt(minor);
  return `${m / 100n}.${(m % 100n).toString().padStart(2, '0')}`;
};

/** Line amounts (quantity 1) that add `gross` to a vendor, each at most the line limit. */
function filler(gross: bigint): number[] {
  const out: number[] = [];
  for (let left = gross; left > 0n; left -= BigInt(out.at(-1) ?? 0))
    out.push(Number(left < BigInt(MAX_LINE_AMOUNT_MINOR) ? left : BigInt(MAX_LINE_AMOUNT_MINOR)));
  return out;
}
/** The room the property tests leave before the vendor limit, so their sample straddles it. */
const ROOM = 12n * BigInt(MAX_LINE_AMOUNT_MINOR);

async function world(kind: (typeof STORE_KINDS)[number]) {
  const t = await openTestStore(kind);
  const ctx = createContext(t.store);
  const { dell } = await loadFixture(ctx);
  // The fixture writes its lines directly: count them in the volumes as the demo loader does.
  await vendorVolumeRepository(t.store.db, t.store).recomputeAll(MAX_VENDOR_GROSS_MINOR);
  const app = await buildServer(ctx);
  return { t, app, dell };
}

/** The stored money of a vendor, read back exactly (as text, no JS number in between). */
async function storedMoney(t: TestStore, vendorId: string) {
  const lines = await t.store.db
    .selectFrom('orderLines')
    .select(['orderId', 'quantity', 'unitPriceMinor', 'amountMinor'])
    .where('vendorId', '=', vendorId)
    .execute();
  const orders = await t.store.db
    .selectFrom('orders')
    .select(['id', 'externalId', 'totalMinor'])
    .where('vendorId', '=', vendorId)
    .execute();
  const volume = await vendorVolumeRepository(t.store.db, t.store).get(vendorId);
  return { lines, orders, volume };
}

/** Every stored line amount is quantity x price, every total the exact sum, the volume the exact gross. */
async function expectExact(t: TestStore, vendorId: string) {
  const { lines, orders, volume } = await storedMoney(t, vendorId);
  const sums = new Map<string, bigint>();
  let gross = 0n;
  for (const l of lines) {
    const amount = BigInt(l.amountMinor);
    expect(amount).toBe(BigInt(l.quantity) * BigInt(l.unitPriceMinor));
    sums.set(l.orderId, (sums.get(l.orderId) ?? 0n) + amount);
    gross += amount < 0n ? -amount : amount;
  }
  for (const o of orders) expect(BigInt(o.totalMinor), o.externalId).toBe(sums.get(o.id) ?? 0n);
  expect(BigInt(volume)).toBe(gross);
  expect(gross <= BigInt(MAX_VENDOR_GROSS_MINOR)).toBe(true);
  return { gross, orders: orders.length };
}

/** After whatever was refused, every money read answers 2xx. */
async function expectReadable(
  admin: ReturnType<typeof client>,
  bravo: ReturnType<typeof client>,
  programId: string,
) {
  for (const who of [admin, bravo])
    for (const direction of ['asc', 'desc']) {
      const page = await who('GET', `/api/orders?sort=total&direction=${direction}&limit=5`);
      expect(page.status, page.text).toBe(200);
      if (page.body.nextCursor) {
        const next = await who(
          'GET',
          `/api/orders?sort=total&direction=${direction}&limit=5&cursor=${String(page.body.nextCursor)}`,
        );
        expect(next.status, next.text).toBe(200);
      }
    }
  // Closes run as jobs: wait for each, and its job must have succeeded (a failed job is its problem).
  const dry = await viaJob(admin, 'POST', '/api/closes', {
    program: 'dell-emc-partner-program',
    period: PERIOD,
    dryRun: true,
  });
  expect(dry.status, dry.text).toBe(200);
  const close = await viaJob(admin, 'POST', '/api/closes', {
    program: 'dell-emc-partner-program',
    period: PERIOD,
  });
  expect(close.status, close.text).toBe(200);
  for (const [who, url] of [
    [admin, '/api/closes?program=dell-emc-partner-program'],
    [admin, `/api/statements?period=${PERIOD}`],
    [bravo, '/api/statements'],
    [bravo, '/api/partners/ptn_bravo/earnings'],
    [admin, '/api/partners/ptn_bravo/earnings'],
    [admin, `/api/programs/${programId}/budget-pools`],
  ] as const) {
    const res = await who('GET', url);
    expect(res.status, `${url}: ${res.text}`).toBe(200);
  }
}

for (const kind of STORE_KINDS) {
  describe(`money limits through POST /api/orders on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;
    let distributor: ReturnType<typeof client>;

    beforeAll(async () => {
      ({ t, app, dell } = await world(kind));
      admin = client(app, await signIn(app, 'admin@dell.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      distributor = client(app, await signIn(app, 'ops@delta.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('refuses two lines of 2^53 - 1 from a distributor, naming each, on every retry, storing nothing', async () => {
      const before = await expectExact(t, dell.vendorId);
      const body = {
        vendor: 'dell',
        source: 'pos:ptn_dist',
        externalId: 'POS-HUGE',
        orderDate: ORDER_DATE,
        currency: 'USD',
        customerId: 'cus_globex',
        channel: 'distributor',
        resellerId: 'ptn_bravo',
        distributorId: 'ptn_dist',
        lines: [
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: MAX_SAFE },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: MAX_SAFE },
        ],
      };
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await distributor('POST', '/api/orders', body);
        expect(res.status, res.text).toBe(400);
        expect(res.type).toContain('application/problem+json');
        const where = (res.body.errors as { location: string }[]).map((e) => e.location);
        expect(where).toEqual(['body.lines.0.unitPriceMinor', 'body.lines.1.unitPriceMinor']);
      }
      expect(await expectExact(t, dell.vendorId)).toEqual(before);
    });

    it('stores each order exactly or refuses it with a 4xx naming the field, at and past every limit', async () => {
      let n = 0;
      const fill = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'FILL',
        orderDate: ORDER_DATE,
        currency: 'USD',
        customerId: 'cus_globex',
        channel: 'partner',
        resellerId: 'ptn_bravo',
        lines: filler(
          BigInt(MAX_VENDOR_GROSS_MINOR) - (await expectExact(t, dell.vendorId)).gross - ROOM,
        ).map((unitPriceMinor) => ({ productId: 'prd_stor', quantity: 1, unitPriceMinor })),
      });
      expect(fill.status, fill.text).toBe(201);
      let { gross } = await expectExact(t, dell.vendorId);
      let accepted = 0;
      let refusedForVolume = 0;
      await fc.assert(
        fc.asyncProperty(lines, fc.boolean(), async (ls, sellOut) => {
          const externalId = `PROP-${++n}`;
          const res = await (sellOut ? distributor : admin)('POST', '/api/orders', {
            ...(sellOut
              ? { vendor: 'dell', source: 'pos:ptn_dist', channel: 'distributor', distributorId: 'ptn_dist' }
              : { source: 'erp', channel: 'partner' }),
            externalId,
            orderDate: ORDER_DATE,
            currency: 'USD',
            customerId: 'cus_globex',
            resellerId: 'ptn_bravo',
            lines: ls.map((l) => ({ productId: 'prd_stor', ...l })),
          });
          expect(res.status, res.text).toBeLessThan(500);
          const broken = ls.map(lineBreaks);
          const orderGross = grossOf(ls);
          if (broken.some((b) => b !== null)) {
            expect(res.status, res.text).toBe(400);
            const where = (res.body.errors as { location: string }[]).map((e) => e.location);
            broken.forEach((b, i) => {
              if (b !== null) expect(where).toContain(`body.lines.${i}.${b}`);
            });
          } else if (gross + orderGross > BigInt(MAX_VENDOR_GROSS_MINOR)) {
            expect(res.status, res.text).toBe(422);
            expect(res.body.errors).toEqual([expect.objectContaining({ location: 'body.lines' })]);
            refusedForVolume++;
          } else {
            expect(res.status, res.text).toBe(201);
            expect(BigInt(res.body.totalMinor as number)).toBe(orderGross);
            gross += orderGross;
            accepted++;
          }
        }),
        { numRuns: 30, seed: 20261202 },
      );
      const after = await expectExact(t, dell.vendorId);
      expect(after.gross).toBe(gross);
      // The sample reaches both sides of every limit: orders stored, refused per line and per vendor.
      expect(accepted).toBeGreaterThan(0);
      expect(refusedForVolume).toBeGreaterThan(0);
    });

    it('stores one of two concurrent orders that fit the vendor limit alone but not together', async () => {
      const { gross } = await expectExact(t, dell.vendorId);
      const room = BigInt(MAX_VENDOR_GROSS_MINOR) - gross;
      expect(room > 2n).toBe(true);
      // Each order takes 60% of the room: either fits, both do not.
      const each = (room * 6n) / 10n;
      const post = (externalId: string) =>
        admin('POST', '/api/orders', {
          source: 'erp',
          externalId,
          orderDate: ORDER_DATE,
          currency: 'USD',
          customerId: 'cus_globex',
          channel: 'partner',
          resellerId: 'ptn_bravo',
          lines: filler(each).map((unitPriceMinor) => ({
            productId: 'prd_stor',
            quantity: 1,
            unitPriceMinor,
          })),
        });
      const answers = await Promise.all([post('RACE-1'), post('RACE-2')]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
      expect((await expectExact(t, dell.vendorId)).gross).toBe(gross + each);
    });

    it('takes 1,000 lines up to the vendor limit exactly, then refuses the order that would pass it', async () => {
      let { gross } = await expectExact(t, dell.vendorId);
      const room = BigInt(MAX_VENDOR_GROSS_MINOR) - gross;
      // 1,000 lines that fill the room to the last minor unit (when there is room for them).
      const per = room / 1000n;
      if (per > 0n && per <= BigInt(MAX_LINE_AMOUNT_MINOR)) {
        const ls = Array.from({ length: 1000 }, (_, i) => ({
          productId: 'prd_stor',
          quantity: 1,
          unitPriceMinor: Number(per + (i === 0 ? room % 1000n : 0n)),
        }));
        const res = await admin('POST', '/api/orders', {
          source: 'erp',
          externalId: 'FILL-1000',
          orderDate: ORDER_DATE,
          currency: 'USD',
          customerId: 'cus_globex',
          channel: 'partner',
          resellerId: 'ptn_bravo',
          lines: ls,
        });
        expect(res.status, res.text).toBe(201);
        expect(BigInt(res.body.totalMinor as number)).toBe(room);
        gross += room;
        expect(gross).toBe(BigInt(MAX_VENDOR_GROSS_MINOR));
      }
      const past = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'PAST-LIMIT',
        orderDate: ORDER_DATE,
        currency: 'USD',
        customerId: 'cus_globex',
        channel: 'partner',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1 }],
      });
      if (gross === BigInt(MAX_VENDOR_GROSS_MINOR)) {
        expect(past.status, past.text).toBe(422);
        expect(past.body.code).toBe('limit_exceeded');
      }
      expect((await expectExact(t, dell.vendorId)).gross).toBe(gross);
    });

    it('still answers every money read with 2xx after the refusals', async () => {
      await expectReadable(admin, bravo, dell.programId);
    });

    it('refuses a dispute adjustment past the limits, asked or accepted, naming the amount', async () => {
      const list = await admin('GET', `/api/statements?partner=ptn_bravo&period=${PERIOD}`);
      const statement = (list.body.items as { id: string }[])[0];
      if (!statement) throw new Error(`no statement for bravo: ${list.text}`);
      expect((await admin('POST', `/api/statements/${statement.id}/issue`, {})).status).toBe(200);
      const lines = await bravo('GET', `/api/statements/${statement.id}/lines`);
      const line = (lines.body.items as { id: string; amountMinor: number }[])[0];
      if (!line) throw new Error(`no line: ${lines.text}`);
      for (const amountMinor of [
        MAX_SAFE,
        -MAX_SAFE,
        2 * Math.max(Math.abs(line.amountMinor), MAX_LINE_AMOUNT_MINOR),
      ]) {
        const res = await bravo('POST', '/api/disputes', {
          statementId: statement.id,
          lineId: line.id,
          reason: 'too little',
          amountMinor,
        });
        expect(res.status, res.text).toBe(400);
        expect((res.body.errors as { location: string }[]).map((e) => e.location)).toContain(
          'body.amountMinor',
        );
      }
      const opened = await bravo('POST', '/api/disputes', {
        statementId: statement.id,
        lineId: line.id,
        reason: 'too little',
        amountMinor: 1,
      });
      expect(opened.status, opened.text).toBe(201);
      const accept = await admin('POST', `/api/disputes/${String(opened.body.id)}/accept`, {
        amountMinor: MAX_SAFE,
      });
      expect(accept.status, accept.text).toBe(400);
      expect((await admin('POST', `/api/disputes/${String(opened.body.id)}/accept`, {})).status).toBe(200);
      expect((await bravo('GET', '/api/partners/ptn_bravo/earnings')).status).toBe(200);
    });
  });

  describe(`money limits through the CSV import on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let session: Session;
    let admin: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;

    beforeAll(async () => {
      ({ t, app, dell } = await world(kind));
      session = await signIn(app, 'admin@dell.test');
      admin = client(app, session);
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    /** The admin's calls, a POST sending its payload as a CSV file. */
    const csvAdmin = async (
      method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
      url: string,
      payload?: unknown,
    ): Promise<Reply> => {
      if (method !== 'POST') return admin(method, url, payload);
      const res = await app.inject({
        method,
        url,
        headers: { 'content-type': 'text/csv', cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: String(payload),
      });
      return {
        status: res.statusCode,
        type: String(res.headers['content-type'] ?? ''),
        headers: res.headers,
        body: res.json() as Record<string, unknown>,
        text: res.body,
      };
    };
    /**
     * Imports a file and waits for its job: 200 with the result, or the job's problem (a refused file is
     * a failed job whose error is the 4xx problem naming rows and columns).
     */
    const upload = async (csv: string) => {
      const res = await viaJob(csvAdmin, 'POST', '/api/imports/orders', csv);
      if (res.status >= 400) {
        // A refusal is a problem: answered at once as problem+json, or as the failed job's error.
        if (res.job) expect(res.job.status, res.text).toBe('failed');
        else expect(res.type).toContain('application/problem+json');
        expect(res.body, res.text).toMatchObject({ status: res.status, code: expect.any(String) });
      }
      return res;
    };

    it('stores each file exactly or refuses it naming the row and column, at and past every limit', async () => {
      let n = 0;
      const fill = filler(
        BigInt(MAX_VENDOR_GROSS_MINOR) - (await expectExact(t, dell.vendorId)).gross - ROOM,
      );
      const filled = await upload(
        [
          HEADER,
          ...fill.map(
            (minor) =>
              `erp,FILL,${ORDER_DATE},USD,cus_globex,,partner,ptn_bravo,,prd_stor,1,${csvMoney(minor)},,,`,
          ),
        ].join('\n'),
      );
      expect(filled.status, filled.text).toBe(200);
      let { gross } = await expectExact(t, dell.vendorId);
      let stored = 0;
      let refusedForVolume = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(lines, { minLength: 1, maxLength: 3 }), async (orders) => {
          const rows: string[] = [HEADER];
          const expected: { line: number; column: string }[] = [];
          let fileGross = 0n;
          let volumeRefused = false;
          for (const ls of orders) {
            const id = `CSV-${++n}`;
            const firstRow = rows.length + 1;
            for (const l of ls) {
              const row = rows.length + 1;
              rows.push(
                `erp,${id},${ORDER_DATE},USD,cus_globex,,partner,ptn_bravo,,prd_stor,${l.quantity},${csvMoney(l.unitPriceMinor)},,,`,
              );
              const b = lineBreaks(l);
              if (b) expected.push({ line: row, column: b === 'quantity' ? 'quantity' : 'unit_price' });
            }
            if (ls.every((l) => lineBreaks(l) === null)) {
              const g = grossOf(ls);
              if (gross + fileGross + g > BigInt(MAX_VENDOR_GROSS_MINOR)) {
                volumeRefused = true;
                expected.push({ line: firstRow, column: 'unit_price' });
              } else fileGross += g;
            }
          }
          const res = await upload(rows.join('\n'));
          expect(res.status, res.text).toBeLessThan(500);
          if (expected.length > 0) {
            expect(res.status, res.text).toBe(400);
            const where = (res.body.errors as { location: string }[]).map((e) => e.location);
            for (const e of expected) expect(where).toContain(`row ${e.line}, column ${e.column}`);
            if (volumeRefused) refusedForVolume++;
          } else {
            expect(res.status, res.text).toBe(200);
            gross += fileGross;
            stored++;
          }
          expect((await expectExact(t, dell.vendorId)).gross).toBe(gross);
        }),
        { numRuns: 20, seed: 20261203 },
      );
      expect(stored).toBeGreaterThan(0);
      expect(refusedForVolume).toBeGreaterThan(0);
    });

    it('refuses a file of 1,000-line orders that would pass the vendor limit, storing nothing', async () => {
      const before = await expectExact(t, dell.vendorId);
      const rows = [HEADER];
      for (let o = 0; o < 2; o++)
        for (let i = 0; i < 1000; i++)
          rows.push(
            `erp,BIG-${o},${ORDER_DATE},USD,cus_globex,,partner,ptn_bravo,,prd_stor,1,${csvMoney(MAX_LINE_AMOUNT_MINOR)},,,`,
          );
      const res = await upload(rows.join('\n'));
      expect(res.status, res.text).toBe(400);
      expect((res.body.errors as { location: string }[]).map((e) => e.location)).toContain(
        'row 2, column unit_price',
      );
      expect(await expectExact(t, dell.vendorId)).toEqual(before);
    });

    it('still answers every money read with 2xx after the refusals', async () => {
      await expectReadable(admin, bravo, dell.programId);
    });
  });
}
