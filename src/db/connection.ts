import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { BulkValue } from './insert-text.js';
import { insertRowsPostgres, toPgPlaceholders, type PgColumnTypes } from './postgres/bulk.js';
import type { Database } from './schema.js';
import { AsyncBusySqliteDialect } from './sqlite/async-busy.js';
import { mainThreadBulk } from './sqlite/main-bulk.js';
import { openSqliteHandle, type SqliteHandle } from './sqlite/open.js';
import { bulkInsertQuery, SqliteWorkerClient, WorkerSqliteDialect } from './sqlite/worker-dialect.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Where a SQLite store's connection runs: on the main thread, or on a worker thread of its own. */
export type SqliteThread = 'main' | 'worker';

/** What the code may ask of a store, instead of testing its name in scattered ifs. */
export interface StoreCapabilities {
  kind: DatabaseKind;
  /**
   * SQLite: `main` when the connection runs on this thread (`store.sqlite` is its handle, synchronous
   * calls on it are part of the current transaction), `worker` when it runs on a worker thread (every
   * statement is a message; there is no handle here). Null on PostgreSQL.
   */
  sqliteThread: SqliteThread | null;
  /**
   * How `store.bulk.insertRows` writes many rows: `prepared` multi-row statements kept prepared (SQLite, on
   * either thread), or `insert ... select * from unnest(...)` with one array per column (PostgreSQL, as its
   * bulk loader does).
   */
  bulkInsert: 'prepared' | 'unnest' | 'values';
  /** Largest number of bind parameters in one statement. */
  maxBindParameters: number;
  /**
   * How the store says whether the facts a close reads changed since a close (migration 0038,
   * `fact-version-repository.ts`): `counters` (SQLite: `fact_versions`, bumped by triggers; one writer at a
   * time), `changes` (PostgreSQL: `fact_changes`, the transactions that changed them, checked against the
   * close's snapshot; no row is updated, so writers never wait for each other), or null (a re-close reads
   * the period).
   */
  factVersions: 'counters' | 'changes' | null;
}

/** The bulk paths, implemented per store. `db` is the caller's Kysely handle (its transaction). */
export interface StoreBulk {
  /** `insert into table (columns) values ...` for the rows in `values` (flat, in column order). */
  insertRows(
    db: Kysely<Database>,
    table: string,
    columns: readonly string[],
    values: readonly BulkValue[],
  ): Promise<void>;
  /**
   * Runs a query (`?` placeholders) and hands each row to `each` as an array in column order, streamed
   * rather than held all at once (SQLite steps through them; PostgreSQL reads them through a cursor).
   */
  eachRow(
    db: Kysely<Database>,
    text: string,
    params: readonly BulkValue[],
    each: (row: unknown[]) => void,
  ): Promise<void>;
}

export interface Store {
  db: Kysely<Database>;
  capabilities: StoreCapabilities;
  /** Bulk inserts and streamed reads, each store its own way (see StoreBulk). */
  bulk: StoreBulk;
  /** Where the data lives, without credentials (for logs and /api/health). */
  location: string;
  /** What was opened (with credentials): a job worker opens its own connection to the same store. */
  target: StoreTarget;
  /**
   * The raw SQLite handle when the connection runs on this thread (`capabilities.sqliteThread` is
   * `main`), for the demo loader and the hot paths that run prepared statements directly; undefined on
   * PostgreSQL and on a SQLite store whose connection runs on a worker thread.
   */
  sqlite?: SqliteHandle;
  /** The raw PostgreSQL pool, for bulk loads; undefined on SQLite. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

/** `thread` (SQLite): where its connection runs; `main` when not said. */
/** What repositories that run hand-written SQL need of a store. */
export type SqlStore = Pick<Store, 'sqlite' | 'bulk' | 'capabilities'>;

export type StoreTarget =
  { kind: 'sqlite'; file: string; thread?: SqliteThread } | { kind: 'postgres'; url: string };

export class StoreConnectionError extends Error {
  readonly code = 'store_unreachable';
}

const INT8_OID = 20;

/**
 * PostgreSQL: the cursor Kysely streams through (`stream()`, used by the bulk reader `eachRow` alone),
 * returning rows as arrays in column order: a large quarter's two million lines are read a chunk at a
 * time instead of all at once, and without an object per row.
 */
class ArrayRowCursor extends Cursor {
  constructor(text: string, values: unknown[]) {
    super(text, values, { rowMode: 'array' });
  }
}

/** Rows a PostgreSQL bulk read fetches per round trip. */
const ROW_CHUNK = 10_000;

/** Opens the store and checks it answers; throws StoreConnectionError with a plain message if not. */
export async function openStore(target: StoreTarget): Promise<Store> {
  if (target.kind === 'sqlite')
    return target.thread === 'worker' ? openWorkerSqlite(target) : openMainSqlite(target);

  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8_OID) return parseInt8;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool, cursor: ArrayRowCursor }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw new StoreConnectionError(
      `cannot reach PostgreSQL at ${redactUrl(target.url)}: ${(e as Error).message}`,
    );
  }
  const columnTypes: PgColumnTypes = new Map();
  return {
    db,
    capabilities: {
      kind: 'postgres',
      sqliteThread: null,
      bulkInsert: 'unnest',
      maxBindParameters: 65_535,
      factVersions: 'changes',
    },
    bulk: {
      insertRows: (db, table, columns, values) => insertRowsPostgres(db, columnTypes, table, columns, values),
      eachRow: async (db, text, params, each) => {
        // Through a cursor, ROW_CHUNK rows at a time, as arrays (no plugin maps them to objects).
        const rows = db
          .getExecutor()
          .withoutPlugins()
          .stream<unknown[]>(CompiledQuery.raw(toPgPlaceholders(text), [...params]), ROW_CHUNK);
        for await (const chunk of rows) for (const row of chunk.rows) each(row);
      },
    },
    location: redactUrl(target.url),
    target,
    pgPool: pool,
    close: async () => {
      await db.destroy();
    },
  };
}

/** SQLite on this thread: better-sqlite3's synchronous calls, lock waits retried asynchronously. */
function openMainSqlite(target: { file: string }): Store {
  let handle: SqliteHandle;
  try {
    // Never wait for a lock inside a synchronous call: the dialect retries asynchronously instead.
    handle = openSqliteHandle(target.file, { busyTimeoutMs: 0 });
  } catch (e) {
    throw new StoreConnectionError(`cannot open SQLite file ${target.file}: ${(e as Error).message}`);
  }
  const db = new Kysely<Database>({
    dialect: new AsyncBusySqliteDialect(handle),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    capabilities: {
      kind: 'sqlite',
      sqliteThread: 'main',
      bulkInsert: 'prepared',
      maxBindParameters: 32_766,
      factVersions: 'counters',
    },
    bulk: mainThreadBulk(handle),
    location: target.file,
    target: { kind: 'sqlite', file: target.file, thread: 'main' },
    sqlite: handle,
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Short lock waits happen in the worker, inside SQLite (busy_timeout), which costs the main thread
 * nothing; a longer wait (a close on a job thread holding the write lock) fails there and is retried by the
 * driver after an asynchronous back-off with the connection released, so other requests' reads go on.
 */
const WORKER_BUSY_TIMEOUT_MS = 100;
/** How often the worker looks for an idle moment to checkpoint the WAL. */
const WORKER_CHECKPOINT_EVERY_MS = 200;

/** SQLite on a worker thread: statements are messages, the main thread never runs SQLite code. */
async function openWorkerSqlite(target: { file: string }): Promise<Store> {
  let client: SqliteWorkerClient;
  try {
    client = await SqliteWorkerClient.start({
      file: target.file,
      busyTimeoutMs: WORKER_BUSY_TIMEOUT_MS,
      checkpointEveryMs: WORKER_CHECKPOINT_EVERY_MS,
    });
  } catch (e) {
    throw new StoreConnectionError(`cannot open SQLite file ${target.file}: ${(e as Error).message}`);
  }
  const db = new Kysely<Database>({
    dialect: new WorkerSqliteDialect(client),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    capabilities: {
      kind: 'sqlite',
      sqliteThread: 'worker',
      bulkInsert: 'prepared',
      maxBindParameters: 32_766,
      factVersions: 'counters',
    },
    bulk: {
      insertRows: async (trx, table, columns, values) => {
        if (values.length > 0) await trx.executeQuery(bulkInsertQuery(table, columns, values));
      },
      eachRow: async (trx, text, params, each) => {
        for await (const chunk of trx
          .getExecutor()
          .stream<Record<string, unknown>>(CompiledQuery.raw(text, [...params]), 2000))
          for (const row of chunk.rows) each(Object.values(row));
      },
    },
    location: target.file,
    target: { kind: 'sqlite', file: target.file, thread: 'worker' },
    close: async () => {
      await db.destroy();
    },
  };
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`64-bit value ${text} exceeds the safe integer range`);
  return n;
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
