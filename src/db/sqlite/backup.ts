import BetterSqlite3 from 'better-sqlite3';

/** What a SQLite file holds, read without changing it: for a backup's check and its manifest. */
export interface SqliteFileReport {
  /** `ok`, or SQLite's first complaint from `pragma quick_check`. */
  check: string;
  /** The last migration applied, or null when the file has no Trellis schema. */
  schemaVersion: string | null;
  vendors: number | null;
  pages: number;
  bytes: number;
}

/**
 * Copies a live SQLite store into `dest` with SQLite's online backup: a consistent snapshot (committed
 * transactions only, the WAL included) taken page by page while the server keeps reading and writing.
 * Opens its own read-only connection, so it works whichever thread the server's connection runs on.
 */
export async function backupSqliteFile(
  source: string,
  dest: string,
  onProgress?: (donePages: number, totalPages: number) => void,
): Promise<void> {
  const handle = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await handle.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 2_000;
      },
    });
    onProgress?.(totalPages, totalPages);
  } finally {
    handle.close();
  }
  // A backup is one self-contained file: no WAL beside it (the server turns WAL on again when it opens it).
  const copy = new BetterSqlite3(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Checks a SQLite file's integrity and reads its schema version and vendor count. */
export function inspectSqliteFile(file: string): SqliteFileReport {
  const handle = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const check = String(handle.pragma('quick_check', { simple: true }));
    const pages = Number(handle.pragma('page_count', { simple: true }));
    const pageSize = Number(handle.pragma('page_size', { simple: true }));
    const has = (table: string) =>
      handle.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table) !==
      undefined;
    const schemaVersion = has('trellis_migration')
      ? ((handle.prepare('select max(name) as v from trellis_migration').get() as { v: string | null }).v ??
        null)
      : null;
    const vendors = has('vendors')
      ? Number((handle.prepare('select count(*) as n from vendors').get() as { n: number }).n)
      : null;
    return { check, schemaVersion, vendors, pages, bytes: pages * pageSize };
  } finally {
    handle.close();
  }
}
