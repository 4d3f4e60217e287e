import type { Kysely } from 'kysely';

/**
 * Exchange rates by day (issue 17, docs/currencies.md): a vendor's rates, loaded by CSV or the API. One row
 * per pair and day: 1 unit of `base` is worth `rate` units of `quote`, the rate an exact decimal kept as
 * text (never a float). Where it came from (`source`: the file name, "api") and who loaded it. A rate is
 * replaced only on purpose (audited); the amounts converted with it keep the rate they used on their rows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('exchange_rates')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('loaded_by', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_rates_pk', ['vendor_id', 'base', 'quote', 'day'])
    .execute();
  // A conversion reads every pair of a vendor over a window of days (rate books, period averages).
  await db.schema
    .createIndex('exchange_rates_day_ix')
    .on('exchange_rates')
    .columns(['vendor_id', 'day'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exchange_rates').execute();
}
