import { sql, SqliteAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * On SQLite, the big tables keyed by time-ordered text ids are stored WITHOUT ROWID: the table is the
 * primary-key B-tree itself, so each insert updates one B-tree instead of two. PostgreSQL has no such option.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withoutRowid(db: Kysely<any>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends string, C extends string>(builder: CreateTableBuilder<T, C>) =>
    sqlite ? builder.modifyEnd(sql`without rowid`) : builder;
}

/**
 * Foundation: vendors, programs and their versions, partners and enrolments, people, catalogue,
 * customers, orders, memberships and agreements. Runs unchanged on SQLite and PostgreSQL.
 * Never edit a committed migration: add a new one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('programs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('programs_vendor_code_uq', ['vendor_id', 'code'])
    .execute();

  await db.schema
    .createTable('program_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('program_versions_program_version_uq', ['program_id', 'version'])
    .execute();

  await db.schema
    .createTable('program_tiers')
    .addColumn('program_version_id', 'text', (c) => c.notNull().references('program_versions.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('invitation_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('program_tiers_pk', ['program_version_id', 'code'])
    .execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partners_name_ix').on('partners').column('name').execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('partner_number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('enrolments_program_partner_uq', ['program_id', 'partner_id'])
    .execute();
  await db.schema
    .createIndex('enrolments_vendor_partner_ix')
    .on('enrolments')
    .columns(['vendor_id', 'partner_id'])
    .execute();
  await db.schema.createIndex('enrolments_partner_ix').on('enrolments').column('partner_id').execute();

  await db.schema
    .createTable('supply_relationships')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('distributor_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('reseller_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('supply_relationships_pk', ['vendor_id', 'distributor_id', 'reseller_id'])
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('people_partner_ix').on('people').column('partner_id').execute();

  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('role_grants_person_ix').on('role_grants').column('person_id').execute();

  await db.schema
    .createTable('certifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('earned_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('certifications_vendor_partner_ix')
    .on('certifications')
    .columns(['vendor_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('list_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('products_vendor_sku_uq', ['vendor_id', 'sku'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('address_line', 'text')
    .addColumn('city', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(withoutRowid(db))
    .execute();
  await db.schema
    .createIndex('customers_vendor_name_ix')
    .on('customers')
    .columns(['vendor_id', 'name'])
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('end_user_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reseller_id', 'text', (c) => c.references('partners.id'))
    .addColumn('distributor_id', 'text', (c) => c.references('partners.id'))
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .$call(withoutRowid(db))
    .execute();
  // A unique index rather than a table constraint: the same guarantee, and bulk loads can build it once at the end.
  await db.schema
    .createIndex('orders_vendor_source_external_uq')
    .unique()
    .on('orders')
    .columns(['vendor_id', 'source', 'external_id'])
    .execute();
  await db.schema
    .createIndex('orders_vendor_date_ix')
    .on('orders')
    .columns(['vendor_id', 'order_date'])
    .execute();
  await db.schema
    .createIndex('orders_reseller_date_ix')
    .on('orders')
    .columns(['reseller_id', 'order_date'])
    .where('reseller_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('orders_distributor_date_ix')
    .on('orders')
    .columns(['distributor_id', 'order_date'])
    .where('distributor_id', 'is not', null)
    .execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reseller_id', 'text')
    .addColumn('distributor_id', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('returns_line_id', 'text', (c) => c.references('order_lines.id'))
    .$call(withoutRowid(db))
    .execute();
  await db.schema.createIndex('order_lines_order_ix').on('order_lines').column('order_id').execute();

  await db.schema
    .createTable('memberships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('tier_code', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('memberships_program_partner_ix')
    .on('memberships')
    .columns(['program_id', 'partner_id', 'valid_from'])
    .execute();

  await db.schema
    .createTable('agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agreement_parties')
    .addColumn('agreement_id', 'text', (c) => c.notNull().references('agreements.id'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agreement_parties_pk', ['agreement_id', 'vendor_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'agreement_parties',
    'agreements',
    'memberships',
    'order_lines',
    'orders',
    'customers',
    'products',
    'certifications',
    'role_grants',
    'people',
    'supply_relationships',
    'enrolments',
    'partners',
    'program_tiers',
    'program_versions',
    'programs',
    'vendors',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
