import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Shard tasks (issue 18, docs/operations.md "Several machines"): the queue through which a coordinator (a
 * close) sends its shards to `trellis worker` processes on other machines. One row per shard of one run
 * of the coordinator (`run_id`), of a kind (`close`; kinds are registered in src/app/shards/kinds.ts) with
 * its JSON payload. A worker claims the oldest queued task (`status` queued -> running, `worker`,
 * `claimed_at`), runs it and finishes it (succeeded with `result`, the handler's result as
 * `v8.serialize` bytes, or failed with `error`, JSON {code, message}). The coordinator deletes its run's
 * rows when it ends; rows older than a day (a coordinator that died) are swept.
 *
 * Vendor-owned: keyed by (vendor_id, id). The table exists on SQLite too (one schema), but the queue is
 * used on PostgreSQL only: on SQLite the shards run on threads of the close's process.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('shard_tasks')
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('shard_count', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('worker', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('result', sqlite ? 'blob' : 'bytea')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('shard_tasks_pk', ['vendor_id', 'id'])
    .addCheckConstraint('shard_tasks_status_ck', sql`status in ('queued', 'running', 'succeeded', 'failed')`)
    .execute();
  // A worker claims the oldest queued task.
  await db.schema
    .createIndex('shard_tasks_queued_ix')
    .on('shard_tasks')
    .columns(['created_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('queued'))
    .execute();
  // A coordinator reads and deletes its run's tasks.
  await db.schema
    .createIndex('shard_tasks_run_ix')
    .on('shard_tasks')
    .columns(['vendor_id', 'run_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shard_tasks').execute();
}
