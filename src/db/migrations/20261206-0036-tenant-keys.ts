import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Tenant keys (issue 18, docs/architecture.md "Tenant keys (issue 18)"). Every vendor-owned table (a
 * *distributed* table in Citus's words) keys its rows by vendor: its primary key and unique keys include
 * `vendor_id`, and a foreign key between two vendor-owned tables includes it too, so a row and what it
 * points at always live in the same shard. Shared tables (vendors, partners, people, agreements, ...: the
 * list and its reasons are in `src/db/postgres/tenant-keys.ts`) are reference tables and point at no vendor-owned
 * table.
 *
 * On PostgreSQL:
 * - `vendor_id` is added where a vendor-owned child had none (ledger postings, an MDF activity's events,
 *   claim files and links, the MDF fund guards), backfilled from the parent, then made not null;
 * - the 38 primary keys without `vendor_id` become `(vendor_id, ...)`, the 17 unique keys without it gain
 *   it first (same names, same partial conditions), and the 52 foreign keys between vendor-owned tables
 *   become `(vendor_id, x) references parent (vendor_id, id)`;
 * - a program transfer (a reference table: a split or merge may span two vendors) no longer has foreign
 *   keys to the programs it carries between (the transfer use case reads both programs in its transaction);
 * - the payable-totals trigger functions upsert on the new key, and the `ledger_legs` view and the
 *   postings trigger join a posting to its transaction and rule on the vendor too.
 *
 * On SQLite only the columns are added (nullable there: SQLite cannot add a not-null column without a
 * default; the repositories write it on both stores). SQLite keeps its keys: it is never distributed, a
 * key change there is a table rebuild, and its keys on `id` alone are stricter than the composite ones, so
 * every statement that works on PostgreSQL works on it. Statements name conflict targets both stores have
 * (or none, for a table with one key).
 *
 * This file is the schema at migration 0034 written out: it never reads the catalog to decide, so it does
 * the same on every store.
 */

/** Vendor-owned children that had no vendor_id: [table, parent, column naming the parent row]. */
const CHILDREN: readonly (readonly [string, string, string])[] = [
  ['ledger_postings', 'ledger_transactions', 'transaction_id'],
  ['mdf_activity_events', 'mdf_activities', 'activity_id'],
  ['mdf_claim_files', 'mdf_activities', 'activity_id'],
  ['mdf_activity_links', 'mdf_activities', 'activity_id'],
];

/** Primary keys without vendor_id: [table, constraint, columns]. They become (vendor_id, columns). */
const PRIMARY_KEYS: readonly (readonly [string, string, string])[] = [
  ['programs', 'programs_pkey', 'id'],
  ['program_versions', 'program_versions_pkey', 'id'],
  ['program_tiers', 'program_tiers_pk', 'program_version_id, code'],
  ['enrolments', 'enrolments_pkey', 'id'],
  ['certifications', 'certifications_pkey', 'id'],
  ['products', 'products_pkey', 'id'],
  ['customers', 'customers_pkey', 'id'],
  ['orders', 'orders_pkey', 'id'],
  ['order_lines', 'order_lines_pkey', 'id'],
  ['memberships', 'memberships_pkey', 'id'],
  ['ledger_transactions', 'ledger_transactions_pkey', 'id'],
  ['ledger_entries', 'ledger_entries_pkey', 'id'],
  ['period_closes', 'period_closes_pkey', 'id'],
  ['statements', 'statements_pkey', 'id'],
  ['statement_lines', 'statement_lines_pkey', 'id'],
  ['disputes', 'disputes_pkey', 'id'],
  ['payable_totals', 'payable_totals_pk', 'program_id, budget_pool, partner_id, period, component, currency'],
  ['deal_registrations', 'deal_registrations_pkey', 'id'],
  ['deal_registration_lines', 'deal_registration_lines_pkey', 'id'],
  ['deal_registration_events', 'deal_registration_events_pkey', 'id'],
  ['deal_conflicts', 'deal_conflicts_pkey', 'id'],
  ['deal_claims', 'deal_claims_pk', 'registration_id, family'],
  ['deal_flags', 'deal_flags_pkey', 'id'],
  ['coverage_events', 'coverage_events_pkey', 'id'],
  ['direct_named_accounts', 'direct_named_accounts_pkey', 'id'],
  ['routed_orders', 'routed_orders_pkey', 'id'],
  ['routing_offers', 'routing_offers_pkey', 'id'],
  ['agreement_programs', 'agreement_programs_pk', 'agreement_id, program_id'],
  ['agreement_rewards', 'agreement_rewards_pkey', 'id'],
  ['ledger_rules', 'ledger_rules_pkey', 'id'],
  ['ledger_postings', 'ledger_postings_pk', 'transaction_id, seq'],
  ['simulations', 'simulations_pkey', 'id'],
  ['stored_files', 'stored_files_pkey', 'id'],
  ['mdf_activities', 'mdf_activities_pkey', 'id'],
  ['mdf_activity_events', 'mdf_activity_events_pkey', 'id'],
  ['mdf_claim_files', 'mdf_claim_files_pk', 'activity_id, claim_seq, file_id'],
  ['mdf_activity_links', 'mdf_activity_links_pk', 'activity_id, kind, target_id'],
  ['mdf_fund_guards', 'mdf_fund_guards_pkey', 'fund_key'],
];

/**
 * Unique keys without vendor_id: [table, name, columns, partial condition, a constraint (else an index)].
 * They become unique on (vendor_id, columns), same name and condition.
 */
const UNIQUE_KEYS: readonly (readonly [string, string, string, string | null, boolean])[] = [
  ['program_versions', 'program_versions_program_version_uq', 'program_id, version', null, true],
  ['enrolments', 'enrolments_program_partner_uq', 'program_id, partner_id', null, true],
  [
    'memberships',
    'memberships_invited_ux',
    'program_id, partner_id, tier_code, valid_from',
    "source = 'invited'",
    false,
  ],
  ['ledger_transactions', 'ledger_transactions_idempotency_key_key', 'idempotency_key', null, true],
  ['statements', 'statements_key_ux', 'program_id, partner_id, period, sequence', null, false],
  ['statements', 'statements_payout_ux', 'payout_transaction_id', null, false],
  ['statement_lines', 'statement_lines_entry_ux', 'entry_id', 'entry_id is not null', false],
  ['statement_lines', 'statement_lines_statement_ix', 'statement_id, line_no', null, false],
  ['statement_lines', 'statement_lines_transaction_seq_ux', 'transaction_id, posting_seq', null, false],
  ['disputes', 'disputes_adjustment_ux', 'adjustment_transaction_id', null, false],
  ['disputes', 'disputes_open_line_ux', 'statement_line_id', "status = 'open'", false],
  ['deal_registration_lines', 'deal_registration_lines_ux', 'registration_id, line_no', null, false],
  ['deal_registration_events', 'deal_registration_events_ux', 'registration_id, seq', null, false],
  ['routed_orders', 'routed_orders_order_ux', 'order_id', 'order_id is not null', false],
  ['routing_offers', 'routing_offers_open_ux', 'routed_order_id', "status = 'open'", false],
  ['routing_offers', 'routing_offers_rank_ux', 'routed_order_id, rank', null, false],
  ['mdf_activity_events', 'mdf_activity_events_seq_uq', 'activity_id, seq', null, true],
];

/**
 * Foreign keys between vendor-owned tables: [table, column, parent]. Each is named `<table>_<column>_fkey`
 * and references the parent's id; it becomes (vendor_id, column) references parent (vendor_id, id).
 */
const FOREIGN_KEYS: readonly (readonly [string, string, string])[] = [
  ['program_versions', 'program_id', 'programs'],
  ['program_tiers', 'program_version_id', 'program_versions'],
  ['enrolments', 'program_id', 'programs'],
  ['orders', 'customer_id', 'customers'],
  ['orders', 'deal_registration_id', 'deal_registrations'],
  ['order_lines', 'order_id', 'orders'],
  ['order_lines', 'product_id', 'products'],
  ['order_lines', 'returns_line_id', 'order_lines'],
  ['memberships', 'program_id', 'programs'],
  ['ledger_transactions', 'program_id', 'programs'],
  ['ledger_transactions', 'reverses_id', 'ledger_transactions'],
  ['ledger_entries', 'transaction_id', 'ledger_transactions'],
  ['period_closes', 'program_id', 'programs'],
  ['period_closes', 'program_version_id', 'program_versions'],
  ['statements', 'close_id', 'period_closes'],
  ['statements', 'payout_transaction_id', 'ledger_transactions'],
  ['statements', 'program_id', 'programs'],
  ['statement_lines', 'entry_id', 'ledger_entries'],
  ['statement_lines', 'statement_id', 'statements'],
  ['disputes', 'adjustment_transaction_id', 'ledger_transactions'],
  ['disputes', 'program_id', 'programs'],
  ['disputes', 'statement_id', 'statements'],
  ['disputes', 'statement_line_id', 'statement_lines'],
  ['deal_registrations', 'customer_id', 'customers'],
  ['deal_registrations', 'program_id', 'programs'],
  ['deal_registrations', 'won_order_id', 'orders'],
  ['deal_registration_lines', 'product_id', 'products'],
  ['deal_registration_lines', 'registration_id', 'deal_registrations'],
  ['deal_registration_events', 'registration_id', 'deal_registrations'],
  ['deal_conflicts', 'registration_id', 'deal_registrations'],
  ['deal_claims', 'registration_id', 'deal_registrations'],
  ['deal_flags', 'order_id', 'orders'],
  ['deal_flags', 'registration_id', 'deal_registrations'],
  ['channel_sales', 'customer_id', 'customers'],
  ['account_coverage', 'customer_id', 'customers'],
  ['coverage_events', 'customer_id', 'customers'],
  ['direct_named_matches', 'customer_id', 'customers'],
  ['direct_named_matches', 'named_account_id', 'direct_named_accounts'],
  ['routed_orders', 'customer_id', 'customers'],
  ['routed_orders', 'order_id', 'orders'],
  ['routed_orders', 'program_id', 'programs'],
  ['routing_offers', 'routed_order_id', 'routed_orders'],
  ['agreement_programs', 'program_id', 'programs'],
  ['agreement_rewards', 'customer_id', 'customers'],
  ['agreement_rewards', 'program_id', 'programs'],
  ['ledger_rules', 'program_id', 'programs'],
  ['ledger_postings', 'rule', 'ledger_rules'],
  ['ledger_postings', 'transaction_id', 'ledger_transactions'],
  ['mdf_activities', 'program_id', 'programs'],
  ['mdf_activity_events', 'activity_id', 'mdf_activities'],
  ['mdf_claim_files', 'activity_id', 'mdf_activities'],
  ['mdf_activity_links', 'activity_id', 'mdf_activities'],
];

/** Foreign keys of reference tables to vendor-owned ones, dropped: [table, column, parent]. */
const REFERENCE_TO_DISTRIBUTED: readonly (readonly [string, string, string])[] = [
  ['program_transfers', 'source_program_id', 'programs'],
  ['program_transfers', 'target_program_id', 'programs'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const run = (db: Db, text: string) => sql.raw(text).execute(db);

async function addVendorColumns(db: Db, sqlite: boolean): Promise<void> {
  for (const [table, parent, column] of CHILDREN) {
    await run(db, `alter table ${table} add column vendor_id text`);
    await run(
      db,
      `update ${table} set vendor_id = (select p.vendor_id from ${parent} p where p.id = ${table}.${column})`,
    );
  }
  // A fund guard's key names its program (`earned:<program>:<partner>`, `proposal:<program>:<fund>:<period>`).
  await run(db, `alter table mdf_fund_guards add column vendor_id text`);
  await run(
    db,
    `update mdf_fund_guards set vendor_id = (select p.vendor_id from programs p
       where mdf_fund_guards.fund_key like '%:' || p.id || ':%')`,
  );
  if (!sqlite)
    for (const table of [...CHILDREN.map(([t]) => t), 'mdf_fund_guards'])
      await run(db, `alter table ${table} alter column vendor_id set not null`);
}

/** The payable totals' trigger functions (PostgreSQL), upserting on `key`, joining on the vendor or not. */
function payableTotalsFunctions(tenantKeys: boolean): string[] {
  const key = tenantKeys
    ? 'vendor_id, program_id, budget_pool, partner_id, period, component, currency'
    : 'program_id, budget_pool, partner_id, period, component, currency';
  const vendor = tenantKeys ? 'vendor_id' : 'min(vendor_id)';
  const group = tenantKeys ? 'vendor_id, ' : '';
  const order = tenantKeys ? '1, 2, 3, 4, 5, 6, 7' : '1, 2, 3, 4, 5, 6';
  const entries = `create or replace function ledger_entries_payable_totals() returns trigger language plpgsql as $$
      begin
        insert into payable_totals (${tenantKeys ? 'vendor_id, ' : ''}program_id, budget_pool, partner_id, period, component,
          currency, ${tenantKeys ? '' : 'vendor_id, '}amount_minor, line_amount_minor, entries)
        select ${tenantKeys ? 'vendor_id, ' : ''}program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period,
          component, currency, ${tenantKeys ? '' : `${vendor}, `}sum(amount_minor),
          sum(case when line_id is null then 0 else amount_minor end), count(*)
        from new_entries where account = 'partner:rebate-payable'
        group by ${group}program_id, coalesce(budget_pool, ''), coalesce(partner_id, ''), period, component, currency
        order by ${order}
        on conflict (${key}) do update set
          amount_minor = payable_totals.amount_minor + excluded.amount_minor,
          line_amount_minor = payable_totals.line_amount_minor + excluded.line_amount_minor,
          entries = payable_totals.entries + excluded.entries;
        return null;
      end $$`;
  const tv = tenantKeys ? 't.vendor_id, ' : '';
  const postings = `create or replace function ledger_postings_payable_totals() returns trigger language plpgsql as $$
      begin
        insert into payable_totals (${tenantKeys ? 'vendor_id, ' : ''}program_id, budget_pool, partner_id, period, component,
          currency, ${tenantKeys ? '' : 'vendor_id, '}amount_minor, line_amount_minor, entries)
        select ${tv}t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency, ${tenantKeys ? '' : 'min(t.vendor_id), '}
          sum(case when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          sum(case when p.line_id is null then 0
            when r.credit_account = 'partner:rebate-payable' then -p.amount_minor else p.amount_minor end),
          count(*)
        from new_postings p
        join ledger_transactions t on ${tenantKeys ? 't.vendor_id = p.vendor_id and ' : ''}t.id = p.transaction_id
        join ledger_rules r on ${tenantKeys ? 'r.vendor_id = p.vendor_id and ' : ''}r.id = p.rule
        where 'partner:rebate-payable' in (r.debit_account, r.credit_account)
        group by ${tv}t.program_id, coalesce(r.budget_pool, ''), coalesce(t.partner_id, ''), t.period, r.component,
          r.currency
        order by ${order}
        on conflict (${key}) do update set
          amount_minor = payable_totals.amount_minor + excluded.amount_minor,
          line_amount_minor = payable_totals.line_amount_minor + excluded.line_amount_minor,
          entries = payable_totals.entries + excluded.entries;
        return null;
      end $$`;
  return [entries, postings];
}

/** The ledger_legs view (as migration 0019 made it), joining postings to their rows on the vendor or not. */
function legsView(tenantKeys: boolean): string {
  const on = (alias: string, column: string) =>
    tenantKeys
      ? `${alias}.vendor_id = p.vendor_id and ${alias}.id = p.${column}`
      : `${alias}.id = p.${column}`;
  const leg = (side: 'debit' | 'credit') => `
    select '${side === 'debit' ? 'lpd_' : 'lpc_'}' || p.transaction_id || '_' || p.seq as id, p.transaction_id,
      t.vendor_id, t.partner_id, t.program_id, r.${side}_account as account,
      ${side === 'debit' ? 'p.amount_minor' : '-p.amount_minor'} as amount_minor,
      r.currency, t.period, r.component, r.rule_id, r.rule_version, p.line_id, p.base_minor, r.rate,
      r.effective_rate, r.tier, r.multiplier, r.budget_pool, null as explanation, p.seq as posting_seq
    from ledger_postings p
    join ledger_transactions t on ${on('t', 'transaction_id')}
    join ledger_rules r on ${on('r', 'rule')}`;
  return `create or replace view ledger_legs as
    select id, transaction_id, vendor_id, partner_id, program_id, account, amount_minor, currency, period,
      component, rule_id, rule_version, line_id, base_minor, rate, effective_rate, tier, multiplier,
      budget_pool, explanation, null::integer as posting_seq
    from ledger_entries
    union all ${leg('debit')}
    union all ${leg('credit')}`;
}

const uniqueDdl = (
  [table, name, columns, where, constraint]: (typeof UNIQUE_KEYS)[number],
  withVendor: boolean,
) => {
  const cols = withVendor ? `vendor_id, ${columns}` : columns;
  return constraint
    ? `alter table ${table} add constraint ${name} unique (${cols})`
    : `create unique index ${name} on ${table} (${cols})${where ? ` where ${where}` : ''}`;
};
const dropUnique = ([table, name, , , constraint]: (typeof UNIQUE_KEYS)[number]) =>
  constraint ? `alter table ${table} drop constraint ${name}` : `drop index ${name}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // Postings are append-only: their guard steps aside while the backfill writes the new column.
  if (sqlite) await run(db, 'drop trigger ledger_postings_no_update');
  else await run(db, 'alter table ledger_postings disable trigger ledger_postings_append_only');
  await addVendorColumns(db, sqlite);
  if (sqlite) {
    await run(
      db,
      `create trigger ledger_postings_no_update before update on ledger_postings
         begin select raise(abort, 'ledger_postings is append-only'); end`,
    );
    return;
  }
  await run(db, 'alter table ledger_postings enable trigger ledger_postings_append_only');

  for (const [table, column] of [...FOREIGN_KEYS, ...REFERENCE_TO_DISTRIBUTED])
    await run(db, `alter table ${table} drop constraint ${table}_${column}_fkey`);
  for (const [table, name, columns] of PRIMARY_KEYS) {
    await run(db, `alter table ${table} drop constraint ${name}`);
    await run(db, `alter table ${table} add constraint ${name} primary key (vendor_id, ${columns})`);
  }
  for (const key of UNIQUE_KEYS) {
    await run(db, dropUnique(key));
    await run(db, uniqueDdl(key, true));
  }
  for (const [table, column, parent] of FOREIGN_KEYS)
    await run(
      db,
      `alter table ${table} add constraint ${table}_${column}_fkey
         foreign key (vendor_id, ${column}) references ${parent} (vendor_id, id)`,
    );
  for (const text of payableTotalsFunctions(true)) await run(db, text);
  await run(db, legsView(true));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!sqlite) {
    await run(db, legsView(false));
    for (const text of payableTotalsFunctions(false)) await run(db, text);
    for (const [table, column] of FOREIGN_KEYS)
      await run(db, `alter table ${table} drop constraint ${table}_${column}_fkey`);
    for (const key of UNIQUE_KEYS) {
      await run(db, dropUnique(key));
      await run(db, uniqueDdl(key, false));
    }
    for (const [table, name, columns] of PRIMARY_KEYS) {
      await run(db, `alter table ${table} drop constraint ${name}`);
      await run(db, `alter table ${table} add constraint ${name} primary key (${columns})`);
    }
    for (const [table, column, parent] of [...FOREIGN_KEYS, ...REFERENCE_TO_DISTRIBUTED])
      await run(
        db,
        `alter table ${table} add constraint ${table}_${column}_fkey foreign key (${column}) references ${parent} (id)`,
      );
  }
  for (const table of [...CHILDREN.map(([t]) => t), 'mdf_fund_guards'])
    await run(db, `alter table ${table} drop column vendor_id`);
}
