import type { Kysely } from 'kysely';

/**
 * Tiers: memberships learn when they are protected from downgrades (status match, grandfathering),
 * who sponsored an invitation, and what produced them (the evaluation's path and measures, as JSON).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('grandfathered_until', 'text').execute();
  await db.schema.alterTable('memberships').addColumn('sponsor', 'text').execute();
  await db.schema
    .alterTable('memberships')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('memberships_partner_ix').on('memberships').column('partner_id').execute();
  await db.schema
    .createIndex('order_lines_vendor_date_ix')
    .on('order_lines')
    .columns(['vendor_id', 'order_date'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_lines_vendor_date_ix').execute();
  await db.schema.dropIndex('memberships_partner_ix').execute();
  await db.schema.alterTable('memberships').dropColumn('detail').execute();
  await db.schema.alterTable('memberships').dropColumn('sponsor').execute();
  await db.schema.alterTable('memberships').dropColumn('grandfathered_until').execute();
}
