import type { Kysely } from 'kysely';
import type { Worker } from 'node:worker_threads';
import { compileIncentives, type IncentiveEngine } from '../../core/incentives/index.js';
import { planTotalsOfColumns, toPeriodColumns } from '../../core/incentives/period-columns.js';
import type { LastPurchases } from '../../core/incentives/new-business.js';
import { partnersOfShard } from '../../core/incentives/shards.js';
import type { PeriodRange } from '../../core/ledger/periods.js';
import { trueUps } from '../../core/ledger/settlement.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { TrellisError, type ErrorCode } from '../../core/shared/errors.js';
import {
  outcomeOfColumnTotals,
  type PartnerProfile,
  type PlanOutcome,
} from '../../core/simulation/compare.js';
import type { Store } from '../../db/connection.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import { simulationRepository } from '../../db/repositories/simulation-repository.js';
import type { Database } from '../../db/schema.js';
import { exportSnapshot, readableElsewhere, readSnapshot } from '../../db/snapshot.js';
import { engineFor } from '../incentives/engines.js';
import { loadPeriodFacts, type PeriodFactsOptions } from '../incentives/period-facts.js';
import { runOnQueue } from '../shards/queue.js';
import type { ShardQueueSettings } from '../shards/settings.js';
import { startWorker } from '../worker-thread.js';
import { historyCacheOf, historyKey, type HistoryCache, type KeptPeriod } from './history-cache.js';

/**
 * A simulation's work in shards of partners (issue 18): for each period of the range, the facts of the
 * shard's partners (`partnersOfShard`, the one rule the close's shards use), planned by the baseline's
 * engine and the draft's (`planTotalsOfColumns`, the one plan), and the ledger check of the shard's
 * partners. Every figure a simulation shows is a sum over partners or a list of partners, so the shards'
 * outcomes merged (`mergeOutcomes`) compare exactly as one run over every partner does (tested).
 *
 * One shard runs in the simulation's own read transaction; with N > 1 the others each run on a thread of
 * their own (kept between runs with their loaded history, shard i always on the same thread, so a warm
 * run is warm in every shard), reading the simulation's exported snapshot on PostgreSQL, the last commit
 * on SQLite: each shard reports the data version it read, and a run whose shards read different versions
 * (something committed between their starts) runs again. With the shard task queue on (PostgreSQL,
 * TRELLIS_SHARD_QUEUE), the shards but the first are queued for `trellis worker` processes (kind
 * `simulation`, src/app/shards/kinds.ts), whose long-lived store keeps each shard's history warm as a
 * thread does; a task no worker takes in time runs on a thread here.
 */

/** A period as a shard plans it: its range and its baseline (a published version, or a file: null). */
export interface ShardPeriod {
  range: PeriodRange;
  definition: ProgramDefinition;
  versionId: string | null;
}

/** What a shard runs (plain data: what crosses to its thread). */
export interface SimulationShardSubject {
  vendorId: string;
  programId: string;
  draft: ProgramDefinition;
  /** In date order. */
  periods: ShardPeriod[];
}

export interface ShardMismatch {
  period: string;
  partnerId: string;
  component: string;
  ledgerMinor: number;
  baselineMinor: number;
}

/** What a shard sends back: per period its outcomes and ledger check, and its partners' profiles. */
export interface ShardSimulation {
  /** The data version the shard read (simulationRepository.dataVersion). */
  version: string;
  periods: {
    closed: boolean;
    lines: number;
    baseline: PlanOutcome;
    draft: PlanOutcome;
    /** The first `MISMATCHES` mismatches of the shard's partners (by partner and component). */
    mismatches: ShardMismatch[];
    mismatchCount: number;
  }[];
  /** Each partner's profile at its last period in the range. */
  profiles: PartnerProfile[];
}

/** At most this many ledger mismatches are reported (per period, then in all). */
export const MISMATCHES = 20;

/** The engines a shard plans with (compiled here, or given by a caller that has them). */
export interface ShardEngines {
  draft: IncentiveEngine;
  /** Per period, the baseline's. */
  baselines: IncentiveEngine[];
}

/** The engines of a subject: a published version's from the process's engines, a file's compiled once. */
export function enginesOf(subject: SimulationShardSubject): ShardEngines {
  const files = new Map<string, IncentiveEngine>();
  return {
    draft: compileIncentives(subject.draft, { version: null }),
    baselines: subject.periods.map((p) => {
      if (p.versionId !== null) return engineFor(p.versionId, p.definition);
      const text = JSON.stringify(p.definition);
      let e = files.get(text);
      if (!e) files.set(text, (e = compileIncentives(p.definition, { version: null })));
      return e;
    }),
  };
}

/** Where a shard's history is kept (by vendor, program and range; and shard, when in shards). */
export function shardHistoryKey(subject: SimulationShardSubject, shard: number, count: number): string {
  const first = (subject.periods[0] as ShardPeriod).range;
  const last = (subject.periods[subject.periods.length - 1] as ShardPeriod).range;
  const key = historyKey(subject.vendorId, subject.programId, first.from, last.to);
  return count === 1 ? key : `${key}#${shard}/${count}`;
}

/**
 * One shard of a simulation, read in `db` (a read-only transaction): the history kept in `cache` for the
 * shard when nothing it comes from changed, else loaded (and kept); then planned. `count` 1: every partner.
 */
export async function simulateShard(
  db: Kysely<Database>,
  store: Store,
  cache: HistoryCache,
  subject: SimulationShardSubject,
  shard: number,
  count: number,
  engines: ShardEngines = enginesOf(subject),
  onPeriod?: (done: number) => void,
): Promise<ShardSimulation> {
  const { vendorId, programId } = subject;
  const key = shardHistoryKey(subject, shard, count);
  const repo = settlementRepository(db);
  const version = await simulationRepository(db).dataVersion(
    vendorId,
    programId,
    store.capabilities.factVersions === 'counters',
  );
  const kept = cache.open(key, version);
  // The shard's partners: of those a period's lines or ledger can name (every partner in one shard).
  let enrolled: Set<string> | null = null;
  const partnersOf = async (range: PeriodRange): Promise<string[] | null> => {
    if (count === 1) return null;
    enrolled ??= new Set((await repo.enrolments(programId, null)).map((e) => e.partnerId));
    const candidates = new Set(enrolled);
    for (const p of await repo.periodPartners(programId, range.code)) candidates.add(p);
    return partnersOfShard([...candidates].sort(), shard, count);
  };
  const profiles = new Map<string, PartnerProfile>();
  const periods: ShardSimulation['periods'] = [];
  // What a period loaded here hands the next of the purchases its new business read (its look-back).
  let lastPurchases: LastPurchases | null = null;
  for (const [i, s] of subject.periods.entries()) {
    const engine = engines.baselines[i] as IncentiveEngine;
    const periodKey = `${s.range.code}|${s.range.from}|${s.range.to}|${JSON.stringify(s.definition)}`;
    let period = kept.periods.get(periodKey);
    if (period) lastPurchases = null;
    else {
      // Handed on, not kept here: the load lets them go once recorded.
      const options = { lastPurchases, handOver: i + 1 < subject.periods.length };
      lastPurchases = null;
      const loaded = await loadKeptPeriod(db, store, subject, s, engine, await partnersOf(s.range), options);
      ({ period, lastPurchases } = loaded);
      kept.periods.set(periodKey, period);
    }
    periods.push(planPeriodOutcomes(s.range, period, engine, engines.draft));
    for (const p of period.partners)
      profiles.set(p.partnerId, {
        partnerId: p.partnerId,
        tier: p.facts?.tier ?? null,
        zone: p.facts?.partnerZone ?? null,
        region: p.facts?.partnerRegion ?? null,
        kind: p.facts?.partnerKind ?? null,
      });
    onPeriod?.(i + 1);
  }
  cache.keep(kept);
  return { version, periods, profiles: [...profiles.values()] };
}

/**
 * A period's history as a simulation keeps it: its lines as columns, with what its plan and checks need.
 * A function of its own, so that the lines as objects (a large quarter: two million) are let go once
 * their columns are made: an async function's frame keeps its locals until it returns (a loop over the
 * periods kept the last quarter's lines while it read the next).
 */
async function loadKeptPeriod(
  db: Kysely<Database>,
  store: Store,
  subject: SimulationShardSubject,
  s: ShardPeriod,
  engine: IncentiveEngine,
  mine: string[] | null,
  options: PeriodFactsOptions,
): Promise<{ period: KeptPeriod; lastPurchases: LastPurchases | null }> {
  const { vendorId, programId } = subject;
  const repo = settlementRepository(db);
  const closed = (await repo.lastClose(programId, s.range.code)) !== undefined;
  // What the ledger holds, per partner and component (all the check reads).
  const held = closed ? await repo.engineHoldings(programId, s.range.code, mine, false) : [];
  const { columns, returnsFor, partners, lastPurchases } = await loadColumns(
    db,
    store,
    { vendorId, programId, definition: s.definition, range: s.range, engine },
    mine,
    held.map((h) => h.partnerId),
    options,
  );
  const period: KeptPeriod = {
    columns,
    returnsFor,
    partners,
    closed,
    held: held.map((h) => ({ partnerId: h.partnerId, component: h.component, amountMinor: h.amountMinor })),
    baselines: new WeakMap(),
  };
  return { period, lastPurchases };
}

/** The period's facts as columns, and the facts of its partners (with `alsoPartners`, the ledger's). */
async function loadColumns(
  db: Kysely<Database>,
  store: Store,
  subject: Parameters<typeof loadPeriodFacts>[2],
  mine: string[] | null,
  alsoPartners: readonly string[],
  options: PeriodFactsOptions,
): Promise<
  Pick<KeptPeriod, 'columns' | 'returnsFor' | 'partners'> & { lastPurchases: LastPurchases | null }
> {
  let facts: Awaited<ReturnType<typeof loadPeriodFacts>> | null = await loadPeriodFacts(
    db,
    store,
    subject,
    mine,
    options,
  );
  const partnerIds = new Set(facts.lines.map((l) => l.partnerId));
  for (const p of alsoPartners) partnerIds.add(p);
  const columns = toPeriodColumns(facts.lines);
  const { returnsFor, partners: readPartners, lastPurchases } = facts;
  // The lines go with the facts before the partners' facts are read (this frame's last wait).
  facts = null;
  return { columns, returnsFor, partners: await readPartners([...partnerIds].sort()), lastPurchases };
}

/** A kept period planned by the baseline (once per engine while kept) and the draft, and checked. */
function planPeriodOutcomes(
  range: PeriodRange,
  period: KeptPeriod,
  baselineEngine: IncentiveEngine,
  draftEngine: IncentiveEngine,
): ShardSimulation['periods'][number] {
  const { columns, partners, closed, held } = period;
  // The plan's totals with nothing held (no posting or close item: nothing is written).
  const plan = (engine: IncentiveEngine): PlanOutcome =>
    outcomeOfColumnTotals(
      planTotalsOfColumns(engine, {
        period: range,
        columns,
        // A return claws back under each engine's own amounts for sales of the period.
        replaced: period.returnsFor(engine),
        partners,
      }),
    );
  let baseline = period.baselines.get(baselineEngine);
  if (!baseline) period.baselines.set(baselineEngine, (baseline = plan(baselineEngine)));
  const draft = plan(draftEngine);
  const mismatches: ShardMismatch[] = [];
  let mismatchCount = 0;
  if (closed) {
    const ledger = new Map<string, number>();
    for (const h of held) {
      const key = `${h.partnerId}\u0000${h.component}`;
      ledger.set(key, (ledger.get(key) ?? 0) + h.amountMinor);
    }
    const batch = new Map(baseline.totals.map((t) => [`${t.partnerId}\u0000${t.component}`, t.totalMinor]));
    const diff = trueUps(batch, ledger);
    mismatchCount = diff.length;
    for (const m of diff.slice(0, MISMATCHES)) {
      const [partnerId = '', component = ''] = m.key.split('\u0000');
      mismatches.push({
        period: range.code,
        partnerId,
        component,
        ledgerMinor: m.heldMinor,
        baselineMinor: m.expectedMinor,
      });
    }
  }
  return { closed, lines: columns.length, baseline, draft, mismatches, mismatchCount };
}

/** Times a run in shards is tried when its shards read different data versions (SQLite). */
const ATTEMPTS = 3;

/**
 * A simulation's shards: `count` 1 in one read-only transaction here; more, see the module comment. The
 * progress counts periods planned, over every shard (`periods × count`).
 */
export async function simulateInShards(
  store: Store,
  subject: SimulationShardSubject,
  count: number,
  engines: ShardEngines,
  progress: ((done: number) => void) | null,
  /** The shard task queue (PostgreSQL): the shards but the first go to worker processes when on. */
  queue: ShardQueueSettings | null = null,
  /** Threads for one shard's periods (see `periodBlocks`); 1: every period here. */
  threads = 1,
): Promise<ShardSimulation[]> {
  const cache = historyCacheOf(store);
  const readOnly = () => store.db.transaction().setAccessMode('read only');
  const blocks = periodBlocks(subject, count, threads, store);
  if (blocks.length > 1) return [await simulateInBlocks(store, blocks, engines, progress)];
  if (count === 1 || !readableElsewhere(store))
    // One connection: the shards one after another in one transaction (in-memory SQLite, or one shard).
    return readOnly().execute(async (trx) => {
      const out: ShardSimulation[] = [];
      for (let shard = 0; shard < count; shard++)
        out.push(
          await simulateShard(trx, store, cache, subject, shard, count, engines, (n) =>
            progress?.(shard * subject.periods.length + n),
          ),
        );
      return out;
    });
  return atOneVersion(
    store,
    count,
    progress,
    (db, report) => simulateShard(db, store, cache, subject, 0, count, engines, report),
    (snapshot, report) => {
      const task = (shard: number): SimulationShardTask => ({ snapshot, subject, shard, count });
      const shards = Array.from({ length: count - 1 }, (_, i) => i + 1);
      if (queue?.on && store.capabilities.kind === 'postgres' && snapshot !== null)
        return runOnQueue<SimulationShardTask, ShardSimulation>(store, {
          vendorId: subject.vendorId,
          kind: SIMULATION_SHARD_KIND,
          count,
          shards: shards.map((shard) => ({ shard, payload: task(shard) })),
          local: (shard, t) => onThread(shard, { target: store.target, ...t }, report(shard)),
          settings: queue,
          onResult: (shard) => report(shard)(subject.periods.length),
        });
      return Promise.all(
        shards.map((shard) => onThread(shard, { target: store.target, ...task(shard) }, report(shard))),
      );
    },
  );
}

/**
 * Parts of a simulation read at one data version: part 0 here, in a read transaction (`here`), the others
 * elsewhere (`others`: threads, or worker processes through the queue), given the snapshot PostgreSQL
 * exported (null on SQLite). Each part reports the data version it read: on SQLite (no exported snapshots,
 * and a simulation takes no write lock) a run whose parts read different versions (something committed
 * between their starts) runs again, at most `ATTEMPTS` times. The progress sums the parts'.
 */
async function atOneVersion(
  store: Store,
  parts: number,
  progress: ((done: number) => void) | null,
  here: (db: Kysely<Database>, report: (done: number) => void) => Promise<ShardSimulation>,
  others: (
    snapshot: string | null,
    report: (part: number) => (done: number) => void,
  ) => Promise<ShardSimulation[]>,
): Promise<ShardSimulation[]> {
  for (let attempt = 1; ; attempt++) {
    const done = new Array<number>(parts).fill(0);
    const report = (part: number) => (n: number) => {
      done[part] = n;
      progress?.(done.reduce((a, b) => a + b, 0));
    };
    const run = async (db: Kysely<Database>, snapshot: string | null) => {
      // Each failure is awaited (none left unhandled); the first one fails the simulation.
      const [a, b] = await Promise.allSettled([here(db, report(0)), others(snapshot, report)]);
      if (a.status === 'rejected') throw a.reason;
      if (b.status === 'rejected') throw b.reason;
      return [a.value, ...b.value];
    };
    const results =
      store.capabilities.kind === 'postgres'
        ? await store.db
            .transaction()
            .setIsolationLevel('repeatable read')
            .setAccessMode('read only')
            .execute(async (trx) => run(trx, await exportSnapshot(store, trx)))
        : await store.db
            .transaction()
            .setAccessMode('read only')
            .execute((trx) => run(trx, null));
    if (new Set(results.map((r) => r.version)).size === 1) return results;
    if (attempt >= ATTEMPTS)
      throw new TrellisError(
        'conflict',
        `the history changed ${ATTEMPTS} times while the simulation read it (orders or memberships being written): run it again`,
      );
  }
}

/**
 * One shard's periods in blocks, each on a thread of its own but the first (a simulation uses the
 * machine's cores, not one): the periods in `threads` runs of consecutive periods, the earlier blocks
 * one period longer when they do not divide evenly. Each block reads and plans its periods alone (a period's
 * facts depend on no other period's), so no period's lines are read twice, unlike shards of partners,
 * which each read the shared facts again (only each block's first period reads its new-business
 * look-back, which one block's periods hand on from one to the next). Only for one shard of partners, at
 * least two periods, and a store other threads can read (a file or a server: not an in-memory SQLite);
 * otherwise one block, every period.
 */
export function periodBlocks(
  subject: SimulationShardSubject,
  count: number,
  threads: number,
  store: Store,
): SimulationShardSubject[] {
  const n = Math.min(Math.max(1, Math.floor(threads)), subject.periods.length);
  if (count !== 1 || n <= 1 || !readableElsewhere(store)) return [subject];
  const out: SimulationShardSubject[] = [];
  let at = 0;
  for (let b = 0; b < n; b++) {
    const size = Math.floor(subject.periods.length / n) + (b < subject.periods.length % n ? 1 : 0);
    out.push({ ...subject, periods: subject.periods.slice(at, at + size) });
    at += size;
  }
  return out;
}

/** The key of the history a simulation keeps in this process (its first block's, its first shard's). */
export function keptHistoryKey(
  subject: SimulationShardSubject,
  count: number,
  threads: number,
  store: Store,
) {
  return shardHistoryKey(periodBlocks(subject, count, threads, store)[0] as SimulationShardSubject, 0, count);
}

/** Thread slots of period blocks (apart from shards of partners': those count up from 1). */
const BLOCK_SLOT = -1;

/**
 * A shard of every partner planned in period blocks (`periodBlocks`): the first block here, the others on
 * threads kept with their history (block b always on the same thread, so a warm run is warm in every
 * block), all reading one data version as shards of partners do (PostgreSQL: the exported snapshot;
 * SQLite: each block's version compared, and the run tried again when they differ). The blocks' outcomes
 * joined are the shard's: its periods in order, each partner's profile from its last period.
 */
async function simulateInBlocks(
  store: Store,
  blocks: readonly SimulationShardSubject[],
  engines: ShardEngines,
  progress: ((done: number) => void) | null,
): Promise<ShardSimulation> {
  const cache = historyCacheOf(store);
  const first = blocks[0] as SimulationShardSubject;
  const firstEngines: ShardEngines = {
    draft: engines.draft,
    baselines: engines.baselines.slice(0, first.periods.length),
  };
  const parts = await atOneVersion(
    store,
    blocks.length,
    progress,
    (db, report) => simulateShard(db, store, cache, first, 0, 1, firstEngines, report),
    (snapshot, report) =>
      Promise.all(
        blocks
          .slice(1)
          .map((block, i) =>
            onThread(
              BLOCK_SLOT - i,
              { target: store.target, snapshot, subject: block, shard: 0, count: 1 },
              report(i + 1),
            ),
          ),
      ),
  );
  return joinBlocks(parts);
}

/** Period blocks' outcomes as one shard's: periods in order; a partner's profile from its last block. */
export function joinBlocks(parts: readonly ShardSimulation[]): ShardSimulation {
  const profiles = new Map<string, PartnerProfile>();
  for (const part of parts) for (const p of part.profiles) profiles.set(p.partnerId, p);
  return {
    version: (parts[0] as ShardSimulation).version,
    periods: parts.flatMap((p) => p.periods),
    profiles: [...profiles.values()],
  };
}

/** What a simulation shard's thread is sent. */
export interface SimulationShardData {
  target: Store['target'];
  snapshot: string | null;
  subject: SimulationShardSubject;
  shard: number;
  count: number;
}

/** A shard as a worker process runs it (a queued task's payload, JSON): all but the store to open. */
export type SimulationShardTask = Omit<SimulationShardData, 'target'>;

/** The kind of a simulation's queued shard tasks (src/app/shards/kinds.ts). */
export const SIMULATION_SHARD_KIND = 'simulation';

export type SimulationShardMessage =
  | { task: number; progress: number }
  | { task: number; ok: true; result: ShardSimulation }
  | { task: number; ok: false; code: string | null; message: string; stack: string };

/**
 * A shard thread stays this long after its last shard, with the history it loaded (so that a simulation
 * run again, as people do while designing a draft, is warm in every shard).
 */
const KEEP_MS = 15 * 60_000;

interface ShardThread {
  worker: Worker;
  busy: boolean;
  timer: NodeJS.Timeout | null;
}

/** Shard i's thread (kept: its history is shard i's). */
const kept = new Map<number, ShardThread>();
let nextTask = 0;

function startThread(shard: number | null): ShardThread {
  const t: ShardThread = {
    worker: startWorker(import.meta.url, 'simulation-shard-worker', null),
    busy: false,
    timer: null,
  };
  t.worker.on('exit', () => {
    if (shard !== null && kept.get(shard) === t) kept.delete(shard);
    if (t.timer) clearTimeout(t.timer);
  });
  t.worker.on('error', () => undefined);
  if (shard !== null) kept.set(shard, t);
  return t;
}

/** One shard on shard `shard`'s thread (or, while that one is busy with another simulation, a new one). */
function onThread(
  shard: number,
  data: SimulationShardData,
  onProgress: (done: number) => void,
): Promise<ShardSimulation> {
  let t = kept.get(shard);
  const keep = !t?.busy;
  if (!t || t.busy) t = startThread(keep ? shard : null);
  const thread = t;
  if (thread.timer) clearTimeout(thread.timer);
  thread.timer = null;
  thread.busy = true;
  thread.worker.ref();
  const task = ++nextTask;
  return new Promise<ShardSimulation>((resolve, reject) => {
    const release = () => {
      thread.worker.off('message', onMessage);
      thread.worker.off('error', fail);
      thread.worker.off('exit', onExit);
      thread.busy = false;
      thread.worker.unref();
      if (!keep) void thread.worker.terminate();
      else
        thread.timer = setTimeout(() => {
          thread.worker.postMessage({ stop: true });
        }, KEEP_MS).unref();
    };
    const fail = (e: unknown) => {
      release();
      void thread.worker.terminate();
      reject(e);
    };
    const onMessage = (m: SimulationShardMessage) => {
      if (m.task !== task) return;
      if ('progress' in m) {
        onProgress(m.progress);
        return;
      }
      release();
      if (m.ok) resolve(m.result);
      else {
        const e = m.code
          ? new TrellisError(m.code as ErrorCode, m.message)
          : new Error(`simulation shard ${data.shard + 1} of ${data.count}: ${m.message}`);
        e.stack = m.stack;
        reject(e);
      }
    };
    const onExit = (code: number) =>
      fail(new Error(`simulation shard ${data.shard + 1} of ${data.count} stopped (exit code ${code})`));
    thread.worker.on('message', onMessage);
    thread.worker.once('error', fail);
    thread.worker.once('exit', onExit);
    thread.worker.postMessage({ task, data });
  });
}

/** Stops the kept shard threads (tests; a server stopping). */
export async function stopSimulationShards(): Promise<void> {
  const threads = [...kept.values()];
  kept.clear();
  await Promise.all(threads.map((t) => t.worker.terminate()));
}

/**
 * Runs one shard on `store` (a connection of a shard thread, simulation-shard-worker.ts, or of a worker
 * process, `trellis worker`), in a read transaction on the simulation's snapshot; the history it loads is
 * kept with the store for the next run.
 */
export function simulateShardOn(
  store: Store,
  data: SimulationShardTask,
  onPeriod?: (done: number) => void,
): Promise<ShardSimulation> {
  return readSnapshot(store, data.snapshot, (db) =>
    simulateShard(
      db,
      store,
      historyCacheOf(store),
      data.subject,
      data.shard,
      data.count,
      undefined,
      onPeriod,
    ),
  );
}
