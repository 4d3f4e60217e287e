import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentSchemaVersion,
  LATEST_MIGRATION,
  migrateDownAll,
  migrateToLatest,
} from '../../src/db/migrator.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

for (const kind of STORE_KINDS) {
  describe(`migrations on ${kind}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(kind, { migrate: false });
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('run up, down and up again, ending at the latest version', async () => {
      const db = t.store.db;
      expect(await currentSchemaVersion(db)).toBeNull();
      const up = await migrateToLatest(db);
      expect(up.error).toBeUndefined();
      expect(await currentSchemaVersion(db)).toBe(LATEST_MIGRATION);

      const down = await migrateDownAll(db);
      expect(down.error).toBeUndefined();
      expect(await currentSchemaVersion(db)).toBeNull();
      await expect(sql`select count(*) from vendors`.execute(db)).rejects.toThrow();

      const again = await migrateToLatest(db);
      expect(again.error).toBeUndefined();
      expect(again.results?.every((r) => r.status === 'Success')).toBe(true);
      const rows = await sql<{ n: number | string }>`select count(*) as n from order_lines`.execute(db);
      expect(Number(rows.rows[0]?.n)).toBe(0);
    });

    it('stores 64-bit money exactly and reads it back as a number', async () => {
      const db = t.store.db;
      const now = '2017-02-01T00:00:00.000Z';
      await db
        .insertInto('vendors')
        .values({ id: 'vnd_m1', slug: 'm1', name: 'M', currency: 'USD', createdAt: now })
        .execute();
      const big = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER minor units
      await db
        .insertInto('products')
        .values({
          id: 'prd_m1',
          vendorId: 'vnd_m1',
          sku: 'X',
          name: 'X',
          family: 'storage',
          listPriceMinor: big,
          currency: 'USD',
          createdAt: now,
        })
        .execute();
      const row = await db
        .selectFrom('products')
        .select('listPriceMinor')
        .where('id', '=', 'prd_m1')
        .executeTakeFirstOrThrow();
      expect(row.listPriceMinor).toBe(big);
    });
  });
}
