import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * List indexes (issue 9, item 5): every GET route of every role reads an index for its scope, and no page
 * aggregates a whole vendor's ledger.
 *
 * - `orders (vendor_id, customer_id, order_date)`: a vendor's orders of one customer, newest first (the
 *   customer filter and the customer page); without it SQLite walks the vendor's orders by date.
 * - `customers (vendor_id, region, name)`: a channel manager's customers (its regions), by name.
 * - `payable_totals`: what each partner's rebate payable holds, per program, period, component, budget pool
 *   and currency (sum, the part from order lines, entry count), kept in step with `ledger_entries` by an
 *   insert trigger (the ledger is append-only, so the totals are exact) and filled here from the entries
 *   already posted. Budget pools and earnings read it instead of grouping every ledger entry of a program.
 *   SQLite: a row trigger with an upsert. PostgreSQL: a statement trigger over the inserted rows, grouped
 *   and upserted in key order (one upsert per key and statement; concurrent writers lock keys in the
 *   same order).
 * - Text search (`?q=` on customers and partners): a trigram index of the lower-cased name. PostgreSQL:
 *   `pg_trgm` GIN indexes, used by `lower(name) like '%text%'`. SQLite: an FTS5 trigram table per list
 *   (`customers_search`, `partners_search`: the row id and the name), kept in step by triggers.
 * - Planner statistics (ANALYZE), so that SQLite chooses between a scope index and a filter index by
 *   their selectivity; the demo load and bulk imports refresh them (`db/statistics.ts`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createIndex('orders_vendor_customer_date_ix')
    .on('orders')
    .columns(['vendor_id', 'customer_id', 'order_date'])
    .execute();

  await db.schema
    .createIndex('customers_vendor_region_name_ix')
    .on('customers')
    .columns(['vendor_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('payable_totals')
    .addColumn('program_id', 'text', (c) => c.notNull())
    // '' for entries without a budget pool (a key column cannot be null in an upsert's conflict target).
    .addColumn('budget_pool', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('line_amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('entries', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payable_totals_pk', [
      'program_id',
      'budget_pool',
      'partner_id',
      'period',
      'component',
      'currency',
    ])
    .execute();
  await db.schema
    .createIndex('payable_totals_partner_ix')
    .on('payable_totals')
    .columns(['partner_id', 'program_id', 'period'])
    .execute();
  await sql`insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
      vendor_id, amount_minor, line_amount_minor, entries)
    select program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period, component, currency,
      min(vendor_id), sum(amount_minor), sum(case when line_id is null then 0 else amount_minor end), count(*)
    from ledger_entries where account = 'partner:rebate-payable'
    group by program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period, component, currency`.execute(
    db,
  );

  if (sqlite) {
    await sql`create trigger ledger_entries_payable_totals after insert on ledger_entries
      when new.account = 'partner:rebate-payable'
      begin
        insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
          vendor_id, amount_minor, line_amount_minor, entries)
        values (new.program_id, coalesce(new.budget_pool, ''), coalesce(new.partner_id, ''), new.period,
          new.component, new.currency, new.vendor_id, new.amount_minor,
          case when new.line_id is null then 0 else new.amount_minor end, 1)
        on conflict (program_id, budget_pool, partner_id, period, component, currency) do update set
          amount_minor = amount_minor + excluded.amount_minor,
          line_amount_minor = line_amount_minor + excluded.line_amount_minor,
          entries = entries + 1;
      end`.execute(db);

    for (const [table, column] of [
      ['customers', 'name'],
      ['partners', 'name'],
    ] as const) {
      const fts = `${table}_search`;
      await sql`create virtual table ${sql.id(fts)} using fts5(id unindexed, name, tokenize = 'trigram')`.execute(
        db,
      );
      await sql`insert into ${sql.id(fts)} (id, name) select id, lower(${sql.ref(column)}) from ${sql.table(table)}`.execute(
        db,
      );
      await sql`create trigger ${sql.id(`${table}_search_insert`)} after insert on ${sql.table(table)} begin
          insert into ${sql.id(fts)} (id, name) values (new.id, lower(new.${sql.ref(column)}));
        end`.execute(db);
      await sql`create trigger ${sql.id(`${table}_search_update`)} after update of ${sql.ref(column)}, id on ${sql.table(table)} begin
          delete from ${sql.id(fts)} where id = old.id;
          insert into ${sql.id(fts)} (id, name) values (new.id, lower(new.${sql.ref(column)}));
        end`.execute(db);
      await sql`create trigger ${sql.id(`${table}_search_delete`)} after delete on ${sql.table(table)} begin
          delete from ${sql.id(fts)} where id = old.id;
        end`.execute(db);
    }
  } else {
    await sql`create function ledger_entries_payable_totals() returns trigger language plpgsql as $$
      begin
        insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
          vendor_id, amount_minor, line_amount_minor, entries)
        select program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period, component, currency,
          min(vendor_id), sum(amount_minor), sum(case when line_id is null then 0 else amount_minor end), count(*)
        from new_entries where account = 'partner:rebate-payable'
        group by program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period, component, currency
        order by 1, 2, 3, 4, 5, 6
        on conflict (program_id, budget_pool, partner_id, period, component, currency) do update set
          amount_minor = payable_totals.amount_minor + excluded.amount_minor,
          line_amount_minor = payable_totals.line_amount_minor + excluded.line_amount_minor,
          entries = payable_totals.entries + excluded.entries;
        return null;
      end $$`.execute(db);
    await sql`create trigger ledger_entries_payable_totals after insert on ledger_entries
      referencing new table as new_entries for each statement
      execute function ledger_entries_payable_totals()`.execute(db);

    // pg_trgm is a trusted extension of PostgreSQL's contrib: one per database, installed in `public`
    // (concurrent migrations of other schemas wait for it), its operator class named with its schema.
    // Where it cannot be installed, searches keep working without the index (a scan of the scope).
    await sql`select pg_advisory_xact_lock(7302145)`.execute(db);
    await sql`savepoint trellis_trgm`.execute(db);
    try {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
        join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
      const ops = sql.id(rows[0]?.schema ?? 'public', 'gin_trgm_ops');
      await sql`create index customers_name_trgm_ix on customers using gin (lower(name) ${ops})`.execute(db);
      await sql`create index partners_name_trgm_ix on partners using gin (lower(name) ${ops})`.execute(db);
      await sql`release savepoint trellis_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint trellis_trgm`.execute(db);
    }
  }
  // Planner statistics (on SQLite a sample of each index, as `PRAGMA optimize` takes; on PostgreSQL the
  // tables of this schema that hold rows).
  if (sqlite) {
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze`.execute(db);
    await sql`pragma analysis_limit = 0`.execute(db);
  } else {
    // Tables that hold rows only: statistics of an empty table (the ledger before the first close) would
    // tell the planner it stays empty while a close fills it in one transaction.
    const { rows } = await sql<{
      name: string;
    }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db);
    const filled: string[] = [];
    for (const r of rows) {
      const { rows: any } = await sql`select 1 from ${sql.table(r.name)} limit 1`.execute(db);
      if (any.length > 0) filled.push(r.name);
    }
    if (filled.length > 0) await sql`analyze ${sql.join(filled.map((n) => sql.table(n)))}`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) {
    for (const table of ['customers', 'partners']) {
      for (const op of ['insert', 'update', 'delete'])
        await sql`drop trigger if exists ${sql.id(`${table}_search_${op}`)}`.execute(db);
      await sql`drop table if exists ${sql.id(`${table}_search`)}`.execute(db);
    }
    await sql`drop trigger if exists ledger_entries_payable_totals`.execute(db);
  } else {
    await sql`drop index if exists partners_name_trgm_ix`.execute(db);
    await sql`drop index if exists customers_name_trgm_ix`.execute(db);
    await sql`drop trigger if exists ledger_entries_payable_totals on ledger_entries`.execute(db);
    await sql`drop function if exists ledger_entries_payable_totals()`.execute(db);
  }
  await db.schema.dropTable('payable_totals').execute();
  await db.schema.dropIndex('customers_vendor_region_name_ix').execute();
  await db.schema.dropIndex('orders_vendor_customer_date_ix').execute();
}
