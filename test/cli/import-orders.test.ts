import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppStore } from '../../src/app/store.js';
import { trellis } from '../support/cli.js';

const HEADER =
  'source,external_id,order_date,currency,customer_id,channel,reseller_id,product_id,quantity,unit_price,returns_external_id,returns_line_no';

/** A Dell reseller, customer and two products of the demo world in `dir`. */
async function demoIds(dir: string) {
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') }, { migrate: false });
  try {
    const db = store.db;
    const dell = await db
      .selectFrom('vendors')
      .select('id')
      .where('slug', '=', 'dell')
      .executeTakeFirstOrThrow();
    const reseller = await db
      .selectFrom('enrolments as e')
      .innerJoin('partners as p', 'p.id', 'e.partnerId')
      .select('p.id')
      .where('e.vendorId', '=', dell.id)
      .where('e.status', '=', 'active')
      .where('p.kind', '=', 'reseller')
      .orderBy('p.id')
      .executeTakeFirstOrThrow();
    const customer = await db
      .selectFrom('customers')
      .select('id')
      .where('vendorId', '=', dell.id)
      // Not one of the vendor's direct-named accounts (its direct orders stay direct).
      .where('id', 'not in', db.selectFrom('directNamedMatches').select('customerId'))
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const products = await db
      .selectFrom('products')
      .select(['id', 'family'])
      .where('vendorId', '=', dell.id)
      .where('family', 'in', ['storage', 'servers'])
      .orderBy('id')
      .execute();
    return { reseller: reseller.id, customer: customer.id, products: products.map((p) => p.id) };
  } finally {
    await store.close();
  }
}

async function storedOrders(dir: string): Promise<number> {
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') }, { migrate: false });
  try {
    const r = await store.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('source', '=', 'cli-test')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await store.close();
  }
}

describe('trellis import orders', () => {
  // Eight runs of the real command from the sources: minutes on a busy machine.
  it(
    'imports a file all or nothing, reports bad rows as file:line:column, replays, and writes rejects',
    { timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-orders-'));
      const env = { TRELLIS_DATA_DIR: dir };
      const demo = trellis(['demo', '--scale', 'small', '--seed', '7'], env);
      expect(demo.code, demo.stderr).toBe(0);
      const { reseller, customer, products } = await demoIds(dir);
      const [p1, p2] = products as [string, string];
      const row = (id: string, rest: string) => `cli-test,${id},${rest}`;

      const good = join(dir, 'orders.csv');
      writeFileSync(
        good,
        [
          HEADER,
          row('C-1', `2017-03-01,USD,${customer},partner,${reseller},${p1},2,1234.56,,`),
          row('C-1', `2017-03-01,USD,${customer},partner,${reseller},${p2},1,99.00,,`),
          row('C-2', `2017-04-01,USD,${customer},direct,,${p2},1,10,,`),
          row('C-3', `2017-05-01,USD,${customer},partner,${reseller},${p1},-1,1234.56,C-1,1`),
          '',
        ].join('\n'),
      );
      const ok = trellis(['import', 'orders', good, '--vendor', 'dell'], env);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(
        /orders\.csv: stored 2 orders \(3 lines, 2 accrual transactions\), 0 already stored, 0 rejected, 1 direct routed to partners/,
      );
      // C-2, a direct order for the reseller's customer, is routed to the reseller: offered, not booked.
      expect(await storedOrders(dir)).toBe(2);

      // The same file again changes nothing.
      const again = trellis(['import', 'orders', good, '--vendor', 'dell', '--json'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout.trim())).toMatchObject({
        orders: { created: 0, replayed: 3, rejected: 0 },
      });

      const bad = join(dir, 'bad.csv');
      writeFileSync(
        bad,
        [
          HEADER,
          row('C-10', `2017-06-01,USD,${customer},partner,${reseller},${p1},1,5.00,,`),
          row('C-11', `2017-06-01,USD,${customer},partner,ptn_nobody0001,${p1},1,5.00,,`),
          row('C-12', `2017-06-01,CHF,${customer},partner,${reseller},${p1},-2,5.00,,`),
          row('C-13', `2016-01-01,USD,${customer},partner,${reseller},${p1},1,5.001,,`),
          row('C-1', `2017-03-01,USD,${customer},partner,${reseller},${p1},3,1234.56,,`),
          '',
        ].join('\n'),
      );
      const refused = trellis(['import', 'orders', bad, '--vendor', 'dell'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/bad\.csv:3:7: unknown partner ptn_nobody0001/);
      expect(refused.stderr).toMatch(
        /bad\.csv:4:4: CHF is not accepted for orders in [A-Z]{2} under dell-emc-partner-program FY18; accepted: USD/,
      );
      expect(refused.stderr).toMatch(/bad\.csv:4:9: a negative quantity is only allowed on a return/);
      expect(refused.stderr).toMatch(/bad\.csv:5:10: "5\.001" has 3 decimals; this currency has 2/);
      expect(refused.stderr).toMatch(/bad\.csv:6:2: order cli-test\/C-1 already exists with other content/);
      expect(refused.stderr).toMatch(/bad\.csv: 4 of 5 orders invalid .*; nothing was stored/);
      expect(refused.stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(await storedOrders(dir)).toBe(2);

      // A dry run checks and stores nothing.
      const dry = trellis(['import', 'orders', bad, '--vendor', 'dell', '--allow-partial', '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/would store 1 order/);
      expect(await storedOrders(dir)).toBe(2);

      // --allow-partial stores the good order and writes the others, with why, to the rejects file.
      const partial = trellis(['import', 'orders', bad, '--vendor', 'dell', '--allow-partial'], env);
      expect(partial.code, partial.stderr).toBe(0);
      expect(partial.stdout).toMatch(/stored 1 order .* 4 rejected/);
      expect(partial.stdout).toMatch(/rejected rows written to .*bad\.csv\.rejects\.csv/);
      const rejects = readFileSync(`${bad}.rejects.csv`, 'utf8').trim().split('\n');
      expect(rejects[0]).toBe(`${HEADER},error`);
      expect(rejects).toHaveLength(5);
      expect(rejects[1]).toMatch(/^cli-test,C-11,.*,reseller_id: unknown partner ptn_nobody0001$/);
      expect(rejects[2]).toMatch(
        /currency: CHF is not accepted for orders in [A-Z]{2} under .*; quantity: a negative quantity/,
      );
      expect(await storedOrders(dir)).toBe(3);

      const custom = join(dir, 'custom-rejects.csv');
      const elsewhere = trellis(
        ['import', 'orders', bad, '--vendor', 'dell', '--allow-partial', '--rejects', custom],
        env,
      );
      expect(elsewhere.code, elsewhere.stderr).toBe(0);
      expect(existsSync(custom)).toBe(true);

      const unknownVendor = trellis(['import', 'orders', good, '--vendor', 'nope'], env);
      expect(unknownVendor.code).toBe(1);
      expect(unknownVendor.stderr).toMatch(/no vendor has the slug nope/);
    },
  );
});
