import { sql, type Kysely } from 'kysely';

/**
 * Market development funds (issue 16, item 1; docs/marketing-funds.md).
 *
 * - `mdf_activities`: a partner's marketing activity in a program, from its proposal to its paid claim (the
 *   life cycle of src/core/mdf/activity.ts). `fund` is `earned` (the partner's earned MDF, the ledger
 *   account `partner:mdf-fund`) or the code of one of the program's proposal funds; `fund_period` is that
 *   fund's period (the fiscal quarter `FY22-Q2` or year `FY22` of the activity's start); `quarter` is the
 *   fiscal quarter of its start for reporting. `zone` and `region` are the partner's (a zone of the
 *   program; the sales region keeps channel managers to theirs). Amounts in minor units of `currency`.
 *   `claim_seq` counts the claims made (a rejected claim may be followed by another until the deadline);
 *   `version` grows with every change: each change is a conditional update on it, so of two requests
 *   racing on one activity only one changes it (a claim is never paid twice).
 * - `mdf_activity_events`: its history, append-only, one row per step (unique per activity and seq).
 * - `mdf_claim_files`: the proof files of each claim (stored files of the files feature, by id).
 * - `mdf_activity_links`: the deal registrations and orders an activity brought (its ROI); unique.
 * - `mdf_fund_guards`: one row per fund (`earned:<program>:<partner>`, or
 *   `proposal:<program>:<fund>:<period>`) whose version a pre-approval bumps conditionally after it read
 *   what the fund had available: of two pre-approvals racing on one fund, one waits and finds the version
 *   moved, reads again, and can never overdraw it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mdf_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('fund', 'text', (c) => c.notNull())
    .addColumn('fund_period', 'text')
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('expected_outcome', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('expected_revenue_minor', 'bigint')
    .addColumn('expected_registrations', 'integer')
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('requested_minor', 'bigint', (c) => c.notNull())
    .addColumn('preapproved_minor', 'bigint')
    .addColumn('claimed_minor', 'bigint')
    .addColumn('paid_minor', 'bigint')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('proposed', 'preapproved', 'refused', 'claimed', 'claim-rejected', 'paid', 'withdrawn', 'lapsed')`,
        ),
    )
    .addColumn('claim_deadline', 'text', (c) => c.notNull())
    .addColumn('claim_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decision_reason', 'text')
    .addColumn('ledger_transaction_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('mdf_activities_dates_ck', sql`starts_on <= ends_on`)
    .addCheckConstraint('mdf_activities_requested_ck', sql`requested_minor > 0`)
    .addCheckConstraint(
      'mdf_activities_amounts_ck',
      sql`(preapproved_minor is null or preapproved_minor <= requested_minor)
        and (claimed_minor is null or claimed_minor <= preapproved_minor)
        and (paid_minor is null or paid_minor <= claimed_minor)`,
    )
    .execute();
  for (const [name, columns] of [
    ['mdf_activities_vendor_ix', ['vendor_id', 'status', 'created_at', 'id']],
    ['mdf_activities_partner_ix', ['partner_id', 'status', 'created_at', 'id']],
    ['mdf_activities_program_ix', ['program_id', 'quarter', 'zone']],
    ['mdf_activities_fund_ix', ['program_id', 'fund', 'fund_period', 'status']],
    ['mdf_activities_earned_ix', ['program_id', 'partner_id', 'fund']],
    ['mdf_activities_deadline_ix', ['status', 'claim_deadline']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('mdf_activities')
      .columns([...columns])
      .execute();

  await db.schema
    .createTable('mdf_activity_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) => c.notNull().references('mdf_activities.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('amount_minor', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('claim_seq', 'integer')
    .addUniqueConstraint('mdf_activity_events_seq_uq', ['activity_id', 'seq'])
    .execute();

  await db.schema
    .createTable('mdf_claim_files')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('mdf_activities.id'))
    .addColumn('claim_seq', 'integer', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mdf_claim_files_pk', ['activity_id', 'claim_seq', 'file_id'])
    .execute();

  await db.schema
    .createTable('mdf_activity_links')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('mdf_activities.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('registration', 'order')`))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mdf_activity_links_pk', ['activity_id', 'kind', 'target_id'])
    .execute();

  await db.schema
    .createTable('mdf_fund_guards')
    .addColumn('fund_key', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mdf_fund_guards').execute();
  await db.schema.dropTable('mdf_activity_links').execute();
  await db.schema.dropTable('mdf_claim_files').execute();
  await db.schema.dropTable('mdf_activity_events').execute();
  await db.schema.dropTable('mdf_activities').execute();
}
