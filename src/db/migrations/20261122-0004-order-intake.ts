import { sql, type Kysely } from 'kysely';

/**
 * Order intake: each order keeps the hash of the content it was posted with, so a replay of its key
 * (vendor, source, external id) with the same content returns the original and other content is refused.
 * Returns find what was already returned of a line through an index on returns_line_id.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('input_hash', 'text').execute();
  await db.schema
    .createIndex('order_lines_returns_ix')
    .on('order_lines')
    .column('returns_line_id')
    .where(sql.ref('returns_line_id'), 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_lines_returns_ix').execute();
  await db.schema.alterTable('orders').dropColumn('input_hash').execute();
}
