import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Program transfers (issue 12, item 3): a split carries a partner base from one vendor's program to
 * another vendor's program; a merge brings legacy programs into one with a status match. Both are
 * recorded once they have committed, with one row per partner carried and its "no change" check.
 *
 * Invariants held by the database:
 * - `program_transfers.transfer_key` is unique (`split:<source>:<target>`, `merge:<target>`): a partner
 *   base is carried once; of two concurrent runs of the same split one inserts the key, the other fails
 *   on it and rolls back whole;
 * - `program_transfer_partners.carry_key` is unique (`split:<source>:<target>:<partner>`,
 *   `merge:<target>:<partner>`): a partner is carried once by any transfer of the same pair;
 * - both tables are append-only (a trigger refuses updates and deletes): a transfer is history.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('program_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** split or merge */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('transfer_key', 'text', (c) => c.notNull().unique())
    /** Split: the source program; merge: null (the legacy programs are in `source_program_ids`). */
    .addColumn('source_program_id', 'text', (c) => c.references('programs.id'))
    /** JSON array of the source (split) or legacy (merge) program ids. */
    .addColumn('source_program_ids', 'text', (c) => c.notNull())
    .addColumn('target_vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('target_program_id', 'text', (c) => c.notNull().references('programs.id'))
    /** The day partners hold their carried standing from. */
    .addColumn('on_day', 'text', (c) => c.notNull())
    /** The day the promise was checked on (the day after). */
    .addColumn('check_day', 'text', (c) => c.notNull())
    /** JSON: source tier -> target tier (split), or the status match's legacy mapping (merge). */
    .addColumn('tier_map', 'text', (c) => c.notNull())
    .addColumn('grandfather_until', 'text')
    /** carried, or carried-with-differences (the caller accepted the listed differences). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('partners', 'integer', (c) => c.notNull())
    .addColumn('enrolments', 'integer', (c) => c.notNull())
    .addColumn('memberships', 'integer', (c) => c.notNull())
    .addColumn('certifications', 'integer', (c) => c.notNull())
    .addColumn('not_carried', 'integer', (c) => c.notNull())
    .addColumn('differences', 'integer', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('program_transfers_target_ix')
    .on('program_transfers')
    .columns(['target_program_id', 'created_at'])
    .execute();

  // The vendors a transfer concerns (source and target of a split, the target and every legacy vendor of
  // a merge): each one's readers see it. One row per (transfer, vendor).
  await db.schema
    .createTable('program_transfer_parties')
    .addColumn('transfer_id', 'text', (c) => c.notNull().references('program_transfers.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    /** source, target (a vendor that is both, in a merge, is target) */
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_transfer_parties_pk', ['transfer_id', 'vendor_id'])
    .execute();
  await db.schema
    .createIndex('program_transfer_parties_vendor_ix')
    .on('program_transfer_parties')
    .columns(['vendor_id', 'created_at', 'transfer_id'])
    .execute();

  await db.schema
    .createTable('program_transfer_partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transfer_id', 'text', (c) => c.notNull().references('program_transfers.id'))
    .addColumn('carry_key', 'text', (c) => c.notNull().unique())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('source_tier', 'text', (c) => c.notNull())
    .addColumn('promised_tier', 'text', (c) => c.notNull())
    .addColumn('held_tier', 'text')
    .addColumn('enrolled', 'integer', (c) => c.notNull())
    .addColumn('membership_id', 'text')
    .addColumn('certifications', 'integer', (c) => c.notNull())
    /** 1 when the check found no difference. */
    .addColumn('ok', 'integer', (c) => c.notNull())
    /** 1 when the caller accepted this partner's differences. */
    .addColumn('accepted', 'integer', (c) => c.notNull())
    /** JSON: the check (rates per family, differences). */
    .addColumn('check', 'text', (c) => c.notNull())
    /** JSON: what could not be carried, with why; and the ids of the certifications written. */
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('program_transfer_partners_transfer_ix')
    .on('program_transfer_partners')
    .columns(['transfer_id', 'partner_id'])
    .execute();

  const immutable = ['program_transfers', 'program_transfer_parties', 'program_transfer_partners'];
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`
      create or replace function trellis_program_transfers_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'program transfers are append-only';
      end $$`.execute(db);
    for (const t of immutable)
      await sql`
        create trigger ${sql.raw(`${t}_immutable`)} before update or delete on ${sql.table(t)}
        for each row execute function trellis_program_transfers_immutable()`.execute(db);
  } else {
    for (const t of immutable) {
      await sql`
        create trigger ${sql.raw(`${t}_no_update`)} before update on ${sql.table(t)}
        begin select raise(abort, 'program transfers are append-only'); end`.execute(db);
      await sql`
        create trigger ${sql.raw(`${t}_no_delete`)} before delete on ${sql.table(t)}
        begin select raise(abort, 'program transfers are append-only'); end`.execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['program_transfer_partners', 'program_transfer_parties', 'program_transfers'])
    await db.schema.dropTable(t).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter))
    await sql`drop function if exists trellis_program_transfers_immutable()`.execute(db);
}
