import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { factVersionRepository } from '../../src/db/repositories/fact-version-repository.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * The marks by which a re-close knows nothing it reads changed since a close (migration 0038): a change
 * after the mark is seen; the close's own writes are not changes; on PostgreSQL, a change committed by
 * another transaction while the close ran (after its snapshot, before its commit) is seen too, though no
 * writer ever waits for another on the log.
 */
for (const kind of STORE_KINDS) {
  describe(`fact versions on ${kind}`, () => {
    it("sees changes since a close's mark, not the close's own writes", async () => {
      const t = await openTestStore(kind);
      try {
        const { dell } = await loadFixture(createContext(t.store));
        const db = t.store.db;
        const touch = (on = db) =>
          sql`update orders set vendor_id = vendor_id where vendor_id = ${dell.vendorId}`.execute(on);
        const markedClose = (during?: () => Promise<unknown>) =>
          db.transaction().execute(async (trx) => {
            const facts = factVersionRepository(trx, t.store.capabilities.kind);
            const start = await facts.start(dell.vendorId);
            await touch(trx); // the close's own write
            if (during) await during();
            return facts.mark(dell.vendorId, start);
          });
        const unchanged = (mark: unknown) =>
          db.transaction().execute(async (trx) => {
            const facts = factVersionRepository(trx, t.store.capabilities.kind);
            return facts.unchangedSince(dell.vendorId, mark, await facts.start(dell.vendorId));
          });

        const mark = await markedClose();
        expect(await unchanged(mark)).toBe(true);
        expect(await unchanged(mark)).toBe(true);
        await touch();
        expect(await unchanged(mark)).toBe(false);
        // A partner (shared by every vendor) counts for each.
        const again = await markedClose();
        await db.updateTable('partners').set({ region: 'EMEA' }).where('id', '=', 'ptn_alpha').execute();
        expect(await unchanged(again)).toBe(false);
        // Another vendor's facts do not.
        const third = await markedClose();
        await sql`update orders set vendor_id = vendor_id where vendor_id <> ${dell.vendorId}`.execute(db);
        expect(await unchanged(third)).toBe(true);
        expect(await unchanged('not a mark')).toBe(false);

        if (kind === 'postgres') {
          // Committed by another connection while the close's transaction was open: a change since.
          // (Another table: the close's own write holds its rows.)
          const racing = await markedClose(() =>
            sql`update products set vendor_id = vendor_id where vendor_id = ${dell.vendorId}`.execute(db),
          );
          expect(await unchanged(racing)).toBe(false);
          // Pruned changes: a mark older than what was pruned cannot be trusted.
          const old = await markedClose();
          expect(await unchanged(old)).toBe(true);
          await touch();
          await sql`update fact_changes set at = '2000-01-01 00:00:00+00'`.execute(db);
          await markedClose();
          expect(
            Number(
              (
                await sql<{
                  n: string;
                }>`select count(*) as n from fact_changes where scope in (${dell.vendorId}, '*')`.execute(db)
              ).rows[0]?.n,
            ),
          ).toBeLessThanOrEqual(1);
          expect(await unchanged(old)).toBe(false);
        }
      } finally {
        await t.cleanup();
      }
    });
  });
}
