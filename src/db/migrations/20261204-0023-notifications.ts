import { sql, type Kysely } from 'kysely';

/**
 * Notifications (issue 15): an in-app feed and e-mail.
 *
 * - `people.locale` ('en' | 'fr', null = not chosen) and `people.email_notifications` (1 = send e-mail);
 *   `people.notifications_read_before`: "mark all read" (everything created up to it is read).
 * - `notifications`: one row per event, written in the transaction of the event (an outbox). It carries a
 *   message code and its parameters (JSON), never text: the web app and the mailer translate them. Its
 *   audience is a vendor (`partner_id` null) or a partner, optionally one person (`person_id`); `resource`
 *   is the policy resource of its subject (a person sees it only when its role may read that resource),
 *   and `owner_person_id` the subject's owner (a partner's sales rep sees only its own registrations').
 *   `dedupe_key` is unique: a periodic check writes (subject, kind, threshold) once, also under races.
 *   `mail_state`: pending (not yet expanded into e-mails), queued (its e-mails are in
 *   `notification_mails`), skipped (too old to mail when a transport was first configured).
 * - `notification_reads`: a person read one notification (once).
 * - `notification_mails`: one e-mail per (notification, person), claimed by a dispatcher with a lease
 *   before it is sent and marked sent after: at least once, and never by two dispatchers at a time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('locale', 'text', (c) => c.check(sql`locale in ('en', 'fr')`))
    .execute();
  await db.schema
    .alterTable('people')
    .addColumn('email_notifications', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('people').addColumn('notifications_read_before', 'text').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('person_id', 'text', (c) => c.references('people.id'))
    .addColumn('owner_person_id', 'text')
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('mail_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema
    .createIndex('notifications_partner_ix')
    .on('notifications')
    .columns(['partner_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_vendor_ix')
    .on('notifications')
    .columns(['vendor_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_mail_ix')
    .on('notifications')
    .columns(['mail_state', 'created_at'])
    .execute();

  await db.schema
    .createTable('notification_reads')
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_reads_pk', ['person_id', 'notification_id'])
    .execute();

  await db.schema
    .createTable('notification_mails')
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    /** pending, sent or failed (after the last attempt). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_mails_pk', ['notification_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('notification_mails_due_ix')
    .on('notification_mails')
    .columns(['status', 'next_attempt_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_mails').execute();
  await db.schema.dropTable('notification_reads').execute();
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('people').dropColumn('notifications_read_before').execute();
  await db.schema.alterTable('people').dropColumn('email_notifications').execute();
  await db.schema.alterTable('people').dropColumn('locale').execute();
}
