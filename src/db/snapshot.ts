import { sql, type Kysely } from 'kysely';
import type { Store } from './connection.js';
import type { Database } from './schema.js';

/**
 * Reading what another transaction reads, from another connection (a close's shards: close-shards.ts).
 *
 * PostgreSQL: the transaction exports its snapshot (`pg_export_snapshot`), and each reader begins a
 * repeatable-read, read-only transaction on it (`set transaction snapshot`): the snapshot's id is all a
 * reader needs, in another thread, process or machine, while the exporting transaction is open.
 *
 * SQLite has no exported snapshots. A close holds the write lock from its start (`begin immediate`), so
 * no other connection commits while it runs, and a reader on another connection (WAL) sees the last
 * commit: the state the close started from, and none of the close's own writes until it commits.
 */

/**
 * Whether other connections (threads, processes) can read what the store holds: not an in-memory SQLite
 * database, which only its own connection sees.
 */
export function readableElsewhere(store: Store): boolean {
  return store.target.kind === 'postgres' || (store.target.file !== ':memory:' && store.target.file !== '');
}

/** PostgreSQL: the snapshot of the transaction `db` runs in, for `readSnapshot`; null on SQLite. */
export async function exportSnapshot(store: Store, db: Kysely<Database>): Promise<string | null> {
  if (store.capabilities.kind !== 'postgres') return null;
  const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * Runs `read` in a read-only transaction on `store` that sees the exported `snapshot` (PostgreSQL), or the
 * last commit (SQLite, or no snapshot given).
 */
export async function readSnapshot<T>(
  store: Store,
  snapshot: string | null,
  read: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const tx = store.db.transaction().setAccessMode('read only');
  if (store.capabilities.kind !== 'postgres') return tx.execute(read);
  return tx.setIsolationLevel('repeatable read').execute(async (trx) => {
    if (snapshot !== null) {
      if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`not a snapshot id: ${snapshot}`);
      await sql`set transaction snapshot ${sql.lit(snapshot)}`.execute(trx);
    }
    return read(trx);
  });
}
