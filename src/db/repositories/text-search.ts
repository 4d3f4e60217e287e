import { sql, SqliteAdapter, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

/** Case-insensitive "contains" on both databases; % and _ in the user's text match literally. */
export function containsText(columnRef: string, text: string): RawBuilder<SqlBool> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`lower(${sql.ref(columnRef)}) like ${`%${escaped}%`} escape '\\'`;
}

/** The lists whose names have a trigram index (migration 20261202-0013). */
export type NameSearchTable = 'customers' | 'partners';

/**
 * On SQLite, text matching at least this many names of the whole table is common: the scan of the
 * caller's scope in the page's order finds a page of matches early, and reading every match through the
 * trigram index (then each row by its key, then sorting) costs more.
 */
const COMMON_MATCHES = 2_000;

/**
 * "The name contains this text" (case-insensitive, % and _ literal) through the trigram index of the
 * table's names, so a search reads the matching rows instead of scanning the caller's scope:
 *
 * - SQLite: the FTS5 trigram table `<table>_search` (the row id and the lower-cased name), searched as a
 *   phrase (a phrase of a trigram index is a substring). Text shorter than three characters has no
 *   trigram, and text found in many names (COMMON_MATCHES, counted through the index up to that number)
 *   is found early by the scan: both keep the `like` on the scope's rows, which stops after a page.
 * - PostgreSQL: `lower(name) like '%text%'`, which the planner answers from the `pg_trgm` GIN index of
 *   `lower(name)` when the text is selective.
 */
export async function nameContains(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  table: NameSearchTable,
  text: string,
): Promise<RawBuilder<SqlBool>> {
  const lowered = text.toLowerCase();
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!sqlite || [...lowered].length < 3) return containsText(`${table}.name`, text);
  const phrase = `"${lowered.replace(/"/g, '""')}"`;
  const fts = sql.table(`${table}_search`);
  const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from ${fts}
      where ${fts} match ${phrase} limit ${COMMON_MATCHES}) m`.execute(db);
  if (Number(rows[0]?.n ?? 0) >= COMMON_MATCHES) return containsText(`${table}.name`, text);
  return sql<SqlBool>`${sql.ref(`${table}.id`)} in (select id from ${fts} where ${fts} match ${phrase})`;
}
