import { sql, type Kysely } from 'kysely';

/**
 * Money limits (docs/limits.md): each vendor's gross order volume, the sum of |line amount| of every
 * line ever accepted (returns included). Every path that writes order lines raises it with a conditional
 * update in the same transaction and is refused when it would pass the limit, so every sum over a
 * vendor's lines stays exact. Existing vendors start from the lines already stored.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_volumes')
    .addColumn('vendor_id', 'text', (c) => c.primaryKey().references('vendors.id'))
    .addColumn('gross_minor', 'bigint', (c) => c.notNull())
    .execute();
  await sql`
    insert into vendor_volumes (vendor_id, gross_minor)
    select v.id, coalesce((select sum(abs(l.amount_minor)) from order_lines l where l.vendor_id = v.id), 0)
    from vendors v`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vendor_volumes').execute();
}
