import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * A partner's own reads of order lines (its home's projection: its lines and revenue of a period, its
 * customers' purchases over the new-business look-back, a distributor's sell-out) are answered from an
 * index that starts with the partner or the customer, never by walking every line of the vendor in the
 * period (migration 20261205-0026). Checked on the query plans of both stores, over a vendor with many
 * lines in the period and few per partner and customer, once the planner's statistics are fresh.
 */

/** 6,000 lines of one vendor over a year: 50 resellers, 5 distributors, 1,000 customers. */
const LINES = `with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000)
  select 'lin_' || i, 'ord_' || i, 'vnd_x', 1, 'prd_x',
    case when i % 2 = 0 then 'storage' else 'servers' end, 1, 100 * i, 100 * i, 'USD',
    'ptn_r' || (i % 50), 'ptn_d' || (i % 5), 'cus_' || (i % 1000),
    case when i % 3 = 0 then '2025-03-01' when i % 3 = 1 then '2025-09-01' else '2026-02-01' end, null
  from n`;
const COLUMNS = `(id, order_id, vendor_id, line_no, product_id, family, quantity, unit_price_minor, amount_minor,
  currency, reseller_id, distributor_id, customer_id, order_date, returns_line_id)`;
const READS: readonly { what: string; query: string; index: string }[] = [
  {
    what: "a reseller's lines of a period",
    query: `select id, amount_minor from order_lines where vendor_id = 'vnd_x' and order_date >= '2025-01-01'
      and order_date <= '2025-12-31' and reseller_id is not null and reseller_id = 'ptn_r7'`,
    index: 'order_lines_reseller_vendor_day_ix',
  },
  {
    what: "a distributor's sell-out",
    query: `select currency, sum(amount_minor) from order_lines where vendor_id = 'vnd_x'
      and distributor_id = 'ptn_d3' and order_date >= '2025-01-01' and order_date <= '2025-12-31' group by currency`,
    index: 'order_lines_distributor_vendor_day_ix',
  },
  {
    what: "a partner's customers' purchases over the look-back",
    query: `select customer_id, family, max(order_date) from order_lines where vendor_id = 'vnd_x'
      and order_date >= '2025-01-01' and order_date < '2026-01-01' and quantity > 0
      and family in ('storage', 'servers') and customer_id in ('cus_7', 'cus_8') group by customer_id, family`,
    index: 'order_lines_customer_vendor_day_cover_ix',
  },
];

for (const kind of STORE_KINDS) {
  describe(`partner-scoped reads of order lines on ${kind}`, () => {
    it('use the partner or customer index', async () => {
      const t = await openTestStore(kind);
      try {
        // Facts without their orders, products or customers: foreign keys are off for this insert only.
        if (kind === 'sqlite') {
          await sql`pragma foreign_keys = off`.execute(t.store.db);
          await sql.raw(`insert into order_lines ${COLUMNS} ${LINES}`).execute(t.store.db);
          await sql`pragma foreign_keys = on`.execute(t.store.db);
        } else {
          await t.store.db.transaction().execute(async (trx) => {
            await sql`set local session_replication_role = replica`.execute(trx);
            await sql.raw(`insert into order_lines ${COLUMNS} ${LINES}`).execute(trx);
          });
        }
        await sql`analyze`.execute(t.store.db);
        for (const read of READS) {
          let plan: string;
          if (kind === 'sqlite') {
            const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(read.query)}`.execute(
              t.store.db,
            );
            plan = rows.rows.map((r) => r.detail).join('\n');
          } else {
            const rows = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(read.query)}`.execute(
              t.store.db,
            );
            plan = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
          }
          // Partitioned by vendor (issue 18): the plan reads the vendor's partition through its copy of the
          // index (named by PostgreSQL after the partition).
          const names =
            kind === 'postgres'
              ? (
                  await sql<{ name: string }>`select c.relname as name from pg_inherits i
                    join pg_class c on c.oid = i.inhrelid where i.inhparent = ${read.index}::regclass`.execute(
                    t.store.db,
                  )
                ).rows.map((r) => r.name)
              : [];
          expect(
            [read.index, ...names].some((name) => plan.includes(name)),
            `${read.what}: ${read.index} in\n${plan}`,
          ).toBe(true);
        }
      } finally {
        await t.cleanup();
      }
    });
  });
}
