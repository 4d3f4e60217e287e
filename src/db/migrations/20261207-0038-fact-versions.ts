import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Fact versions (issue 13, docs/architecture.md "Re-closing an unchanged period"): a counter per vendor
 * (`scope` = the vendor's id) of every change to the facts a close reads (orders and their lines,
 * enrolments, tier records, deal registrations and their lines, the catalogue, exchange rates, program
 * versions, ledger transactions: `FACT_TABLES`), and one (`scope` = '*') for the shared partners. A close records the
 * counters it leaves; a re-close that finds them unchanged (and the same program version) reuses what that
 * close computed instead of reading the quarter again. Kept by triggers, so no writer can forget it.
 *
 * The triggers exist on SQLite only, where one writer at a time makes a counter free of contention; on
 * PostgreSQL a counter row would make every order of a vendor wait for the one before it to commit, so
 * the table stays empty there and a re-close reads the period (the store's `factVersions` capability).
 *
 * Also `period_closes.close_items`: the close items (cross-sell, growth, caps, minimums) the close's plan
 * proposed, as JSON, which a reused re-close reports as the close it reuses did.
 */
export const FACT_TABLES = [
  'orders',
  'order_lines',
  'enrolments',
  'memberships',
  'deal_registrations',
  'deal_registration_lines',
  'products',
  'exchange_rates',
  'program_versions',
  'ledger_transactions',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('fact_versions')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('period_closes').addColumn('close_items', 'text').execute();
  if (!sqlite) return;
  const bump = (scope: string) =>
    `insert into fact_versions (scope, version) values (${scope}, 1)
       on conflict (scope) do update set version = version + 1;`;
  for (const table of [...FACT_TABLES, 'partners']) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      const row = event === 'delete' ? 'old' : 'new';
      const scope = table === 'partners' ? `'*'` : `${row}.vendor_id`;
      await sql
        .raw(
          `create trigger ${table}_fact_version_${event} after ${event} on ${table}
           begin ${bump(scope)} end`,
        )
        .execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite)
    for (const table of [...FACT_TABLES, 'partners'])
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists ${table}_fact_version_${event}`).execute(db);
  await db.schema.alterTable('period_closes').dropColumn('close_items').execute();
  await db.schema.dropTable('fact_versions').execute();
}
