import type { Kysely } from 'kysely';

/**
 * Orders in other currencies (issue 17, docs/currencies.md "Orders in other currencies"). An order may be
 * in a currency its program accepts for the order's country; its lines are converted at the order day's
 * rate into the program's (the vendor's) currency. The existing `currency`, `unit_price_minor`,
 * `amount_minor` (lines) and `total_minor` (orders) hold the converted values, so every reader (tiers,
 * thresholds, rebates, closes, simulations) works unchanged; these columns keep what was invoiced and the
 * rate used. All nullable: null = the order was in the program's currency (existing rows stay as they are).
 *
 * - orders: `original_currency`, `original_total_minor` (the sum of the lines' original amounts).
 * - order_lines: `original_currency`, `original_unit_price_minor`, `original_amount_minor`; `fx_rate` (the
 *   exact decimal text, 1 original = rate converted), `fx_rate_day` (the day of the rates used: earlier
 *   than the order day when a last known rate bridged a gap), `fx_rate_source` ("direct", "inverse",
 *   "cross:EUR").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('original_currency', 'text').execute();
  await db.schema.alterTable('orders').addColumn('original_total_minor', 'bigint').execute();
  await db.schema.alterTable('order_lines').addColumn('original_currency', 'text').execute();
  await db.schema.alterTable('order_lines').addColumn('original_unit_price_minor', 'bigint').execute();
  await db.schema.alterTable('order_lines').addColumn('original_amount_minor', 'bigint').execute();
  await db.schema.alterTable('order_lines').addColumn('fx_rate', 'text').execute();
  await db.schema.alterTable('order_lines').addColumn('fx_rate_day', 'text').execute();
  await db.schema.alterTable('order_lines').addColumn('fx_rate_source', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const c of [
    'fx_rate_source',
    'fx_rate_day',
    'fx_rate',
    'original_amount_minor',
    'original_unit_price_minor',
    'original_currency',
  ])
    await db.schema.alterTable('order_lines').dropColumn(c).execute();
  await db.schema.alterTable('orders').dropColumn('original_total_minor').execute();
  await db.schema.alterTable('orders').dropColumn('original_currency').execute();
}
