import type { Kysely } from 'kysely';

/**
 * Background jobs: work longer than a request (a period close or its dry run, an order import, a tier
 * evaluation) runs off the request path; its row says who started it, where it stands and how it ended.
 * `running_key` is set while a job that must not run twice at once is queued or running (a close of one
 * program and period) and cleared when it finishes: the unique index makes the second start a conflict.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
    .addColumn('partner_id', 'text', (c) => c.references('partners.id'))
    .addColumn('started_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('running_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_running_key_ux').on('jobs').column('running_key').unique().execute();
  await db.schema.createIndex('jobs_vendor_ix').on('jobs').columns(['vendor_id', 'created_at']).execute();
  await db.schema.createIndex('jobs_partner_ix').on('jobs').columns(['partner_id', 'created_at']).execute();
  await db.schema.createIndex('jobs_status_ix').on('jobs').column('status').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
