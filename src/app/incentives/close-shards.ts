import type { Kysely } from 'kysely';
import type { Worker } from 'node:worker_threads';
import { planPeriod } from '../../core/incentives/plan.js';
import { MAX_SHARDS, partnersOfShard, toShardPlan, type ShardPlan } from '../../core/incentives/shards.js';
import { TrellisError, type ErrorCode } from '../../core/shared/errors.js';
import type { Store, StoreTarget } from '../../db/connection.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';
import { exportSnapshot, readSnapshot } from '../../db/snapshot.js';
import { startWorker } from '../worker-thread.js';
import { engineFor } from './engines.js';
import { loadPeriodFacts } from './period-facts.js';
import type { ResolvedPeriod } from './program-period.js';

/**
 * A close's read-and-compute phase in shards of partners (issue 18): the period's facts, what the ledger
 * holds and the plan (core/incentives/plan.ts), per shard of the partners (`shardOfPartner`, one rule in
 * core), each shard on its own worker thread with its own read-only connection to the store, all reading
 * the close's snapshot (db/snapshot.ts). The close merges the shards' plans (`mergeShardPlans`) and
 * applies the one plan in its own transaction, as a close in one shard does.
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

/** Whether other connections can read what the store holds (not an in-memory SQLite database). */
function shared(store: Store): boolean {
  return store.target.kind === 'postgres' || (store.target.file !== ':memory:' && store.target.file !== '');
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
): Promise<ShardPlan[]> {
  let done = 0;
  if (!shared(store)) {
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
  return planOnSnapshot(store, snapshot, subject, count, progress, held, here);
}

/**
 * The shards' plans, each shard on a thread of its own with its own connection to the store, reading the
 * exported `snapshot` (PostgreSQL) or the last commit (SQLite, whose close holds the write lock); shard 0
 * by `here` when given.
 */
export async function planOnSnapshot(
  store: Store,
  snapshot: string | null,
  subject: ShardSubject,
  count: number,
  progress: { update(done: number): void } | null,
  held: ShardHeld = 'read',
  here?: (shard: number) => Promise<ShardPlan>,
): Promise<ShardPlan[]> {
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
