import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * A ledger shaped for speed (issue 13, item 2). What a rule earns on an order line is now one narrow row,
 * a **posting**: one transfer from a debit account to a credit account, instead of two 20-column entries
 * with a JSON sentence each.
 *
 * - `ledger_rules`: what repeats across the lines a rule earns on, stored once and addressed by its
 *   content (the id is a hash of the other columns, so writers insert-or-ignore without reading): the
 *   program, component, rule id and version, the two accounts, currency, tier, rate, multiplier and
 *   effective rate, budget pool and component kind. A program has a few hundred of them.
 * - `ledger_postings`: (transaction, seq) -> rule, order line, base, amount and, for a close's true-up,
 *   what is due after it. Double entry holds by construction: the posting debits its rule's debit account
 *   and credits its credit account with the same amount. The sentence a partner reads is rendered from
 *   the rule, its version and these inputs (`core/ledger/explain.ts`), never stored per row.
 * - `ledger_legs`: a view that shows every posting as its two legs beside the entries of `ledger_entries`
 *   (payouts, adjustments, close items, solution rewards and every entry posted before this migration),
 *   with the same columns, so reports read one ledger.
 * - statement lines name a posting by `(transaction_id, posting_seq)` (unique: a posting is on at most
 *   one statement), as they name an entry by `entry_id`; they are indexed by transaction, because a
 *   transaction's payable lines reach a statement together (what a close attaches is found per
 *   transaction).
 * - `payable_totals` is kept in step with postings by an insert trigger, as with entries.
 * - both new tables are append-only (triggers refuse updates and deletes).
 *
 * Existing stores move forward without rewriting history: entries already posted stay where they are and
 * are read through the view; new accruals, returns and close true-ups are posted as postings.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('ledger_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('component', 'text', (c) => c.notNull())
    /** The component's kind (base-rebate, new-business, ...): how its sentence is rendered. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The component's name as the program version states it. */
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'text', (c) => c.notNull())
    .addColumn('debit_account', 'text', (c) => c.notNull())
    .addColumn('credit_account', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('rate', 'integer', (c) => c.notNull())
    .addColumn('multiplier', 'integer', (c) => c.notNull())
    /** Codes of the payout multipliers applied, comma-separated ('' = none). */
    .addColumn('multipliers', 'text', (c) => c.notNull())
    .addColumn('effective_rate', 'integer', (c) => c.notNull())
    .addColumn('budget_pool', 'text')
    .execute();

  await db.schema
    .createTable('ledger_postings')
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull().references('ledger_rules.id'))
    .addColumn('line_id', 'text')
    .addColumn('base_minor', 'bigint', (c) => c.notNull())
    /** Debited to the rule's debit account and credited to its credit account (negative: the other way). */
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    /** A close's true-up: what the line owes for the rule after this posting; null = the amount itself. */
    .addColumn('due_minor', 'bigint')
    .addPrimaryKeyConstraint('ledger_postings_pk', ['transaction_id', 'seq'])
    .execute();
  await sql`create index ledger_postings_line_ix on ledger_postings (line_id) where line_id is not null`.execute(
    db,
  );
  // A close reads a program's period (transactions by program and period, then their postings by key).
  await db.schema
    .createIndex('ledger_transactions_program_period_ix')
    .on('ledger_transactions')
    .columns(['program_id', 'period', 'partner_id'])
    .execute();

  await db.schema.alterTable('statement_lines').addColumn('posting_seq', 'integer').execute();
  await sql`create unique index statement_lines_posting_ux on statement_lines (transaction_id, posting_seq)
    where posting_seq is not null`.execute(db);
  // A transaction's payable lines reach a statement together (one partner, one period, one attach), so
  // "is this transaction on a statement yet" is one probe per transaction, not one per entry.
  await db.schema
    .createIndex('statement_lines_transaction_ix')
    .on('statement_lines')
    .column('transaction_id')
    .execute();

  // The two legs of every posting beside the stored entries, with the entries' columns.
  const leg = (side: 'debit' | 'credit') => sql`
    select ${sql.lit(side === 'debit' ? 'lpd_' : 'lpc_')} || p.transaction_id || '_' || p.seq as id,
      p.transaction_id, t.vendor_id, t.partner_id, t.program_id,
      r.${sql.raw(side === 'debit' ? 'debit_account' : 'credit_account')} as account,
      ${side === 'debit' ? sql`p.amount_minor` : sql`-p.amount_minor`} as amount_minor,
      r.currency, t.period, r.component, r.rule_id, r.rule_version, p.line_id, p.base_minor, r.rate,
      r.effective_rate, r.tier, r.multiplier, r.budget_pool, null as explanation, p.seq as posting_seq
    from ledger_postings p
    join ledger_transactions t on t.id = p.transaction_id
    join ledger_rules r on r.id = p.rule`;
  await sql`create view ledger_legs as
    select id, transaction_id, vendor_id, partner_id, program_id, account, amount_minor, currency, period,
      component, rule_id, rule_version, line_id, base_minor, rate, effective_rate, tier, multiplier,
      budget_pool, explanation, null as posting_seq
    from ledger_entries
    union all ${leg('debit')}
    union all ${leg('credit')}`.execute(db);

  if (sqlite) {
    await sql`create trigger ledger_postings_payable_totals after insert on ledger_postings
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
    for (const table of ['ledger_rules', 'ledger_postings'])
      for (const op of ['update', 'delete'])
        await sql`create trigger ${sql.id(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
          begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
  } else {
    await sql`create function ledger_postings_payable_totals() returns trigger language plpgsql as $$
      begin
        insert into payable_totals (program_id, budget_pool, partner_id, period, component, currency,
          vendor_id, amount_minor, line_amount_minor, entries)
        select t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency, min(t.vendor_id),
          sum(case when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          sum(case when p.line_id is null then 0
            when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          count(*)
        from new_postings p
        join ledger_transactions t on t.id = p.transaction_id
        join ledger_rules r on r.id = p.rule
        where 'partner:rebate-payable' in (r.debit_account, r.credit_account)
        group by t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency
        order by 1, 2, 3, 4, 5, 6
        on conflict (program_id, budget_pool, partner_id, period, component, currency) do update set
          amount_minor = payable_totals.amount_minor + excluded.amount_minor,
          line_amount_minor = payable_totals.line_amount_minor + excluded.line_amount_minor,
          entries = payable_totals.entries + excluded.entries;
        return null;
      end $$`.execute(db);
    await sql`create trigger ledger_postings_payable_totals after insert on ledger_postings
      referencing new table as new_postings for each statement
      execute function ledger_postings_payable_totals()`.execute(db);
    await sql`create function ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only', tg_table_name;
      end $$`.execute(db);
    for (const table of ['ledger_rules', 'ledger_postings'])
      await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
        for each statement execute function ledger_append_only()`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await sql`drop view if exists ledger_legs`.execute(db);
  if (sqlite) {
    await sql`drop trigger if exists ledger_postings_payable_totals`.execute(db);
    for (const table of ['ledger_rules', 'ledger_postings'])
      for (const op of ['update', 'delete'])
        await sql`drop trigger if exists ${sql.id(`${table}_no_${op}`)}`.execute(db);
  } else {
    await sql`drop trigger if exists ledger_postings_payable_totals on ledger_postings`.execute(db);
    await sql`drop function if exists ledger_postings_payable_totals()`.execute(db);
    for (const table of ['ledger_rules', 'ledger_postings'])
      await sql`drop trigger if exists ${sql.id(`${table}_append_only`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ledger_append_only()`.execute(db);
  }
  await sql`drop index if exists statement_lines_posting_ux`.execute(db);
  await sql`drop index if exists statement_lines_transaction_ix`.execute(db);
  await db.schema.alterTable('statement_lines').dropColumn('posting_seq').execute();
  await db.schema.dropIndex('ledger_transactions_program_period_ix').execute();
  await db.schema.dropTable('ledger_postings').execute();
  await db.schema.dropTable('ledger_rules').execute();
}
