import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { analyzeAfterBulkWrite } from '../../src/db/statistics.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * A close writes a quarter's ledger in one transaction, then queries it again in that transaction (the
 * reconciliation, the partners with unstated entries, the statements). The planner must know of those rows
 * by then: on a store whose statistics were taken when the ledger held 8 entries, SQLite scanned the
 * vendor's entries once per transaction of the program (the large demo's first close: more than five
 * minutes in that one query). `analyzeAfterBulkWrite` refreshes them inside the transaction, on both stores.
 */
const ROWS = 5_000;

for (const kind of STORE_KINDS) {
  describe(`statistics after a bulk write on ${kind}`, () => {
    it('count the rows the transaction wrote, before it commits, and leave no setting behind', async () => {
      const t = await openTestStore(kind);
      try {
        const { db } = t.store;
        const rowsSeen = await db.transaction().execute(async (trx) => {
          const ids = Array.from({ length: ROWS }, (_, i) => `ltx_${String(i).padStart(6, '0')}`);
          for (let i = 0; i < ids.length; i += 500)
            await sql`insert into ledger_bulk_never (id) values ${sql.join(
              ids.slice(i, i + 500).map((id) => sql`(${id})`),
            )}`.execute(trx);
          await analyzeAfterBulkWrite(t.store, trx, ['ledger_bulk_never']);
          if (kind === 'sqlite') {
            const { rows } = await sql<{ stat: string }>`select stat from sqlite_stat1
                where tbl = 'ledger_bulk_never'`.execute(trx);
            const limit = await sql<Record<string, number>>`pragma analysis_limit`.execute(trx);
            expect(Object.values(limit.rows[0] ?? {}).map(Number)).toEqual([0]);
            return Math.max(0, ...rows.map((r) => Number(r.stat.split(' ')[0])));
          }
          const { rows } = await sql<{ n: number }>`select reltuples as n from pg_class
              where oid = to_regclass('ledger_bulk_never')`.execute(trx);
          return Number(rows[0]?.n);
        });
        // SQLite samples each index (an estimate of the count); PostgreSQL reads a sample of the table.
        expect(rowsSeen).toBeGreaterThan(ROWS / 2);
        expect(rowsSeen).toBeLessThan(ROWS * 2);
      } finally {
        await t.cleanup();
      }
    });
  });
}
