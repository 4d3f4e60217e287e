import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { createContext, type AppContext } from '../src/app/context.js';
import { closePeriod } from '../src/app/incentives/close-period.js';
import { engineFor } from '../src/app/incentives/engines.js';
import { loadPeriodFacts } from '../src/app/incentives/period-facts.js';
import { resolvePeriod } from '../src/app/incentives/program-period.js';
import { simulate, type SimulationResult } from '../src/app/simulation/simulate.js';
import { SYSTEM_SCOPE } from '../src/core/access/scope.js';
import { fixedClock } from '../src/core/shared/clock.js';
import { dayNumber } from '../src/core/incentives/index.js';
import { PRODUCT_FAMILIES } from '../src/core/model/catalog.js';
import { programPeriods } from '../src/core/ledger/periods.js';
import { addDays, addDuration } from '../src/core/programs/dates.js';
import { parseProgramDocument } from '../src/core/programs/parse.js';
import type { ProgramDefinition } from '../src/core/programs/types.js';
import type { DemoScale, DemoWorldOptions } from '../src/core/demo/index.js';
import { CHANNELS, type BenchColumns, type PartnerTable } from './close/generate.js';
import { duckdbPeer } from './close/sql-peers.js';
import { peerSpec, type PeerSpec } from './close/spec.js';
import {
  cachedDemoStore,
  demoBenchArgs,
  ensurePostgresCache,
  freshStore,
  periodCandidates,
  vendorCaller,
} from './close-real.js';

/**
 * Simulation of a draft program (issue 14: `trellis simulate`, the use case `simulate` in
 * src/app/simulation/simulate.ts, called exactly as the CLI and the simulation job call it) on the demo
 * world's history, with a DuckDB peer.
 *
 *   npm run bench -- simulate [--scale small|medium|large] [--seed N] [--demo-date YYYY-MM-DD|today]
 *     [--shards N] [--threads N] [--json]
 *
 * - The demo store: close-real's cached store (cachedDemoStore: built once by the product's demo loader in
 *   a child process, cached under TRELLIS_BENCH_DIR), each measured run on a fresh copy (the simulation
 *   records itself in `simulations`; the cache is never opened for writing). The demo's date defaults to
 *   DEMO_DATE, the day after Dell's FY27 fourth quarter was closed: its last closed quarter ends a program
 *   year, so that the year ending there is one program year (a draft simulates its own year's periods) and
 *   the figures do not move with the calendar. `--demo-date today` shares close-real's store (built on the
 *   current date): the year ending at its last closed quarter then spans two program years, of which the
 *   draft simulates the periods of its own.
 * - The draft: the Dell program version holding the last closed quarter, its published file text (as the
 *   store keeps it, `program_versions.source`) with every base-rebate rate raised by half a point, the Gold
 *   tier's first North American revenue threshold lowered by 20%, and the exclusivity payout multiplier
 *   x1.25 -> x1.3 (draftOf). Simulated over the year ending on the last closed quarter's last day.
 * - Timed (wall clock): cold_s, the simulation on a store just opened (nothing of it read yet in this
 *   process: engines compiled, facts loaded, tiers evaluated); warm_s, the same simulation again in the same
 *   process and store (SQLite's page cache and the compiled engines warm). Both must give the same result.
 * - baseline_equals_ledger: the simulation's own check that the baseline run equals the closed ledger to
 *   the cent (per partner and component) for the closed periods of the range (null: none closed).
 * - shards: the simulation's shards of partners (`--shards`, default 1: simulation-shards.ts); with more
 *   than one, the shards but the first run on threads of their own that keep their history for the warm
 *   run, and the per-period phases are not timed apart (the shards plan their periods at once).
 * - threads: the threads the simulation plans its periods on, in blocks of consecutive periods
 *   (`--threads`, default 1 as TRELLIS_SIMULATION_THREADS; simulation-shards.ts, `periodBlocks`).
 * - rss_mb: this process's peak RSS after both runs (with threads, theirs included: one process).
 * - peers.duckdb_s: the DuckDB peer (bench/close/sql.ts, the close bench's SQL, the draft's rates read by
 *   bench/close/spec.ts) computing, per period and partner, the draft's components from the same lines:
 *   the facts the simulation runs on (loadPeriodFacts: tier at the period's end, new business, channel,
 *   family, amount, exclusivity, last year's revenue), appended to an in-memory DuckDB (not timed:
 *   duckdb_load_s), then the query (duckdb_s, summed over the periods). Its per-partner totals are compared
 *   to the cent with the simulation's draft column, component by component, for the components the SQL
 *   expresses: base rebate, new business, services, cross-sell (with its cap) and growth, each with the
 *   payout multiplier. Not expressed in SQL, and so not compared: the registered-deal bonus (the SQL knows
 *   no deal registrations), and the clawback limits of returns (a return claws back at most what its sale
 *   kept, read from the ledger and the baseline's engine): for partners with such a return
 *   (duckdb_limited_partners) only the close components (services, cross-sell, growth) are compared, not
 *   the per-line ones (base rebate, new business).
 */

/** The demo date by default: Dell's FY27 (2026-01-31 to 2027-01-29) closed on its calendar (+15 days). */
export const DEMO_DATE = '2027-02-14';

export interface SimulateBenchOptions {
  readonly scale: DemoScale;
  readonly seed: number;
  /** The demo's date; null: the date the cache is built (close-real's store). */
  readonly demoDate?: string | null | undefined;
  readonly dir?: string | undefined;
  readonly sizes?: DemoWorldOptions['sizes'] | undefined;
  readonly log?: ((message: string) => void) | undefined;
  /** PostgreSQL server URL (default TRELLIS_TEST_DATABASE_URL); null: SQLite only. */
  readonly postgresUrl?: string | null | undefined;
  /** The simulation's shards of partners (default 1). */
  readonly shards?: number | undefined;
  /** The threads a simulation plans its periods on (default 1, as TRELLIS_SIMULATION_THREADS). */
  readonly threads?: number | undefined;
}

export interface PeerComparison {
  /** Components compared (the draft's codes). */
  components: string[];
  partners: number;
  /** Partners whose per-line components are left out: a return of theirs carries a clawback limit. */
  limitedPartners: number;
  mismatches: { partnerId: string; component: string; simulationMinor: number; peerMinor: number }[];
  querySeconds: number;
  loadSeconds: number;
}

export interface SimulateBenchOutcome {
  result: Record<string, unknown>;
  cold: SimulationResult & { id: string };
  warm: SimulationResult & { id: string };
  peer: PeerComparison;
  draftText: string;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A percentage (`1%`, `0.5%`) raised by `points`. */
function raisePercent(value: unknown, points: number): string {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(String(value));
  if (!m) throw new Error(`simulate bench: expected a percentage, got ${String(value)}`);
  return `${round(Number(m[1]) + points, 4)}%`;
}

/** An amount (`USD 6M`, `USD 600K`) times `factor`, in the same unit. */
function scaleAmount(value: unknown, factor: number): string {
  const m = /^([A-Z]{3}) (\d+(?:\.\d+)?)([KM]?)$/.exec(String(value));
  if (!m) throw new Error(`simulate bench: expected an amount, got ${String(value)}`);
  return `${m[1]} ${round(Number(m[2]) * factor, 4)}${m[3]}`;
}

/** The index of the first item of a YAML sequence whose `key` is `value`. */
function indexWhere(doc: Document, path: string[], key: string, value: string): number {
  const list = doc.getIn(path) as { items: { get(k: string): unknown }[] } | undefined;
  const i = list?.items.findIndex((item) => item.get(key) === value) ?? -1;
  if (i < 0) throw new Error(`simulate bench: the program has no ${path.join('.')} with ${key} ${value}`);
  return i;
}

/**
 * The bench's draft of a program file: every base-rebate rate half a point higher, the Gold tier's North
 * American first path revenue threshold 20% lower, the exclusivity payout multiplier x1.3.
 */
export function draftOf(programText: string): string {
  const doc = parseDocument(programText);
  const base = indexWhere(doc, ['components'], 'kind', 'base-rebate');
  const rates = doc.getIn(['components', base, 'rates']) as { items: { key: unknown }[] };
  for (const tier of rates.items) {
    const byFamily = doc.getIn(['components', base, 'rates', String(tier.key)]) as {
      items: { key: unknown }[];
    };
    for (const family of byFamily.items) {
      const path = ['components', base, 'rates', String(tier.key), String(family.key)];
      doc.setIn(path, raisePercent(doc.getIn(path), 0.5));
    }
  }
  const gold = indexWhere(doc, ['tiers'], 'code', 'gold');
  const requirements = doc.getIn(['tiers', gold, 'requirements']) as {
    items: { toJSON(): { zones?: string[] } }[];
  };
  const na = requirements.items.findIndex((r) => r.toJSON().zones?.includes('north-america'));
  if (na < 0) throw new Error('simulate bench: the Gold tier has no North American requirement');
  const threshold = ['tiers', gold, 'requirements', na, 'paths', 0, 'revenue'];
  doc.setIn(threshold, scaleAmount(doc.getIn(threshold), 0.8));
  const multiplier = indexWhere(doc, ['components'], 'kind', 'payout-multiplier');
  doc.setIn(['components', multiplier, 'factor'], 'x1.3');
  return doc.toString();
}

/** The last closed quarter of the program, the published file text of its version, and the year ending there. */
/**
 * A store whose program has no closed period (the large demo settles none: SETTLED_PERIODS) gets its last
 * ended period closed first, on the bench's copy and not timed, so that the baseline has a ledger to
 * equal: the close a vendor's payout calendar makes once `trellis serve` runs.
 */
async function closeOneIfNone(ctx: AppContext, program: string, today: string, log: (m: string) => void) {
  const candidates = await periodCandidates(ctx, program);
  if (candidates.some((c) => c.closed)) return;
  const last = candidates.filter((c) => c.to < today && c.lines > 0).at(-1);
  if (!last) return;
  log(`no closed period: closing ${last.code} first (${last.lines} lines; not timed)`);
  const started = performance.now();
  // On the demo's date (the payout calendar's close comes after the period ends, on the demo's calendar).
  const onDemoDate = createContext(ctx.store, { clock: fixedClock(today) });
  await closePeriod(onDemoDate, await vendorCaller(onDemoDate, program), { program, period: last.code });
  log(`closed ${last.code} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function draftSubject(ctx: AppContext, program: string) {
  const closed = (await periodCandidates(ctx, program)).filter((c) => c.closed);
  const last = closed.sort((a, b) => a.to.localeCompare(b.to)).at(-1);
  if (!last) throw new Error(`simulate bench: program ${program} has no closed period in the demo store`);
  const resolved = await resolvePeriod(ctx, SYSTEM_SCOPE, program, last.code);
  const row = await ctx.store.db
    .selectFrom('programVersions')
    .select('source')
    .where('id', '=', resolved.versionId)
    .executeTakeFirstOrThrow();
  const from = addDays(addDuration(last.to, { months: -12, days: 0 }), 1);
  return { last, programText: row.source, from, to: last.to };
}

/**
 * The DuckDB peer on the simulation's own facts: per period, the lines and partner facts loaded as the
 * simulation loads them, as the close bench's columns, through the close bench's SQL with the draft's
 * rates; per partner and component, summed over the periods.
 */
async function duckdbOnFacts(
  ctx: AppContext,
  program: string,
  draft: ProgramDefinition,
  spec: PeerSpec,
  periods: readonly string[],
): Promise<{ totals: Map<string, number[]>; limited: Set<string>; queryMs: number; loadMs: number }> {
  const totals = new Map<string, number[]>();
  const limited = new Set<string>();
  const tiers = new Map(draft.tiers.map((t, i) => [t.code, i]));
  const family = new Map(PRODUCT_FAMILIES.map((f, i) => [f, i]));
  let queryMs = 0;
  let loadMs = 0;
  for (const code of periods) {
    const l0 = performance.now();
    const r = await resolvePeriod(ctx, SYSTEM_SCOPE, program, code);
    const facts = await loadPeriodFacts(
      ctx.store.db,
      ctx.store,
      {
        vendorId: r.vendorId,
        programId: r.programId,
        definition: r.definition,
        range: r.range,
        engine: engineFor(r.versionId, r.definition),
      },
      null,
    );
    const ids = [...new Set(facts.lines.map((l) => l.partnerId))].sort();
    const partnerRow = new Map(ids.map((id, i) => [id, i]));
    const partnerFacts = await facts.partners(ids);
    const customers = new Map<string, number>();
    const n = facts.lines.length;
    const cols = {
      length: n,
      partnerIndex: new Uint32Array(n),
      customerIndex: new Uint32Array(n),
      orderDay: new Int32Array(n),
      familyIndex: new Uint8Array(n),
      tierIndex: new Uint8Array(n),
      exclusive: new Uint8Array(n),
      newBusiness: new Uint8Array(n),
      contextIndex: new Uint8Array(n),
      amountMinor: new Int32Array(n),
    } satisfies BenchColumns;
    facts.lines.forEach((l, i) => {
      if (l.clawbackLimitMinor) limited.add(l.partnerId);
      let c = customers.get(l.customerId);
      if (c === undefined) customers.set(l.customerId, (c = customers.size));
      const tier = tiers.get(l.facts.tier);
      const f = family.get(l.family);
      if (tier === undefined || f === undefined || !Number.isSafeInteger(l.amountMinor))
        throw new Error(`simulate bench: line ${l.lineId} has a tier or family the peer does not know`);
      if (Math.abs(l.amountMinor) >= 2 ** 31)
        throw new Error(`simulate bench: line ${l.lineId}'s amount does not fit the peer's columns`);
      cols.partnerIndex[i] = partnerRow.get(l.partnerId) as number;
      cols.customerIndex[i] = c;
      cols.orderDay[i] = dayNumber(l.orderDate);
      cols.familyIndex[i] = f;
      cols.tierIndex[i] = tier;
      cols.exclusive[i] = l.facts.exclusive ? 1 : 0;
      cols.newBusiness[i] = l.facts.newBusiness ? 1 : 0;
      const channel = CHANNELS.indexOf(l.facts.channel as (typeof CHANNELS)[number]);
      cols.contextIndex[i] = channel < 0 ? 255 : channel;
      cols.amountMinor[i] = l.amountMinor;
    });
    const lastLine = new Map(facts.lines.map((l) => [l.partnerId, l.facts]));
    const partners: PartnerTable = {
      count: ids.length,
      tierIndex: new Uint8Array(ids.length),
      exclusive: new Uint8Array(ids.length),
      prior: new Float64Array(ids.length).fill(Number.NaN),
    };
    for (const p of partnerFacts) {
      const row = partnerRow.get(p.partnerId);
      if (row === undefined) continue;
      const at = p.facts ?? lastLine.get(p.partnerId);
      partners.tierIndex[row] = tiers.get(at?.tier ?? '') ?? 0;
      partners.exclusive[row] = at?.exclusive ? 1 : 0;
      const prior = p.comparison?.['same-period-last-year'];
      if (prior) partners.prior[row] = Object.values(prior).reduce<number>((s, v) => s + (v ?? 0), 0);
    }
    loadMs += performance.now() - l0;
    const run = await duckdbPeer(cols, partners, spec, dayNumber(r.range.from), dayNumber(r.range.to));
    queryMs += run.queryMs;
    loadMs += run.loadMs;
    for (const [row, values] of run.totals) {
      const id = ids[row] as string;
      const sum = totals.get(id) ?? values.map(() => 0);
      values.forEach((v, c) => (sum[c] = (sum[c] as number) + v));
      totals.set(id, sum);
    }
  }
  return { totals, limited, queryMs, loadMs };
}

/** The simulation's draft column per partner and component against the peer's, to the cent. */
function comparePeer(
  result: SimulationResult,
  spec: PeerSpec,
  peer: Awaited<ReturnType<typeof duckdbOnFacts>>,
): PeerComparison['mismatches'] {
  const out: PeerComparison['mismatches'] = [];
  const simulated = new Map(result.comparison.partners.map((p) => [p.partnerId, p]));
  const ids = new Set([...simulated.keys(), ...peer.totals.keys()]);
  const perLine = new Set([spec.base.code, spec.newBusiness.code]);
  for (const id of [...ids].sort()) {
    const s = simulated.get(id);
    const values = peer.totals.get(id);
    spec.order.forEach((component, c) => {
      // A limited return's clawback is read from the ledger: its per-line components are not the SQL's.
      if (peer.limited.has(id) && perLine.has(component)) return;
      const simulationMinor = s?.components[component]?.draftMinor ?? 0;
      const peerMinor = values?.[c] ?? 0;
      if (simulationMinor !== peerMinor) out.push({ partnerId: id, component, simulationMinor, peerMinor });
    });
  }
  return out;
}

/** The result without its id (a new row per run): what a repeated simulation must reproduce. */
const sameResult = (a: SimulationResult & { id: string }, b: SimulationResult & { id: string }) => {
  const strip = ({ id: _id, ...rest }: SimulationResult & { id: string }) => JSON.stringify(rest);
  return strip(a) === strip(b);
};

/**
 * A progress reporter (what the CLI's progress bar receives) that keeps the seconds of each step: before
 * the first phase (the checks and the record), each simulated period, the tier evaluation, and after.
 */
function phaseClock(periods: readonly string[], shards: number) {
  const steps: Record<string, number> = {};
  let step = 'checks';
  let since = performance.now();
  const next = (name: string) => {
    const now = performance.now();
    steps[step] = round((now - since) / 1000 + (steps[step] ?? 0));
    step = name;
    since = now;
  };
  return {
    progress: {
      phase(name: string) {
        next(name === 'simulating' ? (shards > 1 ? 'periods' : (periods[0] ?? 'periods')) : 'tiers');
      },
      update(done: number) {
        // In shards, the periods of every shard at once: one step until the last is planned.
        if (step === 'tiers') next('after');
        else if (shards === 1) next(periods[done] ?? 'after');
        else if (done === periods.length * shards) next('after');
      },
    },
    finish(): Record<string, number> {
      next('');
      return steps;
    },
  };
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, (performance.now() - started) / 1000];
}

interface StoreRuns {
  subject: Awaited<ReturnType<typeof draftSubject>>;
  draft: ProgramDefinition;
  draftText: string;
  cold: SimulationResult & { id: string };
  warm: SimulationResult & { id: string };
  coldSeconds: number;
  warmSeconds: number;
  coldPhases: Record<string, number>;
  warmPhases: Record<string, number>;
}

/** The draft of the store's program, simulated cold (the store just opened), then warm, in one context. */
async function runOnStore(
  ctx: AppContext,
  program: string,
  label: string,
  log: (m: string) => void,
  shards: number,
  /** The demo's date: the periods ended before it are due. */
  today: string,
): Promise<StoreRuns> {
  await closeOneIfNone(ctx, program, today, log);
  const subject = await draftSubject(ctx, program);
  const draftText = draftOf(subject.programText);
  const parsed = parseProgramDocument(draftText, 'draft.yaml');
  if (!parsed.ok || parsed.document.kind !== 'Program')
    throw new Error('simulate bench: the draft does not parse');
  const draft = parsed.document;
  const who = await vendorCaller(ctx, program);
  const input = { draftText, draftFile: 'draft.yaml', from: subject.from, to: subject.to, shards };
  log(
    `${label}: ${program} ${draft.version} draft over ${subject.from}..${subject.to} (last closed quarter ${subject.last.code})`,
  );
  // The periods the simulation runs: the draft's that overlap the range (for the phase names only).
  const periods = programPeriods(draft)
    .filter((p) => p.to >= subject.from && p.from <= subject.to)
    .map((p) => p.code);
  const coldClock = phaseClock(periods, shards);
  const [cold, coldSeconds] = await timed(() => simulate(ctx, who, input, coldClock.progress));
  const coldPhases = coldClock.finish();
  log(
    `${label}: cold ${coldSeconds.toFixed(2)} s: ${cold.lines} lines, ${cold.comparison.totals.partners} partners (${JSON.stringify(coldPhases)})`,
  );
  const warmClock = phaseClock(periods, shards);
  const [warm, warmSeconds] = await timed(() => simulate(ctx, who, input, warmClock.progress));
  const warmPhases = warmClock.finish();
  log(`${label}: warm ${warmSeconds.toFixed(2)} s (${JSON.stringify(warmPhases)})`);
  if (!sameResult(cold, warm))
    throw new Error(`simulate bench (${label}): the warm run differs from the cold run`);
  return { subject, draft, draftText, cold, warm, coldSeconds, warmSeconds, coldPhases, warmPhases };
}

export async function runSimulateBench(options: SimulateBenchOptions): Promise<SimulateBenchOutcome> {
  const log = options.log ?? ((m: string) => process.stderr.write(`simulate: ${m}\n`));
  const demoDate = options.demoDate === undefined ? DEMO_DATE : options.demoDate;
  const shards = options.shards ?? 1;
  const threads = options.threads ?? 1;
  const postgresUrl =
    options.postgresUrl === undefined ? (process.env.TRELLIS_TEST_DATABASE_URL ?? null) : options.postgresUrl;
  const cache = await cachedDemoStore({
    scale: options.scale,
    seed: options.seed,
    dir: options.dir,
    sizes: options.sizes,
    now: demoDate ?? undefined,
    log,
  });
  const program =
    cache.meta.vendors.find((v) => v.slug === 'dell')?.programCode ?? cache.meta.vendors[0]?.programCode;
  if (!program) throw new Error('simulate bench: the demo store has no program');

  let runs: StoreRuns;
  let rss: number;
  let peer: PeerComparison;
  {
    const { store, dispose } = await freshStore({
      kind: 'sqlite',
      file: cache.file,
      workDir: join(cache.dir, `simulate-${process.pid}`),
    });
    try {
      const ctx = createContext(store, { simulationThreads: threads });
      runs = await runOnStore(ctx, program, 'sqlite', log, shards, cache.meta.now);
      rss = rssMb();
      const spec = peerSpec(runs.draft);
      const periods = runs.cold.periods.map((p) => p.code);
      const peerRun = await duckdbOnFacts(ctx, program, runs.draft, spec, periods);
      const mismatches = comparePeer(runs.cold, spec, peerRun);
      peer = {
        components: [...spec.order],
        partners: peerRun.totals.size,
        limitedPartners: peerRun.limited.size,
        mismatches,
        querySeconds: peerRun.queryMs / 1000,
        loadSeconds: peerRun.loadMs / 1000,
      };
      log(
        `duckdb ${peer.querySeconds.toFixed(2)} s (load ${peer.loadSeconds.toFixed(2)} s): ${mismatches.length} mismatch(es) over ${peer.partners} partners (${peer.limitedPartners} without their per-line components)`,
      );
    } finally {
      await dispose();
    }
  }

  // PostgreSQL: the same world (the same demo date) from close-real's cached database, the same runs.
  let postgres: StoreRuns | null = null;
  let pgBuilt = false;
  if (postgresUrl) {
    const pgCache = await ensurePostgresCache({
      serverUrl: postgresUrl,
      key: cache.key,
      scale: options.scale,
      seed: options.seed,
      sizes: options.sizes,
      now: cache.meta.now,
      log,
    });
    pgBuilt = pgCache.built;
    const { store, dispose } = await freshStore({
      kind: 'postgres',
      serverUrl: postgresUrl,
      database: pgCache.database,
    });
    try {
      postgres = await runOnStore(
        createContext(store, { simulationThreads: threads }),
        program,
        'postgres',
        log,
        shards,
        cache.meta.now,
      );
    } finally {
      await dispose();
    }
    if (JSON.stringify(postgres.cold.comparison) !== JSON.stringify(runs.cold.comparison))
      throw new Error('simulate bench: the same simulation differs between SQLite and PostgreSQL');
  }

  const { cold, warm, subject, draft, draftText } = runs;
  const mismatches = peer.mismatches;
  const c = cold.comparison;
  const result: Record<string, unknown> = {
    scale: options.scale,
    lines: cold.lines,
    partners: c.totals.partners,
    cold_s: round(runs.coldSeconds),
    warm_s: round(runs.warmSeconds),
    rss_mb: rss,
    baseline_equals_ledger: cold.baselineEqualsLedger,
    peers: {
      duckdb_s: round(peer.querySeconds),
      duckdb_load_s: round(peer.loadSeconds),
      duckdb_agrees: mismatches.length === 0,
      duckdb_compared: peer.components,
      duckdb_partners: peer.partners,
      duckdb_limited_partners: peer.limitedPartners,
      duckdb_mismatches: mismatches.length,
    },
    ...(postgres
      ? {
          postgres: {
            cold_s: round(postgres.coldSeconds),
            warm_s: round(postgres.warmSeconds),
            rss_mb: rssMb(),
            baseline_equals_ledger: postgres.cold.baselineEqualsLedger,
            cold_phases: postgres.coldPhases,
            warm_phases: postgres.warmPhases,
            store_built: pgBuilt,
          },
        }
      : {}),
    seed: options.seed,
    shards,
    threads,
    program,
    draft_version: draft.version,
    from: subject.from,
    to: subject.to,
    periods: cold.periods.map((p) => p.code),
    closed_periods: cold.periods.filter((p) => p.closed).map((p) => p.code),
    baseline_minor: c.totals.baselineMinor,
    draft_minor: c.totals.draftMinor,
    winners: c.totals.winners,
    losers: c.totals.losers,
    tier_changes: cold.tierChanges ? { up: cold.tierChanges.up, down: cold.tierChanges.down } : null,
    cold_phases: runs.coldPhases,
    warm_phases: runs.warmPhases,
    warm_lines_per_s: Math.round(cold.lines / runs.warmSeconds),
    demo_date: cache.meta.now,
    demo_order_lines: cache.meta.orderLines,
    migration: cache.meta.migration,
    store_built: cache.built,
    cache: cache.file,
  };
  if (mismatches.length > 0) log(`first mismatches: ${JSON.stringify(mismatches.slice(0, 5))}`);
  return { result, cold, warm, peer, draftText };
}

export async function simulateBench(args: string[]): Promise<Record<string, unknown>> {
  const { scale, seed, opt } = demoBenchArgs(args, 'large');
  const date = opt('--demo-date');
  if (date !== undefined && date !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error('--demo-date: expected YYYY-MM-DD or today');
  const shards = Number(opt('--shards') ?? '1');
  if (!Number.isInteger(shards) || shards < 1 || shards > 16) throw new Error('--shards: expected 1 to 16');
  const threads = Number(opt('--threads') ?? '1');
  if (!Number.isInteger(threads) || threads < 1 || threads > 16)
    throw new Error('--threads: expected 1 to 16');
  const { result } = await runSimulateBench({
    scale,
    seed,
    demoDate: date === 'today' ? null : date,
    shards,
    threads,
  });
  return result;
}
