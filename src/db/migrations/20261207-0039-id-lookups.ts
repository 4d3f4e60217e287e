import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Look-ups by id on PostgreSQL (issue 13). Migration 0036 made the primary key of every vendor-owned table
 * `(vendor_id, id)`, as Citus needs. A statement that names a row by `id` alone (an API route's
 * `/statements/{id}`, a dispute, a registration, a caller whose scope is a partner or the system) can no
 * longer use that key: PostgreSQL reads the whole table, for every vendor. This adds an index on `id` to
 * the vendor-owned tables read that way, where rows are written a few at a time (a statement per partner
 * and close, a dispute, a registration...), so the index costs their writers little.
 *
 * The tables written in bulk (order lines and orders, ledger transactions and entries, statement lines)
 * get none: an index there would slow intake, imports and closes; their readers name the vendor instead
 * (test/db/id-lookups.test.ts checks both rules on the readers' plans).
 *
 * SQLite keeps its keys on `id` alone (migration 0036): nothing to do there.
 */
export const ID_LOOKUP_TABLES = [
  'programs',
  'program_versions',
  'enrolments',
  'certifications',
  'products',
  'customers',
  'memberships',
  'period_closes',
  'statements',
  'disputes',
  'deal_registrations',
  'deal_registration_lines',
  'deal_conflicts',
  'deal_flags',
  'direct_named_accounts',
  'routed_orders',
  'routing_offers',
  'agreement_rewards',
  'simulations',
  'stored_files',
  'mdf_activities',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  for (const table of ID_LOOKUP_TABLES)
    await sql`create index if not exists ${sql.ref(`${table}_id_ix`)} on ${sql.table(table)} (id)`.execute(
      db,
    );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  for (const table of ID_LOOKUP_TABLES)
    await sql`drop index if exists ${sql.ref(`${table}_id_ix`)}`.execute(db);
}
