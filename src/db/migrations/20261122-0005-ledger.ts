import type { Kysely } from 'kysely';

/**
 * The rebate ledger: double-entry and append-only. A transaction groups entries whose amounts sum to
 * zero (debits positive, credits negative); corrections are new transactions that reference what they
 * reverse. Each entry keeps what produced it: rule id and version, base, rate, tier, multiplier and an
 * explanation. The idempotency key is unique, with the hash of the input that produced the transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('reverses_id', 'text', (c) => c.references('ledger_transactions.id'))
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_transactions_partner_ix')
    .on('ledger_transactions')
    .columns(['vendor_id', 'partner_id', 'period'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text')
    .addColumn('base_minor', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'integer', (c) => c.notNull())
    .addColumn('effective_rate', 'integer', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('multiplier', 'integer', (c) => c.notNull())
    .addColumn('budget_pool', 'text')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_entries_transaction_ix')
    .on('ledger_entries')
    .column('transaction_id')
    .execute();
  await db.schema
    .createIndex('ledger_entries_partner_ix')
    .on('ledger_entries')
    .columns(['vendor_id', 'partner_id', 'account', 'period'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ledger_entries').execute();
  await db.schema.dropTable('ledger_transactions').execute();
}
