import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { deserialize } from 'node:v8';
import { TrellisError, type ErrorCode } from '../../core/shared/errors.js';
import type { Store } from '../../db/connection.js';
import { shardTaskRepository } from '../../db/repositories/shard-task-repository.js';
import type { ShardQueueSettings } from './settings.js';

/**
 * The coordinator's side of the shard task queue (issue 18; migration 20261206-0037): a run's shards are
 * queued for worker processes (`trellis worker`, shard-worker.ts) on any machine with the same
 * DATABASE_URL, and their results read back. The coordinator never waits for workers that are not there:
 * a task no worker claimed within `claimMs` of being queued, or claimed but not finished within
 * `timeoutMs` of the coordinator seeing it claimed, is claimed by the coordinator (a conditional update:
 * only one claimer wins) and run here by `local`. A failed task fails the run with its error. The run's
 * tasks are deleted when it ends, whatever the outcome.
 */

/** Tasks older than this are swept when a run starts (runs whose coordinator died). */
const STALE_MS = 24 * 3600_000;

export interface QueuedRun<P, T> {
  /** The vendor the run is for (the tasks' tenant key). */
  vendorId: string;
  /** The kind of task (src/app/shards/kinds.ts), which names the workers' handler. */
  kind: string;
  /** Shards in the run (tasks carry it as `shard_count`). */
  count: number;
  /** The shards to queue, each with its payload (JSON). */
  shards: readonly { shard: number; payload: P }[];
  /** Runs a shard here: a task the coordinator claimed itself. */
  local(shard: number, payload: P): Promise<T>;
  settings: ShardQueueSettings;
  /** Called as each shard's result arrives. */
  onResult?: (shard: number) => void;
  /** Stops the run (another part of the coordinator failed): no more claims, tasks deleted. */
  signal?: AbortSignal;
}

/** A name for a claimer: the host, the process and a random part. */
export function claimerName(role: string): string {
  return `${role}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** A failure recorded as a task's error (JSON {code, message}), as the coordinator throws it. */
export function taskError(error: string | null, shard: number, count: number): Error {
  let parsed: { code?: string | null; message?: string } = {};
  try {
    parsed = JSON.parse(error ?? '{}') as typeof parsed;
  } catch {
    parsed = { message: error ?? '' };
  }
  const message = parsed.message ?? 'failed';
  return parsed.code
    ? new TrellisError(parsed.code as ErrorCode, message)
    : new Error(`shard ${shard + 1} of ${count}: ${message}`);
}

/** The shards' results, in the order of `run.shards`. */
export async function runOnQueue<P, T>(store: Store, run: QueuedRun<P, T>): Promise<T[]> {
  const repo = shardTaskRepository(store.db);
  const { vendorId, settings } = run;
  const runId = randomUUID();
  const me = claimerName('coordinator');
  const iso = () => new Date().toISOString();
  const ids = run.shards.map((s) => `sht_${runId}_${s.shard}`);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const created = iso();
  await repo.deleteStale(new Date(Date.now() - STALE_MS).toISOString());
  // Committed at once on a pooled connection of its own: workers see the tasks now.
  await repo.enqueue(
    run.shards.map((s, i) => ({
      vendorId,
      id: ids[i] as string,
      kind: run.kind,
      runId,
      shard: s.shard,
      shardCount: run.count,
      payload: JSON.stringify(s.payload),
      createdAt: created,
    })),
  );
  const queuedAt = performance.now();
  const results = new Map<number, T>();
  const here = new Map<number, Promise<void>>();
  /** A running task as first seen under its claim, for the timeout. */
  const seen = new Map<string, { worker: string | null; claimedAt: string | null; since: number }>();
  let failure: { error: unknown } | null = null;
  let wake: () => void = () => undefined;
  const onAbort = () => wake();
  run.signal?.addEventListener('abort', onAbort);
  const runHere = (i: number) => {
    const s = run.shards[i] as { shard: number; payload: P };
    here.set(
      i,
      run.local(s.shard, s.payload).then(
        (value) => {
          results.set(i, value);
          run.onResult?.(s.shard);
          wake();
        },
        (error: unknown) => {
          failure ??= { error };
          wake();
        },
      ),
    );
  };
  try {
    while (results.size < ids.length && !failure && !run.signal?.aborted) {
      const states = await repo.states(vendorId, runId);
      if (states.length < ids.length) {
        failure = { error: new Error(`the shard tasks of run ${runId} were deleted while it ran`) };
        break;
      }
      const now = performance.now();
      const succeeded: string[] = [];
      for (const s of states) {
        const i = indexOf.get(s.id) as number;
        if (results.has(i) || here.has(i)) continue;
        if (s.status === 'succeeded') succeeded.push(s.id);
        else if (s.status === 'failed') {
          failure = { error: taskError(s.error, s.shard, run.count) };
          break;
        } else if (s.status === 'queued') {
          if (now - queuedAt >= settings.claimMs && (await repo.claim(vendorId, s.id, me, iso(), null)))
            runHere(i);
        } else {
          const was = seen.get(s.id);
          if (!was || was.worker !== s.worker || was.claimedAt !== s.claimedAt)
            seen.set(s.id, { worker: s.worker, claimedAt: s.claimedAt, since: now });
          else if (
            now - was.since >= settings.timeoutMs &&
            s.worker !== null &&
            s.claimedAt !== null &&
            (await repo.claim(vendorId, s.id, me, iso(), { worker: s.worker, claimedAt: s.claimedAt }))
          )
            runHere(i);
        }
      }
      if (failure) break;
      for (const r of await repo.results(vendorId, succeeded)) {
        const i = indexOf.get(r.id) as number;
        if (!r.result) continue;
        results.set(i, deserialize(r.result) as T);
        run.onResult?.(run.shards[i]?.shard ?? i);
      }
      if (results.size === ids.length) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, settings.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => undefined;
    }
    // What runs here is awaited, so that nothing is left unhandled (and its failure is reported).
    await Promise.allSettled(here.values());
    if (failure) throw failure.error;
    if (run.signal?.aborted && results.size < ids.length) throw new Error('the run was stopped');
    return ids.map((_, i) => results.get(i) as T);
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
    // Late results of workers still running are refused from now on (their rows are gone).
    await repo.deleteRun(vendorId, runId).catch(() => undefined);
  }
}
