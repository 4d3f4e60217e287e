import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Fact versions (issue 13, docs/architecture.md "Re-closing an unchanged period"): a counter per vendor
 * (`scope` = the vendor's id) of every change to the facts a close reads (orders and their lines,
 * enrolments, tier records, deal registrations and their lines, the catalogue, exchange rates, program
 * versions, ledger transactions: `FACT_TABLES`), and one (`scope` = '*') for the shared partners. A close records the
 * counters it leaves; a re-close that finds them unchanged (and the same program version) reuses what that
 * close computed instead of reading the quarter again. Kept by triggers, so no writer can forget it.
 *
 * The counters are kept on SQLite, where one writer at a time makes a counter free of contention. On
 * PostgreSQL a counter row would make every order of a vendor wait for the one before it to commit:
 * there `fact_versions` stays empty and `fact_changes` (below) says what changed since a close instead.
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
  // (One schema: the table exists on SQLite too, where nothing writes it.)
  await db.schema
    .createTable('fact_changes')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('txid', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull().defaultTo(sql`current_timestamp`))
    .addPrimaryKeyConstraint('fact_changes_pk', ['scope', 'txid'])
    .execute();
  // The closes prune old changes by scope and age.
  await db.schema.createIndex('fact_changes_at_ix').on('fact_changes').columns(['scope', 'at']).execute();
  if (!sqlite) {
    await postgresChanges(db);
    return;
  }
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

/**
 * PostgreSQL: `fact_changes`, one row per scope (vendor id, or '*' for partners) and writing transaction
 * (`txid`), added by statement-level triggers (one insert per statement, from its transition table, and
 * none when the transaction already has its row): no row is ever updated, so writers never wait for each
 * other. A close records the snapshot it started from and its own transaction; a change since is a row
 * of a transaction that snapshot did not see (one in progress or not yet begun), other than the close's
 * own. Rows older than a week are pruned by the closes, which leave a `pruned:<scope>` row with the
 * newest transaction they removed (a mark older than that cannot be trusted).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postgresChanges(db: Kysely<any>): Promise<void> {
  await sql`create function trellis_fact_changes() returns trigger language plpgsql as $$
    begin
      if tg_argv[0] = 'shared' then
        insert into fact_changes (scope, txid) values ('*', txid_current()) on conflict do nothing;
      elsif tg_op = 'DELETE' then
        insert into fact_changes (scope, txid)
          select distinct vendor_id, txid_current() from gone on conflict do nothing;
      else
        insert into fact_changes (scope, txid)
          select distinct vendor_id, txid_current() from came on conflict do nothing;
      end if;
      return null;
    end $$`.execute(db);
  for (const table of FACT_TABLES) {
    for (const [event, rows] of [
      ['insert', 'new table as came'],
      ['update', 'new table as came'],
      ['delete', 'old table as gone'],
    ] as const)
      await sql
        .raw(
          `create trigger ${table}_fact_changes_${event} after ${event} on ${table}
           referencing ${rows} for each statement execute function trellis_fact_changes('vendor')`,
        )
        .execute(db);
  }
  await sql`create trigger partners_fact_changes after insert or update or delete on partners
    for each statement execute function trellis_fact_changes('shared')`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite)
    for (const table of [...FACT_TABLES, 'partners'])
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists ${table}_fact_version_${event}`).execute(db);
  else {
    for (const table of FACT_TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists ${table}_fact_changes_${event} on ${table}`).execute(db);
    await sql`drop trigger if exists partners_fact_changes on partners`.execute(db);
    await sql`drop function if exists trellis_fact_changes()`.execute(db);
  }
  await db.schema.dropTable('fact_changes').execute();
  await db.schema.alterTable('period_closes').dropColumn('close_items').execute();
  await db.schema.dropTable('fact_versions').execute();
}
