import type { Kysely } from 'kysely';
import type { Worker } from 'node:worker_threads';
import { planPeriod } from '../../core/incentives/plan.js';
import { MAX_SHARDS, partnersOfShard, toShardPlan, type ShardPlan } from '../../core/incentives/shards.js';
import { TrellisError, type ErrorCode } from '../../core/shared/errors.js';
import type { Store, StoreTarget } from '../../db/connection.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';
import { exportSnapshot } from '../../db/snapshot.js';
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
 * lines with their final facts, what the ledger holds for them, and the plan.
 */
export async function planShard(
  db: Kysely<Database>,
  store: Store,
  subject: ShardSubject,
  shard: number,
  count: number,
): Promise<ShardPlan> {
  const repo = settlementRepository(db);
  const engine = engineFor(subject.versionId, subject.definition);
  const { programId, range } = subject;
  const candidates = new Set((await repo.enrolments(programId, null)).map((e) => e.partnerId));
  for (const p of await repo.periodPartners(programId, range.code)) candidates.add(p);
  const mine = partnersOfShard([...candidates].sort(), shard, count);
  const facts = await loadPeriodFacts(db, store, { ...subject, engine }, mine);
  const { lines } = facts;
  const held = await repo.engineHoldings(programId, range.code, mine);
  const partnerIds = new Set(lines.map((l) => l.partnerId));
  for (const h of held) partnerIds.add(h.partnerId);
  const partners = await facts.partners([...partnerIds]);
  return toShardPlan(lines, planPeriod(engine, { period: range, lines, partners, held }));
}

/** Whether other connections can read what the store holds (not an in-memory SQLite database). */
function shared(store: Store): boolean {
  return store.target.kind === 'postgres' || (store.target.file !== ':memory:' && store.target.file !== '');
}

/**
 * The shards' plans of a close running in `db` (its transaction): each shard on a thread of its own
 * reading the close's snapshot, at once. A store no other connection can read (in-memory SQLite) plans the
 * shards one after another in `db` itself (the same plans, no gain in time).
 */
export async function planInShards(
  store: Store,
  db: Kysely<Database>,
  subject: ShardSubject,
  count: number,
  progress: { update(done: number): void } | null,
): Promise<ShardPlan[]> {
  let done = 0;
  if (!shared(store)) {
    const plans: ShardPlan[] = [];
    for (let shard = 0; shard < count; shard++) {
      plans.push(await planShard(db, store, subject, shard, count));
      progress?.update(++done);
    }
    return plans;
  }
  return planOnSnapshot(store, await exportSnapshot(store, db), subject, count, progress);
}

/**
 * The shards' plans, each shard on a thread of its own with its own connection to the store, reading the
 * exported `snapshot` (PostgreSQL) or the last commit (SQLite, whose close holds the write lock).
 */
export async function planOnSnapshot(
  store: Store,
  snapshot: string | null,
  subject: ShardSubject,
  count: number,
  progress: { update(done: number): void } | null,
): Promise<ShardPlan[]> {
  let done = 0;
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      Array.from({ length: count }, (_, shard) => {
        const data: ShardWorkerData = { target: store.target, snapshot, subject, shard, count };
        const worker = startWorker(import.meta.url, 'close-shard-worker', data);
        workers.push(worker);
        return new Promise<ShardPlan>((resolve, reject) => {
          worker.once('message', (m: ShardWorkerMessage) => {
            if (m.ok) {
              progress?.update(++done);
              resolve(m.plan);
            } else {
              const e = m.code
                ? new TrellisError(m.code as ErrorCode, m.message)
                : new Error(`shard ${shard + 1} of ${count}: ${m.message}`);
              e.stack = m.stack;
              reject(e);
            }
          });
          worker.once('error', reject);
          worker.once('exit', (code) =>
            reject(new Error(`shard ${shard + 1} of ${count} stopped (exit code ${code})`)),
          );
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
