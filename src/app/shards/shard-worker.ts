import { TrellisError } from '../../core/shared/errors.js';
import type { Store } from '../../db/connection.js';
import { shardTaskRepository, type ShardTaskRow } from '../../db/repositories/shard-task-repository.js';
import { serializeResult, SHARD_TASK_KINDS } from './kinds.js';
import { claimerName } from './queue.js';

/**
 * A worker process's loop (`trellis worker`, issue 18): claims the oldest queued shard task of any vendor
 * (src/db/repositories/shard-task-repository.ts), runs it with its kind's handler (kinds.ts: a close's
 * shard reads the close's exported snapshot on this process's own connection) and records the result,
 * until stopped. `concurrency` tasks run at once (each slot claims one at a time).
 *
 * Stopping: `signal` stops claiming and lets the tasks that run finish (their results are recorded);
 * `abandon` gives the running tasks back to the queue at once (the coordinator claims them, or another
 * worker does) and returns without their results. A worker that dies holding a task is taken over by the
 * coordinator after its timeout (TRELLIS_SHARD_TIMEOUT_MS).
 */

export interface ShardTaskEvent {
  event: 'started' | 'succeeded' | 'failed' | 'refused' | 'released';
  kind: string;
  vendorId: string;
  runId: string;
  taskId: string;
  shard: number;
  count: number;
  /** Who ran it (this worker's slot). */
  worker: string;
  /** How long it ran (ms), once done. */
  ms?: number;
  /** A failed task's message. */
  error?: string;
}

export interface ShardWorkerOptions {
  /** Tasks run at once (1..64, default 1). */
  concurrency?: number;
  /** Stop claiming; finish what runs. */
  signal?: AbortSignal;
  /** Give what runs back to the queue and return at once. */
  abandon?: AbortSignal;
  /** Each task as it starts and ends. */
  onTask?: (e: ShardTaskEvent) => void;
  /** A failure to reach the store (the loop goes on after a pause). */
  onError?: (e: unknown) => void;
  /** How long an idle slot waits before it looks for a task again (ms, default 200). */
  pollMs?: number;
  /** This worker's name in the tasks it claims (default `worker:<host>:<pid>:<random>`). */
  name?: string;
}

export interface ShardWorkerSummary {
  succeeded: number;
  failed: number;
  /** Results refused: the task was taken over by another, or its run had ended. */
  refused: number;
  released: number;
}

export const MAX_WORKER_CONCURRENCY = 64;

/** Refuses a store the queue does not run on (SQLite: one machine, shards on threads). */
export function checkQueueStore(store: Pick<Store, 'capabilities'> | { kind: string }): void {
  const kind = 'capabilities' in store ? store.capabilities.kind : store.kind;
  if (kind !== 'postgres')
    throw new TrellisError(
      'invalid_config',
      'the shard task queue runs on PostgreSQL: set DATABASE_URL to the database the closes run on (on SQLite a close runs its shards on threads of its own process)',
    );
}

export async function runShardWorker(
  store: Store,
  options: ShardWorkerOptions = {},
): Promise<ShardWorkerSummary> {
  checkQueueStore(store);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_WORKER_CONCURRENCY)
    throw new TrellisError(
      'invalid_input',
      `concurrency must be a whole number from 1 to ${MAX_WORKER_CONCURRENCY} (got ${concurrency})`,
    );
  const repo = shardTaskRepository(store.db);
  const kinds = Object.keys(SHARD_TASK_KINDS);
  const name = options.name ?? claimerName('worker');
  const pollMs = options.pollMs ?? 200;
  const summary: ShardWorkerSummary = { succeeded: 0, failed: 0, refused: 0, released: 0 };
  const stopped = () => options.signal?.aborted === true || options.abandon?.aborted === true;
  const iso = () => new Date().toISOString();

  /** Waits `ms`, or less when stopped. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        options.abandon?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      options.signal?.addEventListener('abort', done);
      options.abandon?.addEventListener('abort', done);
    });
  const abandoned = new Promise<'abandoned'>((resolve) => {
    if (options.abandon?.aborted) resolve('abandoned');
    options.abandon?.addEventListener('abort', () => resolve('abandoned'));
  });

  const runTask = async (task: ShardTaskRow, worker: string) => {
    const base = {
      kind: task.kind,
      vendorId: task.vendorId,
      runId: task.runId,
      taskId: task.id,
      shard: task.shard,
      count: task.shardCount,
      worker,
    };
    options.onTask?.({ event: 'started', ...base });
    const t0 = performance.now();
    const work = (async () => {
      try {
        const handler = SHARD_TASK_KINDS[task.kind];
        if (!handler) throw new Error(`no handler for shard tasks of kind ${task.kind}`);
        return { result: serializeResult(await handler.run(store, JSON.parse(task.payload))) };
      } catch (e) {
        return {
          error: {
            code: e instanceof TrellisError ? e.code : null,
            message: e instanceof Error ? e.message : String(e),
          },
        };
      }
    })();
    const outcome = await Promise.race([work, abandoned]);
    if (outcome === 'abandoned') {
      await repo.release(task.vendorId, task.id, worker).catch(options.onError);
      summary.released++;
      options.onTask?.({ event: 'released', ...base });
      // Its result, when it comes, is not recorded.
      void work.catch(() => undefined);
      return;
    }
    const ms = Math.round(performance.now() - t0);
    let recorded = false;
    try {
      recorded = await repo.finish(task.vendorId, task.id, worker, outcome, iso());
    } catch (e) {
      options.onError?.(e);
    }
    if (!recorded) {
      summary.refused++;
      options.onTask?.({ event: 'refused', ...base, ms });
    } else if ('result' in outcome) {
      summary.succeeded++;
      options.onTask?.({ event: 'succeeded', ...base, ms });
    } else {
      summary.failed++;
      options.onTask?.({ event: 'failed', ...base, ms, error: outcome.error.message });
    }
  };

  const slot = async (n: number) => {
    const worker = concurrency === 1 ? name : `${name}/${n}`;
    while (!stopped()) {
      let task: ShardTaskRow | null;
      try {
        task = await repo.claimNext(worker, kinds, iso());
      } catch (e) {
        options.onError?.(e);
        await pause(Math.max(pollMs, 1000));
        continue;
      }
      if (task) await runTask(task, worker);
      else await pause(pollMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => slot(n + 1)));
  return summary;
}
