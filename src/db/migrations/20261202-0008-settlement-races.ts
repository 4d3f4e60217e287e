import { sql, type Kysely } from 'kysely';

/**
 * Settlement invariants held by the database, whatever the isolation level and however many requests
 * race (issue 9, item 2):
 *
 * - one open dispute per statement line (a partial unique index); open duplicates left by the race this
 *   migration closes are rejected first, keeping the earliest;
 * - one adjustment per dispute and one payout per statement (unique transaction references; the ledger's
 *   unique idempotency keys `dispute:<id>` and `payout:<statement>` already hold each at most once).
 *
 * - one grant of an invitation-only status per partner, program and start date.
 *
 * State transitions (issue, approve, pay, accept, reject) are conditional updates in the use cases.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update disputes set status = 'rejected',
      resolution = 'duplicate: another dispute of this line was open first (migration 0008)',
      resolved_by = 'system', resolved_at = opened_at
    where status = 'open' and exists (
      select 1 from disputes d2
      where d2.statement_line_id = disputes.statement_line_id and d2.status = 'open'
        and (d2.opened_at < disputes.opened_at or (d2.opened_at = disputes.opened_at and d2.id < disputes.id)))
  `.execute(db);
  await db.schema
    .createIndex('disputes_open_line_ux')
    .on('disputes')
    .column('statement_line_id')
    .unique()
    .where(sql.ref('status'), '=', sql.lit('open'))
    .execute();
  await db.schema
    .createIndex('disputes_adjustment_ux')
    .on('disputes')
    .column('adjustment_transaction_id')
    .unique()
    .execute();
  // One grant of an invitation-only status per partner, program and start: two grants racing each
  // compute the same period, and the loser's insert is refused (renewals start the next period).
  await db.schema
    .createIndex('memberships_invited_ux')
    .on('memberships')
    .columns(['program_id', 'partner_id', 'tier_code', 'valid_from'])
    .unique()
    .where(sql.ref('source'), '=', sql.lit('invited'))
    .execute();
  await db.schema
    .createIndex('statements_payout_ux')
    .on('statements')
    .column('payout_transaction_id')
    .unique()
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('statements_payout_ux').execute();
  await db.schema.dropIndex('memberships_invited_ux').execute();
  await db.schema.dropIndex('disputes_adjustment_ux').execute();
  await db.schema.dropIndex('disputes_open_line_ux').execute();
}
