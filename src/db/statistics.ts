import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './connection.js';

/** Rows SQLite's ANALYZE reads of each index (a sample; 0 would read every row). */
const ANALYSIS_LIMIT = 1000;

/** SQLite: runs `statements` (ANALYZE) reading a sample of each index, then sets the limit back. */
async function sampledAnalyze(
  db: Kysely<Database>,
  statements: readonly RawBuilder<unknown>[],
): Promise<void> {
  await sql`pragma analysis_limit = ${sql.lit(ANALYSIS_LIMIT)}`.execute(db);
  try {
    for (const statement of statements) await statement.execute(db);
  } finally {
    await sql`pragma analysis_limit = 0`.execute(db);
  }
}

/**
 * Refreshes the query planner's statistics after a bulk change (the demo load, a CSV import): without
 * them SQLite cannot tell a selective index (one customer's orders) from a wide one (a vendor's orders),
 * and PostgreSQL's autovacuum may not have analysed the new rows before the first request.
 *
 * SQLite: ANALYZE with an analysis limit (a sample of each index, as `PRAGMA optimize` does: seconds on
 * millions of rows become milliseconds); PostgreSQL: ANALYZE of the store's
 * schema's tables that hold rows.
 */
export async function refreshPlannerStatistics(store: Store): Promise<void> {
  if (store.capabilities.kind === 'sqlite') {
    await sampledAnalyze(store.db, [sql`analyze`]);
  } else {
    // The tables of this store's schema (not every schema of the database) that hold rows.
    // Tables that hold rows only: statistics of an empty table (the ledger before the first close) would
    // tell the planner it stays empty while a close fills it in one transaction.
    const { rows } = await sql<{
      name: string;
    }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(store.db);
    const filled: string[] = [];
    for (const r of rows) {
      const { rows: any } = await sql`select 1 from ${sql.table(r.name)} limit 1`.execute(store.db);
      if (any.length > 0) filled.push(r.name);
    }
    if (filled.length > 0) await sql`analyze ${sql.join(filled.map((n) => sql.table(n)))}`.execute(store.db);
  }
}

/**
 * Fresh statistics for tables a transaction has just filled in bulk (a close's ledger postings, rules and
 * entries), before it queries them again in the same transaction. ANALYZE samples the rows the
 * transaction sees, its own included. Without them a planner takes a table last analysed nearly empty for
 * a few rows and may scan it once per row of another:
 * - PostgreSQL: a close's statement step ran for minutes so;
 * - SQLite: the first close of a large quarter (the large demo, whose ledger held 8 entries) looked for the
 *   partners with unstated entries by scanning the vendor's entries once per transaction of the program
 *   (16,000 transactions, each scanning the close's new entries: more than five minutes).
 * SQLite samples each index (analysis_limit, as `PRAGMA optimize` does): milliseconds, whatever the size.
 */
export async function analyzeAfterBulkWrite(
  store: Store,
  db: Kysely<Database>,
  tables: readonly string[],
): Promise<void> {
  if (tables.length === 0) return;
  if (store.capabilities.kind === 'postgres') {
    await sql`analyze ${sql.join(tables.map((n) => sql.table(n)))}`.execute(db);
    return;
  }
  await sampledAnalyze(
    db,
    tables.map((table) => sql`analyze ${sql.table(table)}`),
  );
}

/**
 * PostgreSQL: memory for the sorts and hashes of one bulk transaction (a close numbers a period's statement
 * lines in one sort; with the default 4 MB it spills to disk). `set local`: for this transaction only.
 */
export async function bulkWorkMemory(store: Store, db: Kysely<Database>, megabytes = 128): Promise<void> {
  if (store.capabilities.kind !== 'postgres') return;
  if (!Number.isInteger(megabytes) || megabytes < 4 || megabytes > 1024)
    throw new RangeError(`work memory of ${megabytes} MB is out of range`);
  await sql`select set_config('work_mem', ${`${megabytes}MB`}, true)`.execute(db);
}
