import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/app/orders/group-commit.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { inBulkTransaction } from '../../src/db/repositories/order-import-repository.js';
import type { Database } from '../../src/db/schema.js';

/**
 * Group commit (src/app/orders/group-commit.ts), what order intake on SQLite runs each order in: a unit
 * alone is the transaction itself, units at once share one with a savepoint each; either way a unit that
 * fails leaves nothing and the others commit. The group's temporary storage is memory while it runs (the
 * savepoints' statement journals), and the connection's own setting is back after it; so is a bulk write's
 * (inBulkTransaction, the order import's).
 */
for (const thread of ['main', 'worker'] as const) {
  describe(`group commit on a SQLite file (connection on the ${thread} thread)`, () => {
    let dir: string;
    let store: Store;
    let group: GroupCommit;
    const rows = async () =>
      (await sql<{ id: string }>`select id from gc_probe order by id`.execute(store.db)).rows.map(
        (r) => r.id,
      );
    /** The connection's temporary storage setting (2: memory). */
    const setting = async (db: Kysely<Database>) =>
      Number(Object.values((await sql.raw('pragma temp_store').execute(db)).rows[0] ?? {})[0]);
    const insert = (trx: Kysely<Database>, id: string) =>
      sql`insert into gc_probe (id) values (${id})`.execute(trx);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'trellis-group-commit-'));
      store = await openStore({ kind: 'sqlite', file: join(dir, 'trellis.db'), thread });
      await sql`create table gc_probe (id text primary key)`.execute(store.db);
      group = new GroupCommit(store);
    });
    afterAll(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('commits a unit alone, and rolls back all of one that fails after writing', async () => {
      expect(await group.run(async (trx) => (await insert(trx, 'a1'), 'ok'))).toBe('ok');
      await expect(
        group.run(async (trx) => {
          await insert(trx, 'a2');
          throw new Error('refused after writing');
        }),
      ).rejects.toThrow('refused after writing');
      // A constraint failure of the unit's own statement.
      await expect(group.run((trx) => insert(trx, 'a1'))).rejects.toThrow(/UNIQUE/);
      expect(await rows()).toEqual(['a1']);
    });

    it('gives each of units at once its own outcome: the one that fails leaves nothing, the others commit', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 9 }, (_, i) =>
          group.run(async (trx) => {
            await insert(trx, `b${i}`);
            if (i === 4) throw new Error('unit 4 refused');
            return i;
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual([
        ...Array(4).fill('fulfilled'),
        'rejected',
        ...Array(4).fill('fulfilled'),
      ]);
      expect(
        outcomes
          .filter((o) => o.status === 'fulfilled')
          .map((o) => (o as PromiseFulfilledResult<number>).value),
      ).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
      expect((await rows()).filter((id) => id.startsWith('b'))).toEqual([
        'b0',
        'b1',
        'b2',
        'b3',
        'b5',
        'b6',
        'b7',
        'b8',
      ]);
    });

    it('keeps temporary storage in memory while a group runs, and restores the setting after', async () => {
      const outside = await setting(store.db);
      const inside = await Promise.all(
        [0, 1, 2].map((i) => group.run(async (trx) => (await insert(trx, `c${i}`), setting(trx)))),
      );
      expect(outside).not.toBe(2);
      expect(inside).toEqual([2, 2, 2]);
      expect(await setting(store.db)).toBe(outside);
      // A unit alone (no savepoint) too, and the setting is back after one that fails.
      expect(await group.run((trx) => setting(trx))).toBe(2);
      await expect(
        group.run(async (trx) => {
          await insert(trx, 'c9');
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await setting(store.db)).toBe(outside);
      expect((await rows()).filter((id) => id.startsWith('c'))).toEqual(['c0', 'c1', 'c2']);
    });

    it('runs a bulk write (the order import) with temporary storage in memory, and restores the setting', async () => {
      const outside = await setting(store.db);
      const inside = await inBulkTransaction(store, { checkedReferences: true }, async (trx) => {
        await insert(trx, 'e0');
        return setting(trx);
      });
      expect(inside).toBe(2);
      expect(await setting(store.db)).toBe(outside);
      // And after a failure.
      await expect(
        inBulkTransaction(store, { checkedReferences: true }, async (trx) => {
          await insert(trx, 'e1');
          throw new Error('the import failed');
        }),
      ).rejects.toThrow('the import failed');
      expect(await setting(store.db)).toBe(outside);
      expect((await rows()).filter((id) => id.startsWith('e'))).toEqual(['e0']);
    });

    it('waits for a transaction another use case holds open on the connection, then runs', async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const other = store.db.transaction().execute(async (trx) => {
        await insert(trx, 'd0');
        await held;
      });
      const unit = group.run((trx) => insert(trx, 'd1'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await Promise.all([other, unit]);
      expect((await rows()).filter((id) => id.startsWith('d'))).toEqual(['d0', 'd1']);
    });
  });
}
