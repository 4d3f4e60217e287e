import BetterSqlite3 from 'better-sqlite3';

export type SqliteHandle = BetterSqlite3.Database;

/**
 * Opens a SQLite file with the settings every Trellis connection uses, on whichever thread calls it (the
 * main thread, or the worker thread of {@link WorkerSqliteDialect}). `busyTimeoutMs` is how long a
 * statement waits inside SQLite for another connection's write lock before failing with SQLITE_BUSY.
 */
export function openSqliteHandle(file: string, options: { busyTimeoutMs: number }): SqliteHandle {
  const handle = new BetterSqlite3(file);
  // Larger pages make the big tables' B-trees shallower; it only takes effect on a new, empty file.
  if ((handle.pragma('page_count', { simple: true }) as number) === 0) handle.pragma('page_size = 16384');
  if (file !== ':memory:') handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  handle.defaultSafeIntegers(false);
  return handle;
}

/** Whether databases other than main and temp are attached (the demo loader's sidecar files). */
export const hasAttachedDatabases = (handle: SqliteHandle): boolean =>
  (handle.pragma('database_list') as { name: string }[]).some((d) => d.name !== 'main' && d.name !== 'temp');
