import type { Kysely } from 'kysely';

/**
 * Simulations (issue 14): named, read-only results of running a draft program against the vendor's
 * history, with the inputs that reproduce them (the draft's text, the baseline, the range, the engine's
 * rule version). A row is written when its job starts (running) and finished once (succeeded with its
 * result, or failed with its error); nothing changes it afterwards.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('simulations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** The draft's program code and version label. */
    .addColumn('program_code', 'text', (c) => c.notNull())
    .addColumn('draft_version', 'text', (c) => c.notNull())
    .addColumn('draft_text', 'text', (c) => c.notNull())
    /** JSON: `{ program }` (a published program) or `{ text }` (a file). */
    .addColumn('baseline', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    /** The draft engine's rule version (the plan's), once computed. */
    .addColumn('engine_version', 'text')
    /** running, succeeded or failed */
    .addColumn('status', 'text', (c) => c.notNull())
    /** JSON: the result, once succeeded. */
    .addColumn('result', 'text')
    /** JSON: `{ code, detail }`, once failed. */
    .addColumn('error', 'text')
    .addColumn('job_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('simulations_vendor_ix')
    .on('simulations')
    .columns(['vendor_id', 'created_at', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('simulations').execute();
}
