import { sql, type Kysely } from 'kysely';

/**
 * Webhooks through an outbox (issue 16, item 2; docs/webhooks.md).
 *
 * - `webhook_endpoints`: a URL an admin registered for its vendor (`vendor_id`) or its partner
 *   (`partner_id`), exactly one of the two; the event types it takes (JSON array of type names); its
 *   signing secret encrypted (AES-256-GCM, `secret_enc`) and, after a rotation, the previous one until
 *   `previous_secret_until` (both sign meanwhile); `consecutive_failures` counts failed attempts since the
 *   last success (at the limit the endpoint is `disabled`, with its reason).
 * - `webhook_events`: the outbox. One row per (change, audience), written in the transaction of the
 *   change: `partner_id` null = for the vendor's endpoints, else for that partner's endpoints only (its
 *   payload carries nothing of another partner). `fanout_state` pending until a dispatcher has made the
 *   deliveries of the endpoints subscribed at that time.
 * - `webhook_deliveries`: one event to one endpoint (unique), claimed by a dispatcher with a lease
 *   (`claimed_by`, `claimed_until`) by a conditional update, then marked succeeded or scheduled again with
 *   back-off (`tries` in the current round; `attempts` ever); redelivery starts a new round.
 * - `webhook_attempts`: the log, one row per attempt (unique per delivery and attempt number).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('previous_secret_enc', 'text')
    .addColumn('previous_secret_until', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('webhook_endpoints_owner_ck', sql`(vendor_id is null) <> (partner_id is null)`)
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_vendor_ix')
    .on('webhook_endpoints')
    .columns(['vendor_id', 'status'])
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_partner_ix')
    .on('webhook_endpoints')
    .columns(['partner_id', 'status'])
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('fanout_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema
    .createIndex('webhook_events_fanout_ix')
    .on('webhook_events')
    .columns(['fanout_state', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event_endpoint_uq', ['endpoint_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due_ix')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_ix')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addUniqueConstraint('webhook_attempts_delivery_attempt_uq', ['delivery_id', 'attempt'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_events').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
