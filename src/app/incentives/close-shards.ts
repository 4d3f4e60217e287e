import type { Kysely } from 'kysely';
import type { Worker } from 'node:worker_threads';
import { planPeriod } from '../../core/incentives/plan.js';
import { MAX_SHARDS, partnersOfShard, toShardPlan, type ShardPlan } from '../../core/incentives/shards.js';
import { TrellisError, type ErrorCode } from '../../core/shared/errors.js';
import type { Store, StoreTarget } from '../../db/connection.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';
import { exportSnapshot, readableElsewhere, readSnapshot } from '../../db/snapshot.js';
import { bulkWorkMemory } from '../../db/statistics.js';
import { runOnQueue } from '../shards/queue.js';
import type { ShardQueueSettings } from '../shards/settings.js';
import { startWorker } from '../worker-thread.js';
import { engineFor } from './engines.js';
import { loadPeriodFacts } from './period-facts.js';
import type { ResolvedPeriod } from './program-period.js';

/**
 * A close's read-and-compute phase in shards of partners (issue 18): the period's facts, what the ledger
 * holds and the plan (core/incentives/plan.ts), per shard of the partners (`shardOfPartner`, one rule in
 * core), each shard on its own worker thread with its own read-only connection to the store, all reading
 * the close's snapshot (db/snapshot.ts). The close merges the shards' plans (`mergeShardPlans`) and
 * applies the one plan in its own transaction, as a close in one shard does. On PostgreSQL with the shard
 * task queue on (TRELLIS_SHARD_QUEUE), the shards but the first go to worker processes instead
 * (`trellis worker`, src/app/shards/), which read the same snapshot from their own connections.
 */

/** The period a shard plans (what crosses to its thread: plain data). */
export type ShardSubject = Pick<
  ResolvedPeriod,
  'vendorId' | 'programId' | 'versionId' | 'definition' | 'range'
>;

/** What a shard's thread is started with: everything it needs, nothing of the starting process. */
export interface ShardWorkerData {
  target: StoreTarget;
  /** PostgreSQL: the close's exported snapshot; null on SQLite (see db/snapshot.ts). */
  snapshot: string | null;
  subject: ShardSubject;
  shard: number;
  count: number;
  held: ShardHeld;
}

/**
 * What a shard compares with: `read`, what the ledger holds (read for its partners); `due`, nothing read, the
 * ledger taken to hold what is due (a re-close whose fingerprint the close checks: see close-period.ts).
 */
export type ShardHeld = 'read' | 'due';

/** A shard as another process runs it (a queued task's payload, JSON): all but the store to open. */
export type CloseShardTask = Omit<ShardWorkerData, 'target'>;

/** The kind of a close's queued shard tasks (src/app/shards/kinds.ts). */
export const CLOSE_SHARD_KIND = 'close';

/**
 * One shard's plan on `store` (a connection of this thread or process, not the close's), in a read-only
 * transaction on the close's snapshot: what a shard thread (close-shard-worker.ts) and a worker process
 * (`trellis worker`, a queued task of kind `close`) run.
 */
export async function planShardOnSnapshot(store: Store, task: CloseShardTask): Promise<ShardPlan> {
  return readSnapshot(store, task.snapshot, async (db) => {
    await bulkWorkMemory(store, db);
    return planShard(db, store, task.subject, task.shard, task.count, task.held);
  });
}

export type ShardWorkerMessage =
  { ok: true; plan: ShardPlan } | { ok: false; code: string | null; message: string; stack: string };

/** A close's shards: 1..16 (`MAX_SHARDS`). */
export function checkShards(shards: number | undefined): number {
  const n = shards ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS)
    throw new TrellisError(
      'invalid_input',
      `shards must be a whole number from 1 to ${MAX_SHARDS} (got ${n})`,
    );
  return n;
}

/**
 * One shard's plan, read in `db`: the partners of the shard among those a close of the period plans for
 * (the program's enrolled partners and every partner with a ledger transaction of the period), their
 * lines with their final facts, what the ledger holds for them (unless `held` is `due`), and the plan.
 */
export async function planShard(
  db: Kysely<Database>,
  store: Store,
  subject: ShardSubject,
  shard: number,
  count: number,
  which: ShardHeld = 'read',
): Promise<ShardPlan> {
  const repo = settlementRepository(db);
  const engine = engineFor(subject.versionId, subject.definition);
  const { programId, range } = subject;
  const candidates = new Set((await repo.enrolments(programId, null)).map((e) => e.partnerId));
  for (const p of await repo.periodPartners(programId, range.code)) candidates.add(p);
  const mine = partnersOfShard([...candidates].sort(), shard, count);
  const facts = await loadPeriodFacts(db, store, { ...subject, engine }, mine);
  const { lines } = facts;
  const held = which === 'due' ? 'due' : await repo.engineHoldings(programId, range.code, mine);
  const partnerIds = new Set(lines.map((l) => l.partnerId));
  if (held !== 'due') for (const h of held) partnerIds.add(h.partnerId);
  const partners = await facts.partners([...partnerIds]);
  return toShardPlan(lines, planPeriod(engine, { period: range, lines, partners, held }));
}

/**
 * The shards' plans of a close running in `db` (its transaction), all reading the close's snapshot: shard 0
 * on this thread (SQLite: in `db`, which has written nothing yet; PostgreSQL: on another connection, on
 * the exported snapshot), the others each on a thread of its own, at once. A store no other connection
 * can read (in-memory SQLite) plans the shards one after another in `db` (the same plans, no gain in time).
 */
export async function planInShards(
  store: Store,
  db: Kysely<Database>,
  subject: ShardSubject,
  count: number,
  progress: { update(done: number): void } | null,
  held: ShardHeld = 'read',
  queue: ShardQueueSettings | null = null,
): Promise<ShardPlan[]> {
  let done = 0;
  if (!readableElsewhere(store)) {
    const plans: ShardPlan[] = [];
    for (let shard = 0; shard < count; shard++) {
      plans.push(await planShard(db, store, subject, shard, count, held));
      progress?.update(++done);
    }
    return plans;
  }
  const snapshot = await exportSnapshot(store, db);
  const here = (shard: number) =>
    store.capabilities.kind === 'postgres'
      ? readSnapshot(store, snapshot, (d) => planShard(d, store, subject, shard, count, held))
      : planShard(db, store, subject, shard, count, held);
  return planOnSnapshot(store, snapshot, subject, count, progress, held, here, queue);
}

/**
 * The shards' plans, each shard on a thread of its own with its own connection to the store, reading the
 * exported `snapshot` (PostgreSQL) or the last commit (SQLite, whose close holds the write lock); shard 0
 * by `here` when given. With the queue on (`queue.on`, PostgreSQL), the shards not run `here` are queued
 * for worker processes instead (`onQueue`).
 */
export async function planOnSnapshot(
  store: Store,
  snapshot: string | null,
  subject: ShardSubject,
  count: number,
  progress: { update(done: number): void } | null,
  held: ShardHeld = 'read',
  here?: (shard: number) => Promise<ShardPlan>,
  queue: ShardQueueSettings | null = null,
): Promise<ShardPlan[]> {
  if (queue?.on && store.capabilities.kind === 'postgres' && snapshot !== null)
    return onQueue(store, { snapshot, subject, count, held }, progress, queue, here);
  let done = 0;
  const counted = async (plan: Promise<ShardPlan>) => {
    const p = await plan;
    progress?.update(++done);
    return p;
  };
  // Started before shard 0 runs here (a SQLite shard here holds this thread until it is planned).
  const threads = Array.from({ length: count }, (_, shard) =>
    shard === 0 && here
      ? null
      : counted(onThread({ target: store.target, snapshot, subject, shard, count, held })),
  );
  // Each failure is awaited (none left unhandled); the first one fails the close.
  const settled = await Promise.allSettled(
    threads.map((t, shard) => t ?? counted((here as (s: number) => Promise<ShardPlan>)(shard))),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<ShardPlan>).value);
}

/**
 * The shards through the task queue (PostgreSQL; src/app/shards/queue.ts): every shard but the one run
 * `here` is queued for worker processes, which read the close's exported snapshot from their own
 * connections (the close's transaction stays open until every plan is back). A task no worker takes in
 * time runs on a shard thread of this process, as without the queue.
 */
async function onQueue(
  store: Store,
  close: Omit<CloseShardTask, 'shard'>,
  progress: { update(done: number): void } | null,
  queue: ShardQueueSettings,
  here: ((shard: number) => Promise<ShardPlan>) | undefined,
): Promise<ShardPlan[]> {
  let done = 0;
  const shards = Array.from({ length: close.count }, (_, shard) => shard).filter((s) => !(here && s === 0));
  // Stops the queued run when the shard here fails (no more claims; its tasks are deleted).
  const stop = new AbortController();
  const queued = runOnQueue<CloseShardTask, ShardPlan>(store, {
    vendorId: close.subject.vendorId,
    kind: CLOSE_SHARD_KIND,
    count: close.count,
    shards: shards.map((shard) => ({ shard, payload: { ...close, shard } })),
    local: (_shard, task) => onThread({ target: store.target, ...task }),
    settings: queue,
    onResult: () => progress?.update(++done),
    signal: stop.signal,
  });
  const first = here
    ? here(0).then(
        (plan) => {
          progress?.update(++done);
          return plan;
        },
        (e: unknown) => {
          stop.abort();
          throw e;
        },
      )
    : null;
  const [a, b] = await Promise.allSettled([first, queued]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return a.value ? [a.value, ...b.value] : b.value;
}

/** A shard thread stays this long after its last shard, so that closes in a row do not each start them. */
const IDLE_MS = 30_000;

/** Shard threads waiting for work (each opens the store its shard names, and closes it after). */
const idleThreads: { worker: Worker; timer: NodeJS.Timeout }[] = [];
let nextTask = 0;

function startShardThread(): Worker {
  const worker = startWorker(import.meta.url, 'close-shard-worker', null);
  // A thread that ends while idle is no longer offered.
  worker.on('exit', () => {
    const at = idleThreads.findIndex((t) => t.worker === worker);
    if (at >= 0) idleThreads.splice(at, 1)[0]?.timer.close();
  });
  return worker;
}

/** One shard on a shard thread (an idle one, or a new one). */
function onThread(data: ShardWorkerData): Promise<ShardPlan> {
  const kept = idleThreads.pop();
  if (kept) clearTimeout(kept.timer);
  const worker = kept?.worker ?? startShardThread();
  worker.ref();
  const task = ++nextTask;
  return new Promise<ShardPlan>((resolve, reject) => {
    const fail = (e: unknown) => {
      worker.off('message', onMessage);
      void worker.terminate();
      reject(e);
    };
    const onMessage = (m: { task: number } & ShardWorkerMessage) => {
      if (m.task !== task) return;
      worker.off('message', onMessage);
      worker.off('error', fail);
      worker.off('exit', onExit);
      worker.unref();
      idleThreads.push({
        worker,
        timer: setTimeout(() => {
          const at = idleThreads.findIndex((t) => t.worker === worker);
          if (at >= 0) idleThreads.splice(at, 1);
          void worker.terminate();
        }, IDLE_MS).unref(),
      });
      if (m.ok) resolve(m.plan);
      else {
        const e = m.code
          ? new TrellisError(m.code as ErrorCode, m.message)
          : new Error(`shard ${data.shard + 1} of ${data.count}: ${m.message}`);
        e.stack = m.stack;
        reject(e);
      }
    };
    const onExit = (code: number) =>
      fail(new Error(`shard ${data.shard + 1} of ${data.count} stopped (exit code ${code})`));
    worker.on('message', onMessage);
    worker.once('error', fail);
    worker.once('exit', onExit);
    worker.postMessage({ task, data });
  });
}
