import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkValue } from '../../src/db/insert-text.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * `store.bulk.insertRows`, the bulk path of the import and the ledger writer: prepared multi-row
 * statements on SQLite, `insert ... select * from unnest($1::type[], ...)` on PostgreSQL. Every value
 * must arrive as it was sent, whatever it holds, in batches of any size, inside the caller's transaction.
 * And `store.bulk.eachRow`, the reader of a close's period: every row back as an array, in order.
 */
const COLUMNS = ['id', 'label', 'note', 'amount_minor', 'line_no'] as const;

const AWKWARD: readonly (string | null)[] = [
  'plain',
  '',
  ' leading and trailing ',
  'a "quoted" word',
  "it's",
  'back\\slash \\\\ double and a trailing \\',
  'tab\there',
  'new\nline and \r\n crlf',
  'comma, {braces}, (parens), [brackets]',
  'NULL',
  'null',
  '\\N',
  '"',
  '{}',
  '{"a":1,"b":[2,3]}',
  'Zürich — Ünïcödé 東京 🚀 ﷽',
  'semi; -- not a comment',
  "'); drop table bulk_probe; --",
  null,
];

function rowsOf(n: number, at = 0): BulkValue[] {
  const values: BulkValue[] = [];
  for (let i = 0; i < n; i++) {
    const k = at + i;
    values.push(
      `row_${String(k).padStart(8, '0')}`,
      AWKWARD[k % AWKWARD.length] ?? null,
      k % 3 === 0 ? null : `note ${k} ${AWKWARD[(k * 7) % AWKWARD.length] ?? ''}`,
      k % 5 === 0 ? -(2 ** 52) + k : k * 1_000_003,
      k % 7 === 0 ? null : k % 1000,
    );
  }
  return values;
}

for (const kind of STORE_KINDS) {
  describe(`bulk insert on ${kind}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(kind);
      await sql`create table bulk_probe (id text primary key, label text, note text, amount_minor bigint not null, line_no integer)`.execute(
        t.store.db,
      );
    });
    afterAll(async () => {
      await t.cleanup();
    });

    const read = async () => {
      const { rows } = await sql<{
        id: string;
        label: string | null;
        note: string | null;
        amountMinor: number | string;
        lineNo: number | null;
      }>`select id, label, note, amount_minor, line_no from bulk_probe order by id`.execute(t.store.db);
      return rows.flatMap((r) => [r.id, r.label, r.note, Number(r.amountMinor), r.lineNo]);
    };

    it('keeps quotes, backslashes, tabs, newlines, nulls and unicode as they were sent', async () => {
      const values = rowsOf(AWKWARD.length * 3);
      await t.store.db.transaction().execute(async (trx) => {
        await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, values);
      });
      expect(await read()).toEqual(values);
      await sql`delete from bulk_probe`.execute(t.store.db);
    });

    it('writes a large batch in several statements, all in the caller transaction', async () => {
      const values = rowsOf(120_000);
      await t.store.db.transaction().execute(async (trx) => {
        await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, values);
      });
      const stored = await read();
      expect(stored.length).toBe(values.length);
      expect(stored).toEqual(values);
      await sql`delete from bulk_probe`.execute(t.store.db);
    });

    it('writes every row once at each statement size boundary (1,024-row, 64-row and last statements)', async () => {
      // SQLite writes 1,024 rows a statement, then 64, then the rest: each count lands on one edge.
      for (const n of [1, 63, 64, 65, 1_023, 1_024, 1_025, 1_088, 1_093, 2_048 + 64 + 63]) {
        const values = rowsOf(n, n * 10);
        await t.store.db.transaction().execute(async (trx) => {
          await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, values);
        });
        expect(await read(), `${n} rows`).toEqual(values);
        await sql`delete from bulk_probe`.execute(t.store.db);
      }
    });

    it('reads rows back one by one as arrays in column order, past a cursor chunk, in the caller transaction', async () => {
      const values = rowsOf(25_003);
      const seen: unknown[] = [];
      await t.store.db.transaction().execute(async (trx) => {
        await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, values);
        // (The rows are the transaction's own: read before it commits.)
        await t.store.bulk.eachRow(
          trx,
          'select id, label, note, amount_minor, line_no from bulk_probe where id >= ? order by id',
          ['row_'],
          (row) => {
            expect(Array.isArray(row)).toBe(true);
            seen.push(row[0], row[1], row[2], Number(row[3]), row[4]);
          },
        );
      });
      expect(seen).toEqual(values);
      // A failing read is a rejection, and a read outside a transaction works too.
      await expect(
        t.store.bulk.eachRow(t.store.db, 'select nope from bulk_probe', [], () => undefined),
      ).rejects.toThrow();
      let count = 0;
      await t.store.bulk.eachRow(t.store.db, 'select id from bulk_probe', [], () => count++);
      expect(count).toBe(values.length / COLUMNS.length);
      await sql`delete from bulk_probe`.execute(t.store.db);
    });

    it('writes nothing when the transaction rolls back, and refuses values that do not fill rows', async () => {
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, rowsOf(5_000));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await read()).toEqual([]);
      await expect(
        t.store.bulk.insertRows(t.store.db, 'bulk_probe', COLUMNS, rowsOf(2).slice(1)),
      ).rejects.toThrow(/do not fill rows/);
      // A duplicate key fails the whole statement: nothing of it is kept.
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          await t.store.bulk.insertRows(trx, 'bulk_probe', COLUMNS, [...rowsOf(3), ...rowsOf(1)]);
        }),
      ).rejects.toThrow();
      expect(await read()).toEqual([]);
    });
  });
}
