import type { Kysely } from 'kysely';

/**
 * Webhook log retention (docs/webhooks.md, "Retention"): deliveries are found by their event, so that an
 * event whose deliveries were all pruned can be pruned too without reading every delivery.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_event_ix')
    .on('webhook_deliveries')
    .column('event_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_event_ix').execute();
}
