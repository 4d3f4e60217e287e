import type { Kysely } from 'kysely';

/**
 * The global search (`GET /api/search`) finds an order by its number (the external id the source system
 * gave it) within the caller's scope: this index makes that a point lookup, whatever the vendor's size
 * (the unique index on (vendor, source, external id) cannot be probed without the source).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('orders_external_ix').on('orders').column('external_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_external_ix').execute();
}
