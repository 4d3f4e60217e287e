import { sql, SqliteAdapter, type Kysely, type RawBuilder } from 'kysely';

/**
 * Indexes shaped for the close (issue 13): fewer and narrower index entries per statement line, and the
 * new-business look-back read from an index alone.
 *
 * - `order_lines_vendor_date_ix` (vendor, day) becomes `order_lines_vendor_day_cover_ix` (vendor, day,
 *   customer, family, quantity): the same prefix serves every query the old one served, and the purchases
 *   a close reads for new business (who bought which family on which day, over the look-back year) come
 *   from the index without visiting a line (they were a table lookup per line: most of the close's reading).
 * - statement lines: one unique index on (transaction, posting seq) replaces the partial unique one and the
 *   plain one on transaction. NULLs are distinct in unique indexes (SQLite and PostgreSQL), so lines of
 *   entries (no posting seq) are not constrained by it and a posting is still on at most one statement;
 *   "is this transaction on a statement" reads its prefix. The unique index on entry ids becomes partial
 *   (entry lines only): a posting's line has no entry id and no longer pays for an entry in it.
 * - payable totals of a bulk write, per transaction (SQLite): a writer of many postings (a close) first names
 *   its new transactions in `ledger_bulk_postings`; their postings skip the per-row totals trigger, and
 *   deleting a name adds that transaction's postings to `payable_totals` in one grouped statement (a
 *   trigger, so the totals stay the database's work). A name left at commit fails the commit (a deferred
 *   reference to a table that never holds a row), so no writer can leave totals behind. PostgreSQL keeps its
 *   statement-level trigger (the names are accepted and change nothing there).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('order_lines_vendor_day_cover_ix')
    .on('order_lines')
    .columns(['vendor_id', 'order_date', 'customer_id', 'family', 'quantity'])
    .execute();
  await sql`drop index if exists order_lines_vendor_date_ix`.execute(db);

  await db.schema
    .createIndex('statement_lines_transaction_seq_ux')
    .on('statement_lines')
    .columns(['transaction_id', 'posting_seq'])
    .unique()
    .execute();
  await sql`drop index if exists statement_lines_posting_ux`.execute(db);
  await sql`drop index if exists statement_lines_transaction_ix`.execute(db);
  await sql`drop index if exists statement_lines_entry_ux`.execute(db);
  await sql`create unique index statement_lines_entry_ux on statement_lines (entry_id) where entry_id is not null`.execute(
    db,
  );

  await sql`create table ledger_bulk_never (id text primary key)`.execute(db);
  await sql`create table ledger_bulk_postings (
    transaction_id text primary key,
    pending text not null default 'pending'
      references ledger_bulk_never (id) deferrable initially deferred)`.execute(db);
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop trigger ledger_postings_payable_totals`.execute(db);
    await postingTotalsTrigger(
      db,
      sql`when not exists (select 1 from ledger_bulk_postings b where b.transaction_id = new.transaction_id)`,
    );
    await sql`create trigger ledger_bulk_postings_totals after delete on ledger_bulk_postings
      begin
        insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
          vendor_id, amount_minor, line_amount_minor, entries)
        select t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency, min(t.vendor_id),
          sum(case when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          sum(case when p.line_id is null then 0
            when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          count(*)
        from ledger_postings p
        join ledger_transactions t on t.id = p.transaction_id
        join ledger_rules r on r.id = p.rule
        where p.transaction_id = old.transaction_id
          and 'partner:rebate-payable' in (r.debit_account, r.credit_account)
        group by t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency
        on conflict (program_id, budget_pool, partner_id, period, component, currency) do update set
          amount_minor = amount_minor + excluded.amount_minor,
          line_amount_minor = line_amount_minor + excluded.line_amount_minor,
          entries = entries + excluded.entries;
      end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop trigger if exists ledger_bulk_postings_totals`.execute(db);
    await sql`drop trigger if exists ledger_postings_payable_totals`.execute(db);
    await postingTotalsTrigger(db, sql``);
  }
  await sql`drop table if exists ledger_bulk_postings`.execute(db);
  await sql`drop table if exists ledger_bulk_never`.execute(db);
  await sql`drop index if exists statement_lines_entry_ux`.execute(db);
  await db.schema
    .createIndex('statement_lines_entry_ux')
    .on('statement_lines')
    .column('entry_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('statement_lines_transaction_ix')
    .on('statement_lines')
    .column('transaction_id')
    .execute();
  await sql`create unique index statement_lines_posting_ux on statement_lines (transaction_id, posting_seq)
    where posting_seq is not null`.execute(db);
  await sql`drop index if exists statement_lines_transaction_seq_ux`.execute(db);
  await db.schema
    .createIndex('order_lines_vendor_date_ix')
    .on('order_lines')
    .columns(['vendor_id', 'order_date'])
    .execute();
  await sql`drop index if exists order_lines_vendor_day_cover_ix`.execute(db);
}

/** SQLite: the per-posting payable totals trigger of migration 0019, with an optional `when` clause. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postingTotalsTrigger(db: Kysely<any>, when: RawBuilder<unknown>): Promise<void> {
  await sql`create trigger ledger_postings_payable_totals after insert on ledger_postings ${when}
      begin
        insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
          vendor_id, amount_minor, line_amount_minor, entries)
        select t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency, t.vendor_id,
          case when r.credit_account = 'partner:rebate-payable' then -new.amount_minor else new.amount_minor end,
          case when new.line_id is null then 0
            when r.credit_account = 'partner:rebate-payable' then -new.amount_minor else new.amount_minor end,
          1
        from ledger_transactions t join ledger_rules r on r.id = new.rule
        where t.id = new.transaction_id
          and 'partner:rebate-payable' in (r.debit_account, r.credit_account)
        on conflict (program_id, budget_pool, partner_id, period, component, currency) do update set
          amount_minor = amount_minor + excluded.amount_minor,
          line_amount_minor = line_amount_minor + excluded.line_amount_minor,
          entries = entries + 1;
      end`.execute(db);
}
