import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Vendor agreements in force (issue 12): the one notice of termination an agreement may carry, its
 * append-only history, and the cross-vendor solution rewards each party has posted.
 *
 * Invariants held by the database:
 * - `agreement_notices`: the agreement id is the primary key, so notice is given once: two notices at
 *   once insert one row, the other finds it (409);
 * - `agreement_events`: append-only (a trigger refuses update and delete);
 * - `agreement_rewards`: one row per (agreement, funding party, partner, solution set), so a re-close
 *   posts no party's share twice.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The programs each party binds (resolved from the agreement's codes when it is published): partners
  // see the agreements binding programs they are enrolled in; the close finds the agreements of a program.
  await db.schema
    .createTable('agreement_programs')
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('agreements.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addPrimaryKeyConstraint('agreement_programs_pk', ['agreement_id', 'program_id'])
    .execute();
  await db.schema
    .createIndex('agreement_programs_program_ix')
    .on('agreement_programs')
    .columns(['program_id', 'agreement_id'])
    .execute();
  // Agreements published before this migration: their bound programs, from the stored definitions.
  const stored = (await db.selectFrom('agreements').select(['id', 'definition']).execute()) as {
    id: string;
    definition: string;
  }[];
  for (const a of stored) {
    const def = JSON.parse(a.definition) as { parties?: { vendor: string; programs?: string[] }[] };
    for (const party of def.parties ?? [])
      for (const code of party.programs ?? []) {
        const program = (await db
          .selectFrom('programs as p')
          .innerJoin('vendors as v', 'v.id', 'p.vendor_id')
          .select(['p.id as id', 'p.vendor_id as vendorId'])
          .where('v.slug', '=', party.vendor)
          .where('p.code', '=', code)
          .executeTakeFirst()) as { id: string; vendorId: string } | undefined;
        if (program)
          await db
            .insertInto('agreement_programs')
            .values({ agreement_id: a.id, vendor_id: program.vendorId, program_id: program.id })
            .execute();
      }
  }

  await db.schema
    .createTable('agreement_notices')
    .addColumn('agreement_id', 'text', (c) => c.primaryKey().references('agreements.id'))
    .addColumn('by_vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('notice_date', 'text', (c) => c.notNull())
    /** The first day no longer in force: notice date + the agreement's notice days. */
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    /** file (recorded in the agreement file when published), api or cli. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('given_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agreement_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('agreements.id'))
    /** published or notice. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
    .addColumn('actor_id', 'text')
    /** The day it speaks of (publication: the effective day; notice: the notice day). */
    .addColumn('on_day', 'text', (c) => c.notNull())
    .addColumn('sentence', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('agreement_events_agreement_ix')
    .on('agreement_events')
    .columns(['agreement_id', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('agreement_rewards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('agreements.id'))
    /** The funding party, in whose ledger the share is posted. */
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    /** The set: the customer's match key, its first and completion days. */
    .addColumn('set_key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('start_day', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    /** The funder's own lines in the set (the other parties' never appear in its rows). */
    .addColumn('own_lines', 'text', (c) => c.notNull())
    .addColumn('own_base_minor', 'bigint', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('basis_points', 'integer', (c) => c.notNull())
    .addColumn('share_minor', 'bigint', (c) => c.notNull())
    /** The whole reward of the set: shown to the partner, never to a vendor. */
    .addColumn('reward_minor', 'bigint', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('close_id', 'text')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('agreement_rewards_set_uq', ['agreement_id', 'vendor_id', 'partner_id', 'set_key'])
    .execute();
  await db.schema
    .createIndex('agreement_rewards_partner_ix')
    .on('agreement_rewards')
    .columns(['partner_id', 'agreement_id', 'completed_on'])
    .execute();
  await db.schema
    .createIndex('agreement_rewards_vendor_ix')
    .on('agreement_rewards')
    .columns(['vendor_id', 'agreement_id', 'completed_on'])
    .execute();

  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`
      create or replace function trellis_agreement_events_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'agreement history is append-only';
      end $$`.execute(db);
    await sql`
      create trigger agreement_events_immutable before update or delete on agreement_events
      for each row execute function trellis_agreement_events_immutable()`.execute(db);
  } else {
    await sql`
      create trigger agreement_events_no_update before update on agreement_events
      begin select raise(abort, 'agreement history is append-only'); end`.execute(db);
    await sql`
      create trigger agreement_events_no_delete before delete on agreement_events
      begin select raise(abort, 'agreement history is append-only'); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['agreement_rewards', 'agreement_events', 'agreement_notices', 'agreement_programs'])
    await db.schema.dropTable(t).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter))
    await sql`drop function if exists trellis_agreement_events_immutable()`.execute(db);
}
