import type { Kysely } from 'kysely';

/**
 * Settlement: period closes, statements (line by line, each line a ledger entry), disputes, and the
 * indexes a close reads the ledger by (program and period; an order line's entries).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ledger_entries_program_period_ix')
    .on('ledger_entries')
    .columns(['program_id', 'period', 'account'])
    .execute();
  await db.schema.createIndex('ledger_entries_line_ix').on('ledger_entries').column('line_id').execute();

  await db.schema
    .createTable('period_closes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('program_version_id', 'text', (c) => c.notNull().references('program_versions.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('partners', 'integer', (c) => c.notNull())
    .addColumn('transactions', 'integer', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('statements', 'integer', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('period_closes_program_ix')
    .on('period_closes')
    .columns(['program_id', 'period', 'closed_at'])
    .execute();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('earned_minor', 'bigint', (c) => c.notNull())
    .addColumn('clawback_minor', 'bigint', (c) => c.notNull())
    .addColumn('adjustment_minor', 'bigint', (c) => c.notNull())
    .addColumn('carried_in_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('close_id', 'text', (c) => c.references('period_closes.id'))
    .addColumn('close_on', 'text', (c) => c.notNull())
    .addColumn('pay_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('paid_minor', 'bigint')
    .addColumn('payment_reference', 'text')
    .addColumn('payout_transaction_id', 'text', (c) => c.references('ledger_transactions.id'))
    .execute();
  await db.schema
    .createIndex('statements_key_ux')
    .on('statements')
    .columns(['program_id', 'partner_id', 'period', 'sequence'])
    .unique()
    .execute();
  await db.schema
    .createIndex('statements_vendor_ix')
    .on('statements')
    .columns(['vendor_id', 'status', 'period'])
    .execute();
  await db.schema
    .createIndex('statements_partner_ix')
    .on('statements')
    .columns(['partner_id', 'period'])
    .execute();

  await db.schema
    .createTable('statement_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.references('ledger_entries.id'))
    .addColumn('transaction_id', 'text')
    .addColumn('order_id', 'text')
    .addColumn('order_line_id', 'text')
    .addColumn('order_date', 'text')
    .addColumn('family', 'text')
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'text', (c) => c.notNull())
    .addColumn('base_minor', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'integer', (c) => c.notNull())
    .addColumn('effective_rate', 'integer', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('multiplier', 'integer', (c) => c.notNull())
    .addColumn('budget_pool', 'text')
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('statement_lines_statement_ix')
    .on('statement_lines')
    .columns(['statement_id', 'line_no'])
    .unique()
    .execute();
  // A return is a clawback when the line it returns is on a paid statement.
  await db.schema
    .createIndex('statement_lines_order_line_ix')
    .on('statement_lines')
    .column('order_line_id')
    .execute();
  // An entry is on at most one statement.
  await db.schema
    .createIndex('statement_lines_entry_ux')
    .on('statement_lines')
    .column('entry_id')
    .unique()
    .execute();

  await db.schema
    .createTable('disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('statement_line_id', 'text', (c) => c.notNull().references('statement_lines.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolved_minor', 'bigint')
    .addColumn('adjustment_transaction_id', 'text', (c) => c.references('ledger_transactions.id'))
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema.createIndex('disputes_vendor_ix').on('disputes').columns(['vendor_id', 'status']).execute();
  await db.schema.createIndex('disputes_line_ix').on('disputes').column('statement_line_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('disputes').execute();
  await db.schema.dropTable('statement_lines').execute();
  await db.schema.dropTable('statements').execute();
  await db.schema.dropTable('period_closes').execute();
  await db.schema.dropIndex('ledger_entries_line_ix').execute();
  await db.schema.dropIndex('ledger_entries_program_period_ix').execute();
}
