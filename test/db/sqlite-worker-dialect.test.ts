import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { openStore, StoreConnectionError, type SqliteThread, type Store } from '../../src/db/connection.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { isConcurrencyError } from '../../src/db/concurrency.js';
import type { Database } from '../../src/db/schema.js';

// The tests below use tables of their own, outside the application schema.
const raw = (db: Kysely<Database>) => db as unknown as Kysely<Record<string, Record<string, unknown>>>;
const count = async (db: Kysely<Database>, table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? -1,
  );

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-sqlite-worker-'));
  dirs.push(dir);
  return join(dir, 'test.db');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each<SqliteThread>(['worker', 'main'])('SQLite on the %s thread', (thread) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:', thread });
    await sql`create table items (id integer primary key, name text not null unique, qty integer)`.execute(
      store.db,
    );
  });
  afterEach(async () => {
    await store.close();
  });

  it('says where it runs', () => {
    expect(store.capabilities).toMatchObject({
      kind: 'sqlite',
      sqliteThread: thread,
      bulkInsert: 'prepared',
    });
    expect(store.sqlite !== undefined).toBe(thread === 'main');
    expect(store.target).toEqual({ kind: 'sqlite', file: ':memory:', thread });
  });

  it('runs queries: rows from readers, changes and ids from writers', async () => {
    const inserted = await raw(store.db)
      .insertInto('items')
      .values({ name: 'a', qty: 1 })
      .executeTakeFirstOrThrow();
    expect(inserted.insertId).toBe(1n);
    await raw(store.db)
      .insertInto('items')
      .values([
        { name: 'b', qty: 2 },
        { name: 'c', qty: 3 },
      ])
      .execute();
    const updated = await raw(store.db)
      .updateTable('items')
      .set({ qty: 10 })
      .where('qty', '>=', 2)
      .executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    // CamelCasePlugin applies to the rows that come back from the worker.
    const rows = await sql<{
      itemName: string;
      qty: number;
    }>`select name as item_name, qty from items where qty > ${1} order by id`.execute(store.db);
    expect(rows.rows).toEqual([
      { itemName: 'b', qty: 10 },
      { itemName: 'c', qty: 10 },
    ]);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await raw(trx).insertInto('items').values({ name: 'x', qty: 1 }).execute();
        expect(await count(trx, 'items')).toBe(1);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await count(store.db, 'items')).toBe(0);
    // The connection is free again, outside any transaction.
    await raw(store.db).insertInto('items').values({ name: 'y', qty: 1 }).execute();
    expect(await count(store.db, 'items')).toBe(1);
  });

  it('rolls back to a savepoint and keeps what came before it', async () => {
    const trx = await store.db.startTransaction().execute();
    await raw(trx).insertInto('items').values({ name: 'kept', qty: 1 }).execute();
    const sp = await trx.savepoint('sp1').execute();
    await raw(sp).insertInto('items').values({ name: 'dropped', qty: 2 }).execute();
    const back = await sp.rollbackToSavepoint('sp1').execute();
    const inner = await back.savepoint('sp2').execute();
    await raw(inner).insertInto('items').values({ name: 'released', qty: 3 }).execute();
    await (await inner.releaseSavepoint('sp2').execute()).commit().execute();
    const names = await raw(store.db).selectFrom('items').select('name').orderBy('id').execute();
    expect(names.map((r) => r.name)).toEqual(['kept', 'released']);
  });

  it('serialises two transactions on the one connection', async () => {
    const events: string[] = [];
    const run = (name: string, pause: number) =>
      store.db.transaction().execute(async (trx) => {
        events.push(`${name} begin`);
        await raw(trx).insertInto('items').values({ name, qty: 0 }).execute();
        await new Promise((resolve) => setTimeout(resolve, pause));
        // Each sees only itself and what committed before it began.
        events.push(`${name} sees ${await count(trx, 'items')}`);
        events.push(`${name} end`);
      });
    await Promise.all([run('first', 30), run('second', 0)]);
    expect(events).toEqual([
      'first begin',
      'first sees 1',
      'first end',
      'second begin',
      'second sees 2',
      'second end',
    ]);
  });

  it('inserts many rows in one bulk call, inside the caller transaction', async () => {
    const values: (string | number | null)[] = [];
    for (let i = 1; i <= 1000; i++) values.push(i, `item ${i}`, i % 7 === 0 ? null : i * 3);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await store.bulk.insertRows(trx, 'items', ['id', 'name', 'qty'], values);
        expect(await count(trx, 'items')).toBe(1000);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await count(store.db, 'items')).toBe(0);
    await store.db
      .transaction()
      .execute((trx) => store.bulk.insertRows(trx, 'items', ['id', 'name', 'qty'], values));
    expect(await count(store.db, 'items')).toBe(1000);
    const row = await raw(store.db).selectFrom('items').selectAll().where('id', '=', 999).executeTakeFirst();
    expect(row).toEqual({ id: 999, name: 'item 999', qty: 2997 });
    expect(
      await raw(store.db).selectFrom('items').select('qty').where('id', '=', 700).executeTakeFirst(),
    ).toEqual({
      qty: null,
    });
    await expect(store.bulk.insertRows(store.db, 'items', ['id', 'name'], [1, 'a', 2])).rejects.toThrow(
      /do not fill rows/,
    );
  });

  it('streams rows as arrays in column order', async () => {
    const values: (string | number)[] = [];
    for (let i = 1; i <= 5000; i++) values.push(i, `n${i}`, i);
    await store.bulk.insertRows(store.db, 'items', ['id', 'name', 'qty'], values);
    let seen = 0;
    let last: unknown[] = [];
    await store.db.connection().execute((conn) =>
      store.bulk.eachRow(conn, 'select name, qty from items where qty > ? order by id', [10], (row) => {
        seen++;
        last = row;
      }),
    );
    expect(seen).toBe(4990);
    expect(last).toEqual(['n5000', 5000]);
    // Stopping a stream early lets the connection go on with other statements.
    for await (const r of raw(store.db).selectFrom('items').select('id').orderBy('id').stream(10)) {
      expect(r.id).toBe(1);
      break;
    }
    expect(await count(store.db, 'items')).toBe(5000);
  });

  it('carries SQLite error codes and messages, as the error map reads them', async () => {
    await raw(store.db).insertInto('items').values({ name: 'dup', qty: 1 }).execute();
    const unique = await raw(store.db)
      .insertInto('items')
      .values({ name: 'dup', qty: 2 })
      .execute()
      .catch((e: unknown) => e);
    expect(unique).toBeInstanceOf(Error);
    expect(unique).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect((unique as Error).message).toMatch(/UNIQUE constraint failed: items\.name/);
    expect(isConcurrencyError(unique)).toBe(true);
    const notNull = await store.bulk
      .insertRows(store.db, 'items', ['id', 'name'], [5, null])
      .catch((e: unknown) => e);
    expect(notNull).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect(isConcurrencyError(notNull)).toBe(false);
    const syntax = await sql`selec 1`.execute(store.db).catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: 'SQLITE_ERROR' });
    expect((syntax as Error).message).toMatch(/syntax error/);
    // After errors the connection still works.
    expect(await count(store.db, 'items')).toBe(1);
  });
});

describe('SQLite on a worker thread, over a file', () => {
  it('refuses a file it cannot open, as the main thread does', async () => {
    const file = join(tempFile(), 'missing-dir', 'x.db');
    await expect(openStore({ kind: 'sqlite', file, thread: 'worker' })).rejects.toBeInstanceOf(
      StoreConnectionError,
    );
  });

  it('leaves checkpoints to the worker: none inside commits, the WAL truncated at close', async () => {
    const file = tempFile();
    const store = await openStore({ kind: 'sqlite', file, thread: 'worker' });
    try {
      const setting = await sql<{ walAutocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
      expect(setting.rows[0]?.walAutocheckpoint).toBe(0);
      const mode = await sql<{ journalMode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journalMode).toBe('wal');
      await sql`create table t (id integer primary key, v text)`.execute(store.db);
      const values: (string | number)[] = [];
      for (let i = 0; i < 3000; i++) values.push(i, 'x'.repeat(200));
      await store.db.transaction().execute((trx) => store.bulk.insertRows(trx, 't', ['id', 'v'], values));
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    const check = new BetterSqlite3(file, { readonly: true });
    expect(check.prepare('select count(*) as n from t').get()).toEqual({ n: 3000 });
    check.close();
  });

  it('bulk-loads in one transaction with foreign keys off and a large cache, then puts both back', async () => {
    const file = tempFile();
    const store = await openStore({ kind: 'sqlite', file, thread: 'worker' });
    const setting = async (db: Kysely<Database>, name: string) =>
      Number(Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] ?? {})[0]);
    try {
      await sql`create table t (id integer primary key, v text)`.execute(store.db);
      await sql`create index t_v_ix on t (v)`.execute(store.db);
      const cache = await setting(store.db, 'cache_size');
      expect(await setting(store.db, 'foreign_keys')).toBe(1);
      const indexes = async (db: Kysely<Database>) =>
        (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 't'`.execute(db)
        ).rows.map((r) => r.name);
      const seen = await withBulkLoader(
        store,
        async (loader) => {
          await store.bulk.insertRows(loader.db, 't', ['id', 'v'], [1, 'a', 2, 'b']);
          return {
            foreignKeys: await setting(loader.db, 'foreign_keys'),
            cache: await setting(loader.db, 'cache_size'),
            indexes: await indexes(loader.db),
          };
        },
        { deferIndexesOf: ['t'] },
      );
      expect(seen).toEqual({ foreignKeys: 0, cache: -1048576, indexes: [] });
      expect(await indexes(store.db)).toEqual(['t_v_ix']);
      expect(await count(store.db, 't')).toBe(2);
      expect(await setting(store.db, 'foreign_keys')).toBe(1);
      expect(await setting(store.db, 'cache_size')).toBe(cache);
      // A load that fails leaves nothing, and the settings are put back all the same.
      await expect(
        withBulkLoader(store, async (loader) => {
          await store.bulk.insertRows(loader.db, 't', ['id', 'v'], [3, 'c']);
          throw new Error('the producer failed');
        }),
      ).rejects.toThrow('the producer failed');
      expect(await count(store.db, 't')).toBe(2);
      expect(await setting(store.db, 'foreign_keys')).toBe(1);
      expect(await setting(store.db, 'cache_size')).toBe(cache);
    } finally {
      await store.close();
    }
  });

  it('waits for another connection write lock without blocking the main thread, and reads go on', async () => {
    const file = tempFile();
    const store = await openStore({ kind: 'sqlite', file, thread: 'worker' });
    const other = new BetterSqlite3(file);
    try {
      await sql`create table t (id integer primary key)`.execute(store.db);
      await sql`insert into t (id) values (1)`.execute(store.db);
      other.exec('begin immediate; insert into t (id) values (2)');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      let committed = false;
      const write = store.db
        .transaction()
        .execute((trx) => sql`insert into t (id) values (3)`.execute(trx))
        .then(() => (committed = true));
      await new Promise((resolve) => setTimeout(resolve, 250));
      // The write waits (in the worker, then retried from here) while the main thread runs on...
      expect(committed).toBe(false);
      expect(ticks).toBeGreaterThan(10);
      // ...and a read outside the waiting transaction is answered meanwhile.
      expect(await count(store.db, 't')).toBe(1);
      other.exec('commit');
      await write;
      clearInterval(ticker);
      expect(await count(store.db, 't')).toBe(3);
    } finally {
      other.close();
      await store.close();
    }
  });
});

describe('TRELLIS_SQLITE_THREAD', () => {
  it('chooses the SQLite thread, main unless told', () => {
    expect(loadConfig({}).store).toMatchObject({ kind: 'sqlite', thread: 'main' });
    expect(loadConfig({ TRELLIS_SQLITE_THREAD: 'worker' }).store).toMatchObject({
      kind: 'sqlite',
      thread: 'worker',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', TRELLIS_SQLITE_THREAD: 'worker' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    });
    expect(() => loadConfig({ TRELLIS_SQLITE_THREAD: 'both' })).toThrow(/TRELLIS_SQLITE_THREAD/);
  });
});
