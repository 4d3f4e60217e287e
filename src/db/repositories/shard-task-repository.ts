import { type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, ShardTasksTable } from '../schema.js';
import { multiVendor } from './scoping.js';

/**
 * The shard task queue (issue 18, migration 20261206-0037): a coordinator (a close) enqueues its shards,
 * workers (`trellis worker`, on any machine with the same DATABASE_URL) claim and finish them, the
 * coordinator reads the results and deletes its run. Every change of a task's state is conditional on the
 * state it leaves (and on who holds it), so two claimers never hold one task and a task has one result.
 *
 * Used on PostgreSQL; SQLite has the table but no queue (its statements would work there too).
 */

export type ShardTaskRow = Selectable<ShardTasksTable>;
/** A task as a coordinator follows it: its state without the result's bytes. */
export type ShardTaskState = Pick<
  ShardTaskRow,
  'vendorId' | 'id' | 'shard' | 'status' | 'worker' | 'claimedAt' | 'error'
>;
export type NewShardTask = Pick<
  Insertable<ShardTasksTable>,
  'vendorId' | 'id' | 'kind' | 'runId' | 'shard' | 'shardCount' | 'payload' | 'createdAt'
>;

/** Who holds a task that runs: a claim of it is taken over only from this holder. */
export interface ShardTaskHolder {
  worker: string;
  claimedAt: string;
}

/** Queued tasks a claimer reads at once, to try in turn (others may win some). */
const CLAIM_CANDIDATES = 8;

export function shardTaskRepository(db: Kysely<Database>) {
  /** Updates a task only while `worker` holds it running: a task taken over or ended is left alone. */
  const updateHeld = async (
    vendorId: string,
    id: string,
    worker: string,
    set: Updateable<ShardTasksTable>,
  ): Promise<boolean> => {
    const r = await db
      .updateTable('shardTasks')
      .set(set)
      .where('vendorId', '=', vendorId)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('worker', '=', worker)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  };
  return {
    /**
     * Queues a run's tasks in one statement. Run it on a pooled connection of its own (`store.db`), not in
     * the coordinator's transaction: the rows must be committed for a worker to see them.
     */
    async enqueue(tasks: readonly NewShardTask[]): Promise<void> {
      if (tasks.length === 0) return;
      await db
        .insertInto('shardTasks')
        .values(tasks.map((t) => ({ ...t, status: 'queued' as const })))
        .execute();
    },

    /**
     * Claims the oldest queued task of the given kinds, of any vendor (a worker serves every vendor): null
     * when none is queued. Two steps, so that no statement locks rows of several vendors (Citus runs a
     * row lock only within one shard: docs/architecture.md, "Queries when distributed"): the oldest queued
     * tasks are read without a lock (a multi-vendor read), then each is claimed in turn by a conditional
     * update of that one row (`status = 'queued'`, re-checked after a concurrent claimer commits), until
     * one is won. A claimer that loses every candidate reads again; one that finds none queued returns null.
     */
    async claimNext(worker: string, kinds: readonly string[], now: string): Promise<ShardTaskRow | null> {
      if (kinds.length === 0) return null;
      for (;;) {
        const candidates = await db
          .selectFrom('shardTasks')
          .select(['vendorId', 'id'])
          .where('status', '=', 'queued')
          .where('kind', 'in', kinds)
          .orderBy('createdAt')
          .orderBy('id')
          .limit(CLAIM_CANDIDATES)
          .modifyEnd(multiVendor('a worker looks for the oldest queued shard tasks of any vendor'))
          .execute();
        if (candidates.length === 0) return null;
        for (const c of candidates) {
          const claimed = await db
            .updateTable('shardTasks')
            .set({ status: 'running', worker, claimedAt: now })
            .where('vendorId', '=', c.vendorId)
            .where('id', '=', c.id)
            .where('status', '=', 'queued')
            .returningAll()
            .executeTakeFirst();
          if (claimed) return claimed;
        }
      }
    },

    /**
     * Claims a given task: a queued one (`from` null), or one that runs under `from`'s claim (taken over
     * from a worker that did not finish in time). False when the task is not in that state any more.
     */
    async claim(
      vendorId: string,
      id: string,
      worker: string,
      now: string,
      from: ShardTaskHolder | null,
    ): Promise<boolean> {
      let q = db
        .updateTable('shardTasks')
        .set({ status: 'running', worker, claimedAt: now })
        .where('vendorId', '=', vendorId)
        .where('id', '=', id);
      q = from
        ? q
            .where('status', '=', 'running')
            .where('worker', '=', from.worker)
            .where('claimedAt', '=', from.claimedAt)
        : q.where('status', '=', 'queued');
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Records a task's outcome: only by the worker that holds it, while it runs. False (nothing written)
     * for a task taken over by another, already finished, or deleted (its run ended).
     */
    async finish(
      vendorId: string,
      id: string,
      worker: string,
      outcome: { result: Buffer } | { error: { code: string | null; message: string } },
      now: string,
    ): Promise<boolean> {
      return updateHeld(
        vendorId,
        id,
        worker,
        'result' in outcome
          ? { status: 'succeeded', result: outcome.result, finishedAt: now }
          : { status: 'failed', error: JSON.stringify(outcome.error), finishedAt: now },
      );
    },

    /** Gives a running task back to the queue (a worker that stops before finishing it). */
    async release(vendorId: string, id: string, worker: string): Promise<boolean> {
      return updateHeld(vendorId, id, worker, { status: 'queued', worker: null, claimedAt: null });
    },

    /** The state of a run's tasks, by shard (no result bytes). */
    states(vendorId: string, runId: string): Promise<ShardTaskState[]> {
      return db
        .selectFrom('shardTasks')
        .select(['vendorId', 'id', 'shard', 'status', 'worker', 'claimedAt', 'error'])
        .where('vendorId', '=', vendorId)
        .where('runId', '=', runId)
        .orderBy('shard')
        .execute();
    },

    /** The results of a run's tasks that succeeded, among `ids`. */
    results(vendorId: string, ids: readonly string[]): Promise<{ id: string; result: Buffer | null }[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('shardTasks')
        .select(['id', 'result'])
        .where('vendorId', '=', vendorId)
        .where('id', 'in', ids)
        .where('status', '=', 'succeeded')
        .execute();
    },

    /** Deletes a run's tasks (its coordinator ended); returns how many. */
    async deleteRun(vendorId: string, runId: string): Promise<number> {
      const r = await db
        .deleteFrom('shardTasks')
        .where('vendorId', '=', vendorId)
        .where('runId', '=', runId)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** Deletes tasks created before `before`, of any vendor (runs whose coordinator died); returns how many. */
    async deleteStale(before: string): Promise<number> {
      const r = await db
        .deleteFrom('shardTasks')
        .where('createdAt', '<', before)
        .modifyEnd(multiVendor('stale shard tasks of any vendor'))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
