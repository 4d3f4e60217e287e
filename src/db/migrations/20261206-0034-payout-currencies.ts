import type { Kysely } from 'kysely';

/**
 * Payouts in the partner's currency (issue 17, docs/currencies.md).
 *
 * - `enrolments.payout_currency`: the currency a partner is paid in under a program (null = the program's
 *   own), chosen by the partner's admin or the vendor's admin among the program's payout currencies.
 * - `statements.payout_*`: a statement keeps its lines and total in the program's currency; when the
 *   partner is paid in another, it carries that currency (fixed when issued), the exact rate used (text,
 *   never a float), how it was had (the program's basis, the day of the rates, for an average its first
 *   day and day count, the derivation: direct, inverse or across a common base, and whether an earlier
 *   day's rate bridged a gap), and the converted amounts: the sum of the lines converted one by one, the
 *   converted total, and their difference (the rounding posted as its own ledger line). A period average
 *   is fixed when the statement is issued, a payout day's rate when it is paid.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('enrolments').addColumn('payout_currency', 'text').execute();
  const columns: [string, 'text' | 'bigint' | 'integer'][] = [
    ['payout_currency', 'text'],
    ['payout_rate', 'text'],
    ['payout_rate_basis', 'text'],
    ['payout_rate_day', 'text'],
    ['payout_rate_first_day', 'text'],
    ['payout_rate_days', 'integer'],
    ['payout_rate_derivation', 'text'],
    ['payout_rate_bridged', 'integer'],
    ['payout_lines_minor', 'bigint'],
    ['payout_total_minor', 'bigint'],
    ['payout_rounding_minor', 'bigint'],
  ];
  for (const [name, type] of columns)
    await db.schema.alterTable('statements').addColumn(name, type).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'payout_rounding_minor',
    'payout_total_minor',
    'payout_lines_minor',
    'payout_rate_bridged',
    'payout_rate_derivation',
    'payout_rate_days',
    'payout_rate_first_day',
    'payout_rate_day',
    'payout_rate_basis',
    'payout_rate',
    'payout_currency',
  ])
    await db.schema.alterTable('statements').dropColumn(name).execute();
  await db.schema.alterTable('enrolments').dropColumn('payout_currency').execute();
}
