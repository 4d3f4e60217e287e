import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Deal registration (issue 10): registrations with their lines and immutable history, the conflicts the
 * matcher found (for the vendor's reviewer only), abuse flags, the per-partner daily count of conflict
 * checks, and the two database invariants of first-to-register:
 *
 * - `deal_sequences`: one row per vendor, bumped by every submission in its own transaction. On
 *   PostgreSQL the row lock serialises the submissions of one vendor (SQLite serialises every write), so
 *   a submission's conflict search always sees every registration submitted before it.
 * - `deal_claims`: what an active registration holds (a customer, a family, a region); a partial unique
 *   index allows one active claim per (vendor, customer, family, region), so two registrations that
 *   resolved to the same customer cannot both hold it, whatever the isolation level.
 *
 * Orders may name the registration they fulfil (`orders.deal_registration_id`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deal_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('owner_person_id', 'text', (c) => c.references('people.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_domain', 'text')
    .addColumn('customer_address_line', 'text')
    .addColumn('customer_city', 'text')
    .addColumn('customer_postal_code', 'text')
    .addColumn('customer_country', 'text', (c) => c.notNull())
    .addColumn('customer_region', 'text', (c) => c.notNull())
    .addColumn('customer_segment', 'text', (c) => c.notNull())
    /** The vendor's customer this registration resolved to, when the matcher found one. */
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    /** The customer the registration holds a claim on: a customer id, or the registration's own id. */
    .addColumn('claim_key', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('expected_close_date', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('review_due_at', 'text')
    .addColumn('sla_breached_at', 'text')
    .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('approved_on', 'text')
    .addColumn('protected_until', 'text')
    .addColumn('extensions_granted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_requested_at', 'text')
    .addColumn('extension_reason', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('reason_text', 'text')
    .addColumn('won_order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('closed_at', 'text')
    .addColumn('sequence', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deal_registrations_external_ux')
    .on('deal_registrations')
    .columns(['vendor_id', 'partner_id', 'external_ref'])
    .unique()
    .execute();
  // The vendor's review queue, by due time; a partner's deals; a rep's own; a vendor's by partner.
  await db.schema
    .createIndex('deal_registrations_queue_ix')
    .on('deal_registrations')
    .columns(['vendor_id', 'status', 'review_due_at', 'id'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_partner_ix')
    .on('deal_registrations')
    .columns(['partner_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_owner_ix')
    .on('deal_registrations')
    .columns(['owner_person_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_vendor_ix')
    .on('deal_registrations')
    .columns(['vendor_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_vendor_partner_ix')
    .on('deal_registrations')
    .columns(['vendor_id', 'partner_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_sequence_ix')
    .on('deal_registrations')
    .columns(['vendor_id', 'sequence'])
    .execute();
  await db.schema
    .createIndex('deal_registrations_customer_ix')
    .on('deal_registrations')
    .columns(['customer_id'])
    .execute();

  await db.schema
    .createTable('deal_registration_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull().references('deal_registrations.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.references('products.id'))
    .addColumn('quantity', 'integer')
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .execute();
  await db.schema
    .createIndex('deal_registration_lines_ux')
    .on('deal_registration_lines')
    .columns(['registration_id', 'line_no'])
    .unique()
    .execute();

  // Immutable history: rows are only ever inserted (a trigger refuses updates and deletes).
  await db.schema
    .createTable('deal_registration_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull().references('deal_registrations.id'))
    /** 1, 2, 3...: the order of the registration's steps (unique, so no step is recorded twice). */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    /** Who the actor was, as the partner may read it: "partner", "vendor", "system". */
    .addColumn('actor_side', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('deal_registration_events_ux')
    .on('deal_registration_events')
    .columns(['registration_id', 'seq'])
    .unique()
    .execute();

  // What the matcher found on submission: the vendor's reviewer sees it; the registrant never does.
  await db.schema
    .createTable('deal_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('registration_id', 'text', (c) => c.notNull().references('deal_registrations.id'))
    /** registration, customer, named-account */
    .addColumn('other_kind', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    /** match, possible */
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    /** open, confirmed, dismissed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deal_conflicts_registration_ix')
    .on('deal_conflicts')
    .columns(['registration_id', 'score'])
    .execute();
  // The later registrations that ran into one (its reviewer sees who was turned away).
  await db.schema
    .createIndex('deal_conflicts_other_ix')
    .on('deal_conflicts')
    .columns(['other_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('deal_claims')
    .addColumn('registration_id', 'text', (c) => c.notNull().references('deal_registrations.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('claim_key', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_claims_pk', ['registration_id', 'family'])
    .execute();
  await db.schema
    .createIndex('deal_claims_active_ux')
    .on('deal_claims')
    .columns(['vendor_id', 'claim_key', 'family', 'region'])
    .unique()
    .where(sql.ref('active'), '=', sql.lit(1))
    .execute();

  await db.schema
    .createTable('deal_sequences')
    .addColumn('vendor_id', 'text', (c) => c.primaryKey().references('vendors.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .execute();

  // Conflict checks a partner ran per vendor and UTC day (submissions and live hints), to stop probing.
  await db.schema
    .createTable('deal_check_counts')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_check_counts_pk', ['vendor_id', 'partner_id', 'day'])
    .execute();

  // Abuse checks: each flag names its rule and carries its evidence, in the vendor's queue.
  await db.schema
    .createTable('deal_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('registration_id', 'text', (c) => c.references('deal_registrations.id'))
    .addColumn('order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    /** One flag per rule and subject: `<rule>:<registration or order or partner+window>`. */
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deal_flags_dedupe_ux')
    .on('deal_flags')
    .columns(['vendor_id', 'dedupe_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('deal_flags_queue_ix')
    .on('deal_flags')
    .columns(['vendor_id', 'status', 'created_at', 'id'])
    .execute();

  // The matcher's index of a vendor's customers catches up on those created since it last looked.
  await db.schema
    .createIndex('customers_vendor_created_ix')
    .on('customers')
    .columns(['vendor_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .alterTable('orders')
    .addColumn('deal_registration_id', 'text', (c) => c.references('deal_registrations.id'))
    .execute();
  await db.schema
    .createIndex('orders_deal_registration_ix')
    .on('orders')
    .column('deal_registration_id')
    .execute();

  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`
      create or replace function trellis_deal_events_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'deal registration history is append-only';
      end $$`.execute(db);
    await sql`
      create trigger deal_registration_events_immutable before update or delete on deal_registration_events
      for each row execute function trellis_deal_events_immutable()`.execute(db);
  } else {
    await sql`
      create trigger deal_registration_events_no_update before update on deal_registration_events
      begin select raise(abort, 'deal registration history is append-only'); end`.execute(db);
    await sql`
      create trigger deal_registration_events_no_delete before delete on deal_registration_events
      begin select raise(abort, 'deal registration history is append-only'); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_vendor_created_ix').execute();
  await db.schema.dropIndex('orders_deal_registration_ix').execute();
  await db.schema.alterTable('orders').dropColumn('deal_registration_id').execute();
  for (const t of [
    'deal_flags',
    'deal_check_counts',
    'deal_sequences',
    'deal_claims',
    'deal_conflicts',
    'deal_registration_events',
    'deal_registration_lines',
    'deal_registrations',
  ])
    await db.schema.dropTable(t).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter))
    await sql`drop function if exists trellis_deal_events_immutable()`.execute(db);
}
