import { sql, SqliteAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** SQLite: tables read and written by their primary key are stored in it (one B-tree fewer per write). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withoutRowid(db: Kysely<any>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends string, C extends string>(builder: CreateTableBuilder<T, C>) =>
    sqlite ? builder.modifyEnd(sql`without rowid`) : builder;
}

/**
 * Rules of engagement (issue 11): who sold to whom, each account's coverage and its history, the
 * vendor's managed list of direct-named accounts, and direct orders routed to partners as offers.
 *
 * Invariants held by the database:
 * - `channel_sales` and `account_coverage` are upserted per order (primary keys on the relation), never
 *   rebuilt by scanning history per order;
 * - `named_account_counts`: one row per vendor; adding a named account is a conditional update
 *   (`active < max`), so two admins adding at once cannot pass the program's `maxCount`;
 * - `routed_orders`: one row per customer order key (vendor, source, external id), and one booked order
 *   at most (unique `order_id`), so a routed order is never booked twice;
 * - `routing_offers`: one open offer per routed order (partial unique index) and one per rank.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Who sold to whom, through the channel: one row per (vendor, customer, partner, role, family), where
  // role is reseller (sold to the customer) or distributor (supplied the reseller that did).
  await db.schema
    .createTable('channel_sales')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('first_order_date', 'text', (c) => c.notNull())
    .addColumn('last_order_date', 'text', (c) => c.notNull())
    .addColumn('last_order_id', 'text', (c) => c.notNull())
    .addColumn('orders_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_sales_pk', ['vendor_id', 'customer_id', 'partner_id', 'role', 'family'])
    .$call(withoutRowid(db))
    .execute();
  // A partner's customers with a vendor, latest first (the partner-scoped customer list).
  await db.schema
    .createIndex('channel_sales_partner_ix')
    .on('channel_sales')
    .columns(['partner_id', 'vendor_id', 'last_order_date'])
    .execute();

  // Each account's current channel run (absent: never bought through a partner).
  await db.schema
    .createTable('account_coverage')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('channel_since', 'text', (c) => c.notNull())
    .addColumn('last_channel_date', 'text', (c) => c.notNull())
    /** First day open again (last channel purchase + the program's window). */
    .addColumn('channel_until', 'text', (c) => c.notNull())
    .addColumn('last_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('last_order_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_coverage_pk', ['vendor_id', 'customer_id'])
    .$call(withoutRowid(db))
    .execute();
  await db.schema
    .createIndex('account_coverage_until_ix')
    .on('account_coverage')
    .columns(['vendor_id', 'channel_until'])
    .execute();

  // History: channel runs started, named and unnamed. Append-only (a trigger refuses update and delete).
  await db.schema
    .createTable('coverage_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    /** The day it took effect. */
    .addColumn('on_day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('order_id', 'text')
    .addColumn('named_account_id', 'text')
    .addColumn('sentence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('coverage_events_customer_ix')
    .on('coverage_events')
    .columns(['vendor_id', 'customer_id', 'on_day'])
    .execute();

  // The vendor's managed list of accounts it serves directly (seeded from the program file).
  await db.schema
    .createTable('direct_named_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    /** program (seeded from the program file) or manual. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('removed_by', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('removal_reason', 'text')
    .execute();
  await db.schema
    .createIndex('direct_named_accounts_vendor_ix')
    .on('direct_named_accounts')
    .columns(['vendor_id', 'status', 'name'])
    .execute();
  // One active entry per name (case-insensitive key kept by the use case) and vendor.
  await sql`create unique index direct_named_accounts_active_ux on direct_named_accounts (vendor_id, lower(name)) where status = 'active'`.execute(
    db,
  );
  await db.schema
    .createTable('named_account_counts')
    .addColumn('vendor_id', 'text', (c) => c.primaryKey().references('vendors.id'))
    .addColumn('active', 'integer', (c) => c.notNull())
    /** Bumped by every change of the list (the matcher's in-memory copies re-read it when it moves). */
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // Customers a named account was matched to (name variants included), with the evidence.
  await db.schema
    .createTable('direct_named_matches')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('named_account_id', 'text', (c) => c.notNull().references('direct_named_accounts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('direct_named_matches_pk', ['vendor_id', 'customer_id', 'named_account_id'])
    .execute();
  await db.schema
    .createIndex('direct_named_matches_account_ix')
    .on('direct_named_matches')
    .columns(['named_account_id'])
    .execute();

  // Every direct order's decision, and the customer's order while it is offered.
  await db.schema
    .createTable('routed_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('input_hash', 'text', (c) => c.notNull())
    /** The order as it was posted (JSON): booked as is, through the partner that accepts it. */
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('coverage_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('sentence', 'text', (c) => c.notNull())
    /** The decision (JSON): candidates, each criterion's value for each, rotation. */
    .addColumn('decision', 'text', (c) => c.notNull())
    /** direct, offered, booked-partner, booked-direct. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('booked_partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('booked_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('routed_orders_key_ux')
    .on('routed_orders')
    .columns(['vendor_id', 'source', 'external_id'])
    .unique()
    .execute();
  await sql`create unique index routed_orders_order_ux on routed_orders (order_id) where order_id is not null`.execute(
    db,
  );
  await db.schema
    .createIndex('routed_orders_vendor_created_ix')
    .on('routed_orders')
    .columns(['vendor_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('routed_orders_vendor_status_ix')
    .on('routed_orders')
    .columns(['vendor_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('routed_orders_customer_ix')
    .on('routed_orders')
    .columns(['vendor_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('routing_offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('routed_order_id', 'text', (c) => c.notNull().references('routed_orders.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    /** open, accepted, declined, lapsed. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('offered_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('decline_reason', 'text')
    .execute();
  await db.schema
    .createIndex('routing_offers_rank_ux')
    .on('routing_offers')
    .columns(['routed_order_id', 'rank'])
    .unique()
    .execute();
  await sql`create unique index routing_offers_open_ux on routing_offers (routed_order_id) where status = 'open'`.execute(
    db,
  );
  await db.schema
    .createIndex('routing_offers_partner_ix')
    .on('routing_offers')
    .columns(['partner_id', 'status', 'deadline'])
    .execute();
  await db.schema
    .createIndex('routing_offers_deadline_ix')
    .on('routing_offers')
    .columns(['status', 'deadline'])
    .execute();

  // Per partner and vendor: open offers now and answers so far (the capacity and acceptance criteria).
  await db.schema
    .createTable('routing_partner_stats')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('open_offers', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('declined', 'integer', (c) => c.notNull())
    .addColumn('lapsed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('routing_partner_stats_pk', ['vendor_id', 'partner_id'])
    .execute();
  // The vendor's rotation among equal candidates: one counter, advanced by every routed decision.
  await db.schema
    .createTable('routing_counters')
    .addColumn('vendor_id', 'text', (c) => c.primaryKey().references('vendors.id'))
    .addColumn('counter', 'integer', (c) => c.notNull())
    .execute();

  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`
      create or replace function trellis_coverage_events_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'coverage history is append-only';
      end $$`.execute(db);
    await sql`
      create trigger coverage_events_immutable before update or delete on coverage_events
      for each row execute function trellis_coverage_events_immutable()`.execute(db);
  } else {
    await sql`
      create trigger coverage_events_no_update before update on coverage_events
      begin select raise(abort, 'coverage history is append-only'); end`.execute(db);
    await sql`
      create trigger coverage_events_no_delete before delete on coverage_events
      begin select raise(abort, 'coverage history is append-only'); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'routing_counters',
    'routing_partner_stats',
    'routing_offers',
    'routed_orders',
    'direct_named_matches',
    'named_account_counts',
    'direct_named_accounts',
    'coverage_events',
    'account_coverage',
    'channel_sales',
  ])
    await db.schema.dropTable(t).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter))
    await sql`drop function if exists trellis_coverage_events_immutable()`.execute(db);
}
