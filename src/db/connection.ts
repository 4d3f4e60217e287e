import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { AsyncBusySqliteDialect } from './sqlite-async-busy.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/** What the code may ask of a store, instead of testing its name in scattered ifs. */
export interface StoreCapabilities {
  kind: DatabaseKind;
  /** Bulk loads may use one prepared statement executed many times (SQLite) or multi-row VALUES (PostgreSQL). */
  preparedBulkInsert: boolean;
  /** Largest number of bind parameters in one statement. */
  maxBindParameters: number;
}

export interface Store {
  db: Kysely<Database>;
  capabilities: StoreCapabilities;
  /** Where the data lives, without credentials (for logs and /api/health). */
  location: string;
  /** What was opened (with credentials): a job worker opens its own connection to the same store. */
  target: StoreTarget;
  /** The raw SQLite handle, for bulk loads; undefined on PostgreSQL. */
  sqlite?: BetterSqlite3.Database;
  /** The raw PostgreSQL pool, for bulk loads; undefined on SQLite. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export class StoreConnectionError extends Error {
  readonly code = 'store_unreachable';
}

const INT8_OID = 20;

/** Opens the store and checks it answers; throws StoreConnectionError with a plain message if not. */
export async function openStore(target: StoreTarget): Promise<Store> {
  if (target.kind === 'sqlite') {
    let handle: BetterSqlite3.Database;
    try {
      handle = new BetterSqlite3(target.file);
    } catch (e) {
      throw new StoreConnectionError(`cannot open SQLite file ${target.file}: ${(e as Error).message}`);
    }
    // Larger pages make the big tables' B-trees shallower; it only takes effect on a new, empty file.
    if ((handle.pragma('page_count', { simple: true }) as number) === 0) handle.pragma('page_size = 16384');
    if (target.file !== ':memory:') handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    // Never wait for a lock inside a synchronous call: the dialect retries asynchronously instead.
    handle.pragma('busy_timeout = 0');
    handle.defaultSafeIntegers(false);
    const db = new Kysely<Database>({
      dialect: new AsyncBusySqliteDialect(handle),
      plugins: [new CamelCasePlugin()],
    });
    return {
      db,
      capabilities: { kind: 'sqlite', preparedBulkInsert: true, maxBindParameters: 32_766 },
      location: target.file,
      target,
      sqlite: handle,
      close: async () => {
        await db.destroy();
      },
    };
  }

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
    dialect: new PostgresDialect({ pool }),
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
  return {
    db,
    capabilities: { kind: 'postgres', preparedBulkInsert: false, maxBindParameters: 65_535 },
    location: redactUrl(target.url),
    target,
    pgPool: pool,
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
