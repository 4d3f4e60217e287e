import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/connection.js';
import { backgroundCheckpoints } from '../../src/db/sqlite/checkpointer.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-checkpointer-'));
  dirs.push(dir);
  return join(dir, 'test.db');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('background checkpoints of a main-thread SQLite file', () => {
  it('copies the WAL into the file from its own thread, and the close still removes the WAL', async () => {
    const file = tempFile();
    const store = await openStore({ kind: 'sqlite', file, thread: 'main' });
    try {
      await sql`create table t (id integer primary key, v text)`.execute(store.db);
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
      const before = statSync(file).size;
      backgroundCheckpoints(store);
      backgroundCheckpoints(store); // once per store
      // The main connection's own automatic checkpoint is only a safety net now.
      expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
      const values: (string | number)[] = [];
      for (let i = 0; i < 3000; i++) values.push(i, 'x'.repeat(200));
      await store.db.transaction().execute((trx) => store.bulk.insertRows(trx, 't', ['id', 'v'], values));
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      // The main connection never checkpoints here: the file grows only by the thread's checkpoints.
      for (let i = 0; i < 400 && statSync(file).size <= before; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(statSync(file).size).toBeGreaterThan(before);
    } finally {
      await store.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new BetterSqlite3(file, { readonly: true });
    expect(check.prepare('select count(*) as n from t').get()).toEqual({ n: 3000 });
    check.close();
  });

  it('does nothing for an in-memory store', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:', thread: 'main' });
    try {
      const close = store.close;
      backgroundCheckpoints(store);
      expect(store.close).toBe(close);
      expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await store.close();
    }
  });
});
