import type { Statement } from 'better-sqlite3';
import type { StoreBulk } from '../connection.js';
import { insertRowsPrepared } from './bulk-insert.js';
import type { SqliteHandle } from './open.js';

/**
 * Bulk paths on a main-thread SQLite connection: prepared multi-row statements run directly on the handle.
 * Kysely's transaction runs on this same single connection, so they are part of the caller's transaction
 * (the `db` argument is the caller's handle to it, and is not needed here).
 */
export function mainThreadBulk(handle: SqliteHandle): StoreBulk {
  const statements = new Map<string, Statement>();
  const prepared = (text: string): Statement => {
    let st = statements.get(text);
    if (!st) {
      st = handle.prepare(text);
      statements.set(text, st);
    }
    return st;
  };
  return {
    // Async (a failure is a rejection, as on the other stores), though the work itself is synchronous.
    insertRows: async (_db, table, columns, values) => {
      insertRowsPrepared(prepared, table, columns, values);
    },
    eachRow: async (_db, text, params, each) => {
      // Arrays, not objects, and one at a time: a large vendor has millions of lines.
      for (const row of handle.prepare(text).raw(true).iterate(params) as Iterable<unknown[]>) each(row);
    },
  };
}
