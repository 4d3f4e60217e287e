import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { createContext, type AppContext } from '../src/app/context.js';
import { loadDemo } from '../src/app/demo/load-demo.js';
import { closePeriod, type CloseResult } from '../src/app/incentives/close-period.js';
import { openAppStore } from '../src/app/store.js';
import { SYSTEM_SCOPE, type Scope } from '../src/core/access/scope.js';
import { DEMO_SCALES, type DemoScale, type DemoWorldOptions } from '../src/core/demo/index.js';
import { programPeriods } from '../src/core/ledger/periods.js';
import { fixedClock } from '../src/core/shared/clock.js';
import type { ProgramDefinition } from '../src/core/programs/types.js';
import type { Store, StoreTarget } from '../src/db/connection.js';
import { LATEST_MIGRATION } from '../src/db/migrator.js';
import { settlementRepository } from '../src/db/repositories/settlement-repository.js';

/**
 * The period close a vendor runs (`trellis close <program> <period>`: closePeriod in
 * src/app/incentives/close-period.ts, through the use case exactly as the CLI and the close job call it),
 * on the demo world, unlike `close` (the bench-only columnar engine on generated columns).
 *
 *   npm run bench -- close-real [--scale small|medium|large] [--seed N] [--demo-date YYYY-MM-DD] [--program CODE] [--period CODE]
 *     [--shards N[,M...]] [--json]
 *
 * - The demo store is built once with the product's demo loader (what `trellis demo` runs), in a child
 *   process (so rss_mb is the close's, not the load's), and cached under TRELLIS_BENCH_DIR (default
 *   /tmp/trellis-bench), keyed by scale, seed and the latest migration (a schema change rebuilds it).
 *   SQLite: a file, copied (not timed) for each measured run. PostgreSQL, when TRELLIS_TEST_DATABASE_URL
 *   is set: a database `trellis_bench_<scale>_<seed>_<key hash>` on that server, analyzed after the load
 *   (as autovacuum would soon do), each run on a database created from it as a template (dropped after).
 * - The period: by default the quarter of Dell's program with the most order lines that had ended by the
 *   demo's date and was never closed (no row in period_closes); older history carries no real-time
 *   accruals, so its first close posts every accrual.
 * - Timed (wall clock): first_close_s, the first close of that period; reclose_s, closing it again right
 *   after (it must post nothing); dry_run_s, a dry run of the same period on a fresh copy. The close
 *   must report reconciled: true and the re-close 0 transactions, or the bench fails. On PostgreSQL the
 *   same period, and the same figures (lines, partners, transactions, entries, net) as on SQLite when
 *   both stores hold the same world (same demo date).
 * - rss_mb: this process's peak RSS (process.resourceUsage().maxRSS) after the SQLite runs; the
 *   PostgreSQL runs report theirs (the peak so far) apart. rss_mb_after: the same after each run (before,
 *   first_close, reclose, dry_run), which says which run set it.
 * - `--shards 1,2`: the runs once per shard count (closePeriod's `shards`: the read-and-compute phase in
 *   shards of partners, each on a worker thread of its own), in the same process one after the other; the
 *   top-level figures are the first count's, `by_shards` has each count's. Every count must give the same
 *   close (the same figures), or the bench fails. (From the TypeScript sources, as `npm run bench` runs,
 *   each shard's thread first loads tsx and the modules it runs: part of the figure.)
 */

export interface CloseRealOptions {
  readonly scale: DemoScale;
  readonly seed: number;
  /** Program id or code (default: the Dell program of the demo). */
  readonly program?: string | undefined;
  /** Period code (default: see choosePeriod). */
  readonly period?: string | undefined;
  /** Cache directory (default TRELLIS_BENCH_DIR or /tmp/trellis-bench). */
  readonly dir?: string | undefined;
  /** PostgreSQL server URL (default TRELLIS_TEST_DATABASE_URL); null: SQLite only. */
  readonly postgresUrl?: string | null | undefined;
  /** Demo sizes overriding the scale's (tests); part of the cache key. */
  readonly sizes?: DemoWorldOptions['sizes'] | undefined;
  /** The demo's date (default: now, when the cache is built); part of the cache key when given. */
  readonly now?: string | undefined;
  readonly log?: ((message: string) => void) | undefined;
  /** The shard counts to run the close in, one after the other (default [1]). */
  readonly shards?: readonly number[] | undefined;
}

/** What the cache keeps beside a store: how it was built. */
export interface CacheMeta {
  key: string;
  scale: DemoScale;
  seed: number;
  migration: string;
  /** The demo's date (its last order day). */
  now: string;
  /** Per vendor, its program (Dell's first). */
  vendors: { slug: string; programCode: string }[];
  orderLines: number;
  buildSeconds: number;
}

export interface PeriodCandidate {
  code: string;
  from: string;
  to: string;
  /** The vendor's partner-sold order lines in the period (what the close reads). */
  lines: number;
  /** Ledger entries the program already holds for it (real-time accruals). */
  heldEntries: number;
  closed: boolean;
}

export interface StoreRuns {
  first: CloseResult;
  reclose: CloseResult;
  dry: CloseResult;
  firstSeconds: number;
  recloseSeconds: number;
  drySeconds: number;
  /** This process's CPU seconds (user + system) in each: on SQLite the whole close, on PostgreSQL the client's part. */
  cpu: { first_close: number; reclose: number; dry_run: number };
  /** Seconds per phase of the first close (from its progress reports). */
  phases: Record<string, number>;
  heldEntries: number;
  /**
   * This process's peak RSS (MB) after each run: it only grows, so the run after which it grew is the one
   * that set it (before: when the store was opened, before the first close).
   */
  rssAfter: { before: number; first_close: number; reclose: number; dry_run: number };
  /** The peak RSS (MB) at the end of each phase of the first close. */
  phaseRss: Record<string, number>;
}

const BUILD_FLAG = '--build-close-real-cache';

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * The cache key: scale, seed and a hash of the latest migration's name (and of the test overrides, if
 * any). A new migration changes the key, so the next run builds a new store.
 */
export function cacheKey(
  scale: DemoScale,
  seed: number,
  migration: string,
  overrides: { sizes?: DemoWorldOptions['sizes'] | undefined; now?: string | undefined } = {},
): string {
  const variant = JSON.stringify([migration, overrides.sizes ?? null, overrides.now ?? null]);
  const hash = createHash('sha256').update(variant).digest('hex').slice(0, 10);
  return `${scale}_${seed}_${hash}`;
}

/** The PostgreSQL database holding the cached demo of a key (an identifier: lower case, < 64 chars). */
export function cachedDatabaseName(key: string): string {
  return `trellis_bench_${key}`;
}

/** The server URL pointed at another database of the same server. */
function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name) || name.length > 63) throw new Error(`bad database name ${name}`);
  return `"${name}"`;
};

/**
 * Every quarter (period) of the program's published versions, with the lines the close would read, the
 * ledger entries the program holds for it and whether it was ever closed.
 */
export async function periodCandidates(ctx: AppContext, program: string): Promise<PeriodCandidate[]> {
  const found = await ctx.repos.programs.get(SYSTEM_SCOPE, program);
  if (!found) throw new Error(`close-real: no program "${program}" in the demo store`);
  const versions = (await ctx.repos.programs.versions(SYSTEM_SCOPE, found.id)).filter(
    (v) => v.status === 'published',
  );
  const closed = new Set(
    (await settlementRepository(ctx.store.db).closedPeriods(found.id)).map((c) => c.period),
  );
  const held = new Map(
    (
      await ctx.store.db
        .selectFrom('ledgerEntries')
        .select(['period', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('programId', '=', found.id)
        .groupBy('period')
        .execute()
    ).map((r) => [r.period, Number(r.n)]),
  );
  const seen = new Set<string>();
  const out: PeriodCandidate[] = [];
  for (const v of versions) {
    for (const p of programPeriods(JSON.parse(v.definition) as ProgramDefinition)) {
      if (seen.has(p.code)) continue;
      seen.add(p.code);
      const row = await ctx.store.db
        .selectFrom('orderLines')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('vendorId', '=', found.vendorId)
        .where('orderDate', '>=', p.from)
        .where('orderDate', '<=', p.to)
        .where('resellerId', 'is not', null)
        .executeTakeFirst();
      out.push({
        code: p.code,
        from: p.from,
        to: p.to,
        lines: Number(row?.n ?? 0),
        heldEntries: held.get(p.code) ?? 0,
        closed: closed.has(p.code),
      });
    }
  }
  return out.sort((a, b) => a.from.localeCompare(b.from));
}

/**
 * The default period: of the quarters that have ended by `today` and were never closed, the one with the
 * most order lines (the earlier one on a tie). Null when there is none.
 */
export function choosePeriod(candidates: readonly PeriodCandidate[], today: string): PeriodCandidate | null {
  let best: PeriodCandidate | null = null;
  for (const c of candidates) {
    if (c.closed || c.to >= today) continue;
    if (!best || c.lines > best.lines) best = c;
  }
  return best;
}

/** Where and how a cached demo store is built (see cachedDemoStore). */
export interface CachedDemoOptions {
  readonly scale: DemoScale;
  readonly seed: number;
  /** Cache directory (default TRELLIS_BENCH_DIR or /tmp/trellis-bench). */
  readonly dir?: string | undefined;
  /** Demo sizes overriding the scale's (tests); part of the cache key. */
  readonly sizes?: DemoWorldOptions['sizes'] | undefined;
  /** The demo's date (default: now, when the cache is built); part of the cache key when given. */
  readonly now?: string | undefined;
  readonly log: (message: string) => void;
}

export interface CachedDemo {
  /** The cached SQLite file (never opened for writing: work on a copy, see freshStore). */
  readonly file: string;
  readonly meta: CacheMeta;
  /** True when this call built it. */
  readonly built: boolean;
  readonly key: string;
  readonly dir: string;
}

/**
 * The demo store of a scale, seed (and test sizes, demo date) built once with the product's demo loader in
 * a child process and cached as a SQLite file keyed by cacheKey (the benches close-real and simulate).
 */
export async function cachedDemoStore(options: CachedDemoOptions): Promise<CachedDemo> {
  const dir = options.dir ?? process.env.TRELLIS_BENCH_DIR ?? '/tmp/trellis-bench';
  const key = cacheKey(options.scale, options.seed, LATEST_MIGRATION, {
    sizes: options.sizes,
    now: options.now,
  });
  const cache = await ensureSqliteCache({ ...options, dir, key });
  return { ...cache, key, dir };
}

/** The cache's store: built (in a child process) if missing; its metadata. */
async function ensureSqliteCache(
  o: CachedDemoOptions & { dir: string; key: string },
): Promise<{ file: string; meta: CacheMeta; built: boolean }> {
  const file = join(o.dir, `${o.key}.db`);
  const metaFile = join(o.dir, `${o.key}.json`);
  if (existsSync(file) && existsSync(metaFile))
    return { file, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta, built: false };
  mkdirSync(o.dir, { recursive: true });
  const building = join(o.dir, `${o.key}.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  try {
    const target: StoreTarget = { kind: 'sqlite', file: join(building, 'trellis.db') };
    o.log(`building the ${o.scale} demo (seed ${o.seed}) into ${file} (migration ${LATEST_MIGRATION})`);
    const meta = await buildInChild({
      target,
      key: o.key,
      scale: o.scale,
      seed: o.seed,
      sizes: o.sizes,
      now: o.now,
    });
    // The WAL was checkpointed into the file before the store closed: the file alone is the store.
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(target.file + suffix))
        throw new Error(`close-real: ${target.file}${suffix} left after the build`);
    renameSync(target.file, file);
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    return { file, meta, built: true };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

export async function ensurePostgresCache(o: {
  serverUrl: string;
  key: string;
  scale: DemoScale;
  seed: number;
  sizes?: DemoWorldOptions['sizes'] | undefined;
  now: string;
  log: (m: string) => void;
  /** The cached database's name (default cachedDatabaseName(key)). */
  database?: string | undefined;
  /** Runs on the new, empty database before the demo loads into it (bench scale: the partitioned schema). */
  prepare?: ((url: string) => Promise<void>) | undefined;
}): Promise<{ database: string; meta: CacheMeta; built: boolean }> {
  const database = o.database ?? cachedDatabaseName(o.key);
  const existing = await withServer(o.serverUrl, async (c) => {
    const r = await c.query<{ meta: string | null }>(
      "select shobj_description(oid, 'pg_database') as meta from pg_database where datname = $1",
      [database],
    );
    return r.rows[0];
  });
  if (existing?.meta) return { database, meta: JSON.parse(existing.meta) as CacheMeta, built: false };
  const building = `${database}_b${process.pid}`.slice(0, 63);
  await withServer(o.serverUrl, async (c) => {
    // A database without its description is a build that did not finish: start again.
    await c.query(`drop database if exists ${ident(database)} with (force)`);
    await c.query(`drop database if exists ${ident(building)} with (force)`);
    await c.query(`create database ${ident(building)}`);
  });
  try {
    o.log(
      `building the ${o.scale} demo (seed ${o.seed}) into PostgreSQL database ${database} (demo date ${o.now})`,
    );
    if (o.prepare) await o.prepare(databaseUrl(o.serverUrl, building));
    const meta = await buildInChild({
      target: { kind: 'postgres', url: databaseUrl(o.serverUrl, building) },
      key: o.key,
      scale: o.scale,
      seed: o.seed,
      sizes: o.sizes,
      now: o.now,
    });
    await withServer(o.serverUrl, async (c) => {
      await c.query(`alter database ${ident(building)} rename to ${ident(database)}`);
      await c.query(`comment on database ${ident(database)} is ${pg.escapeLiteral(JSON.stringify(meta))}`);
    });
    return { database, meta, built: true };
  } catch (e) {
    await withServer(o.serverUrl, (c) => c.query(`drop database if exists ${ident(building)} with (force)`));
    throw e;
  }
}

interface BuildSpec {
  target: StoreTarget;
  key: string;
  scale: DemoScale;
  seed: number;
  sizes?: DemoWorldOptions['sizes'] | undefined;
  now?: string | undefined;
}

/** Builds the demo store in a child process (this file run with BUILD_FLAG), which prints progress to stderr. */
function buildInChild(spec: BuildSpec): Promise<CacheMeta> {
  const here = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = fork(here, [BUILD_FLAG, JSON.stringify(spec)], {
      cwd: join(import.meta.dirname, '..'),
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let meta: CacheMeta | null = null;
    child.on('message', (m) => {
      meta = m as CacheMeta;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && meta) resolve(meta);
      else reject(new Error(`close-real: the demo build exited with code ${String(code)}`));
    });
  });
}

/** The child's side: loads the demo (as `trellis demo` does) into the target, checkpoints and closes it. */
async function buildStore(spec: BuildSpec): Promise<CacheMeta> {
  const store = await openAppStore(spec.target);
  try {
    let phase = '';
    let last = 0;
    const started = performance.now();
    const say = (m: string) =>
      process.stderr.write(
        `close-real: build ${((performance.now() - started) / 1000).toFixed(0)} s: ${m}\n`,
      );
    const summary = await loadDemo(createContext(store), {
      scale: spec.scale,
      seed: spec.seed,
      sizes: spec.sizes,
      ...(spec.now ? { now: new Date(`${spec.now}T12:00:00.000Z`) } : {}),
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase !== phase || now - last > 5000) {
          say(`${p.phase} ${p.done}/${p.total}`);
          phase = p.phase;
          last = now;
        }
      },
    });
    say(`loaded ${summary.orderLines} order lines in ${summary.seconds.toFixed(1)} s`);
    if (store.sqlite) store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    // What autovacuum does to a live PostgreSQL store soon after the load: without it the tables the demo's
    // settlement filled last (statements, statement_lines) have no statistics, the close's statement query
    // (settlementRepository.attachEntries) takes a plan that probes every paid statement per returned line,
    // and the first close's figure depends on whether autovacuum got there before the copy.
    else await sql`analyze`.execute(store.db);
    return {
      key: spec.key,
      scale: spec.scale,
      seed: spec.seed,
      migration: LATEST_MIGRATION,
      now: summary.now,
      vendors: summary.vendors.map((v) => ({ slug: v.slug, programCode: v.programCode })),
      orderLines: summary.orderLines,
      buildSeconds: round(summary.seconds, 1),
    };
  } finally {
    await store.close();
  }
}

/** A fresh working store: a copy of the cached file, or a database made from the cached one. */
export async function freshStore(
  source:
    | { kind: 'sqlite'; file: string; workDir: string }
    | { kind: 'postgres'; serverUrl: string; database: string },
): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (source.kind === 'sqlite') {
    rmSync(source.workDir, { recursive: true, force: true });
    mkdirSync(source.workDir, { recursive: true });
    const file = join(source.workDir, 'trellis.db');
    copyFileSync(source.file, file);
    const store = await openAppStore({ kind: 'sqlite', file });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(source.workDir, { recursive: true, force: true });
      },
    };
  }
  const work = `trellis_bench_work_${process.pid}`;
  await withServer(source.serverUrl, async (c) => {
    await c.query(`drop database if exists ${ident(work)} with (force)`);
    // FILE_COPY (PostgreSQL 15+) copies the files at once instead of logging every block.
    let strategy = ' strategy file_copy';
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`create database ${ident(work)} template ${ident(source.database)}${strategy}`);
        return;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === '42601' && strategy) strategy = '';
        // 55006: the template is in use (an autovacuum worker): wait for it.
        else if (code === '55006' && attempt < 20) await new Promise((r) => setTimeout(r, 500));
        else throw e;
      }
    }
  });
  const store = await openAppStore({ kind: 'postgres', url: databaseUrl(source.serverUrl, work) });
  return {
    store,
    dispose: async () => {
      await store.close();
      await withServer(source.serverUrl, (c) =>
        c.query(`drop database if exists ${ident(work)} with (force)`),
      );
    },
  };
}

/** The value, its wall-clock seconds and this process's CPU seconds (user + system) while it ran. */
async function timed<T>(run: () => Promise<T>): Promise<[T, number, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return [value, seconds, (used.user + used.system) / 1e6];
}

/** The first close, the re-close (fresh store 1), then the dry run (fresh store 2), each checked. */
export async function runOnStore(
  label: string,
  fresh: () => Promise<{ store: Store; dispose: () => Promise<void> }>,
  program: string,
  period: string,
  log: (m: string) => void,
  /** The shards of partners the closes compute in (closePeriod's `shards`). */
  shards = 1,
  /** The day the closes run on (default: now); the bench closes on the demo's date (built to it). */
  today: string | null = null,
): Promise<StoreRuns> {
  const contextOf = (store: Store) =>
    createContext(store, today ? { clock: fixedClock(`${today}T12:00:00.000Z`) } : {});
  const phases: Record<string, number> = {};
  const phaseRss: Record<string, number> = {};
  let first: CloseResult;
  let reclose: CloseResult;
  let firstSeconds: number;
  let recloseSeconds: number;
  let firstCpu: number;
  let recloseCpu: number;
  let dryCpu: number;
  let heldEntries = 0;
  let rssBefore = 0;
  let rssFirst = 0;
  let rssReclose = 0;
  {
    const { store, dispose } = await fresh();
    try {
      const ctx = contextOf(store);
      const who = await vendorCaller(ctx, program);
      heldEntries = (await periodCandidates(ctx, program)).find((c) => c.code === period)?.heldEntries ?? 0;
      let phase = 'start';
      let since = performance.now();
      const progress = {
        phase(name: string) {
          const now = performance.now();
          phases[phase] = round((now - since) / 1000);
          phaseRss[phase] = rssMb();
          phase = name;
          since = now;
        },
        update() {},
      };
      log(`${label}: closing ${program} ${period}`);
      rssBefore = rssMb();
      [first, firstSeconds, firstCpu] = await timed(() =>
        closePeriod(ctx, who, { program, period, progress, shards }),
      );
      phases[phase] = round((performance.now() - since) / 1000);
      phaseRss[phase] = rssMb();
      delete phases.start;
      delete phaseRss.start;
      rssFirst = rssMb();
      log(
        `${label}: first close ${firstSeconds.toFixed(2)} s: ${first.lines} lines, ${first.partners} partners, ${first.transactions} transactions, ${first.entries} entries`,
      );
      [reclose, recloseSeconds, recloseCpu] = await timed(() =>
        closePeriod(ctx, who, { program, period, shards }),
      );
      rssReclose = rssMb();
      log(`${label}: re-close ${recloseSeconds.toFixed(2)} s: ${reclose.transactions} transactions`);
    } finally {
      await dispose();
    }
  }
  let dry: CloseResult;
  let drySeconds: number;
  {
    const { store, dispose } = await fresh();
    try {
      const ctx = contextOf(store);
      const who = await vendorCaller(ctx, program);
      [dry, drySeconds, dryCpu] = await timed(() =>
        closePeriod(ctx, who, { program, period, dryRun: true, shards }),
      );
      log(`${label}: dry run ${drySeconds.toFixed(2)} s: ${dry.lines} lines`);
    } finally {
      await dispose();
    }
  }
  const problems: string[] = [];
  if (!first.reconciled) problems.push('the first close is not reconciled with the batch computation');
  if (!reclose.reconciled) problems.push('the re-close is not reconciled with the batch computation');
  if (reclose.transactions !== 0 || reclose.entries !== 0)
    problems.push(
      `the re-close posted ${reclose.transactions} transactions, ${reclose.entries} entries (expected none)`,
    );
  if (first.dryRun || !first.closeId) problems.push('the first close recorded no close');
  if (dry.lines !== first.lines || dry.partners !== first.partners)
    problems.push(
      `the dry run read ${dry.lines} lines of ${dry.partners} partners, the close ${first.lines} of ${first.partners}`,
    );
  if (dry.totalMinor !== first.totalMinor)
    problems.push(`the dry run earns ${dry.totalMinor}, the close ${first.totalMinor} (minor units)`);
  if (problems.length > 0) throw new Error(`close-real (${label}) failed: ${problems.join('; ')}`);
  return {
    first,
    reclose,
    dry,
    firstSeconds,
    recloseSeconds,
    drySeconds,
    cpu: { first_close: round(firstCpu), reclose: round(recloseCpu), dry_run: round(dryCpu) },
    phases,
    heldEntries,
    rssAfter: { before: rssBefore, first_close: rssFirst, reclose: rssReclose, dry_run: rssMb() },
    phaseRss,
  };
}

/** The vendor's scope on the program (as a vendor admin's session holds it), acting as the system. */
export async function vendorCaller(
  ctx: AppContext,
  program: string,
): Promise<{ actor: { kind: 'system'; id: string }; scope: Scope }> {
  const found = await ctx.repos.programs.get(SYSTEM_SCOPE, program);
  if (!found) throw new Error(`close-real: no program "${program}" in the demo store`);
  return {
    actor: { kind: 'system', id: 'bench' },
    scope: { kind: 'vendor', vendorId: found.vendorId, regions: [] },
  };
}

export interface CloseRealOutcome {
  result: Record<string, unknown>;
  /** Every candidate quarter of the program in the SQLite store before the close (for tests and logs). */
  candidates: PeriodCandidate[];
  sqlite: StoreRuns;
  postgres: StoreRuns | null;
}

export async function runCloseRealBench(options: CloseRealOptions): Promise<CloseRealOutcome> {
  const log = options.log ?? ((m: string) => process.stderr.write(`close-real: ${m}\n`));
  const postgresUrl =
    options.postgresUrl === undefined ? (process.env.TRELLIS_TEST_DATABASE_URL ?? null) : options.postgresUrl;
  const cache = await cachedDemoStore({ ...options, log });
  const { dir, key } = cache;
  const workDir = join(dir, `work-${process.pid}`);
  const sqliteSource = { kind: 'sqlite' as const, file: cache.file, workDir };

  // The program and period, read from a fresh copy (the cache itself is never opened for writing).
  const program =
    options.program ??
    cache.meta.vendors.find((v) => v.slug === 'dell')?.programCode ??
    cache.meta.vendors[0]?.programCode;
  if (!program) throw new Error('close-real: the demo store has no program');
  let candidates: PeriodCandidate[];
  {
    const { store, dispose } = await freshStore(sqliteSource);
    try {
      candidates = await periodCandidates(createContext(store), program);
    } finally {
      await dispose();
    }
  }
  // Ended by the demo's date, so that the choice stays the same while the cache is reused.
  const period = options.period?.toUpperCase() ?? choosePeriod(candidates, cache.meta.now)?.code;
  if (!period) throw new Error(`close-real: program ${program} has no ended period that was never closed`);
  const chosen = candidates.find((c) => c.code === period);
  log(
    `${program} ${period}${chosen ? ` (${chosen.from}..${chosen.to}, ${chosen.lines} order lines, ${chosen.heldEntries} ledger entries held${chosen.closed ? ', closed before' : ''})` : ''}`,
  );

  const counts = options.shards ?? [1];
  if (counts.length === 0) throw new Error('close-real: no shard count');
  const figures = (r: CloseResult) =>
    JSON.stringify([r.lines, r.partners, r.transactions, r.entries, r.netMinor, r.totalMinor, r.statements]);
  /** The runs on one store once per shard count; every count must close the period the same. */
  const perCount = async (label: string, fresh: Parameters<typeof runOnStore>[1]) => {
    const runs = new Map<number, StoreRuns>();
    for (const n of counts) {
      const tag = counts.length > 1 || n !== 1 ? `${label}, ${n} shard(s)` : label;
      runs.set(n, await runOnStore(tag, fresh, program, period, log, n, cache.meta.now));
    }
    const base = runs.get(counts[0] as number) as StoreRuns;
    for (const [n, r] of runs)
      if (figures(r.first) !== figures(base.first))
        throw new Error(
          `close-real: ${label} closes differently in ${n} shard(s): ${figures(r.first)}, not ${figures(base.first)} (lines, partners, transactions, entries, net, total, statements)`,
        );
    return runs;
  };
  const byShards = (runs: Map<number, StoreRuns>) =>
    Object.fromEntries(
      [...runs].map(([n, r]) => [
        String(n),
        {
          first_close_s: round(r.firstSeconds),
          reclose_s: round(r.recloseSeconds),
          dry_run_s: round(r.drySeconds),
          cpu_s: r.cpu,
          first_close_phases: r.phases,
        },
      ]),
    );
  const sqliteRuns = await perCount('sqlite', () => freshStore(sqliteSource));
  const sqlite = sqliteRuns.get(counts[0] as number) as StoreRuns;
  const sqliteRss = rssMb();

  let postgres: StoreRuns | null = null;
  let postgresRuns: Map<number, StoreRuns> | null = null;
  let pgCache: { database: string; meta: CacheMeta; built: boolean } | null = null;
  if (postgresUrl) {
    pgCache = await ensurePostgresCache({
      serverUrl: postgresUrl,
      key,
      scale: options.scale,
      seed: options.seed,
      sizes: options.sizes,
      // The same world as the SQLite store's: the same demo date.
      now: cache.meta.now,
      log,
    });
    const source = { kind: 'postgres' as const, serverUrl: postgresUrl, database: pgCache.database };
    postgresRuns = await perCount('postgres', () => freshStore(source));
    postgres = postgresRuns.get(counts[0] as number) as StoreRuns;
    if (pgCache.meta.now === cache.meta.now) {
      if (figures(postgres.first) !== figures(sqlite.first))
        throw new Error(
          `close-real: the same close differs between the stores: sqlite ${figures(sqlite.first)}, postgres ${figures(postgres.first)} (lines, partners, transactions, entries, net, total, statements)`,
        );
    }
  }

  const s = sqlite.first;
  const result: Record<string, unknown> = {
    scale: options.scale,
    lines: s.lines,
    partners: s.partners,
    first_close_s: round(sqlite.firstSeconds),
    reclose_s: round(sqlite.recloseSeconds),
    dry_run_s: round(sqlite.drySeconds),
    rss_mb: sqliteRss,
    ...(postgres
      ? {
          postgres: {
            first_close_s: round(postgres.firstSeconds),
            reclose_s: round(postgres.recloseSeconds),
            dry_run_s: round(postgres.drySeconds),
            rss_mb: rssMb(),
            rss_mb_after: postgres.rssAfter,
            cpu_s: postgres.cpu,
            first_close_phases: postgres.phases,
            ...(postgresRuns && counts.length > 1 ? { by_shards: byShards(postgresRuns) } : {}),
            store_built: pgCache?.built ?? false,
          },
        }
      : {}),
    seed: options.seed,
    program,
    period,
    from: s.from,
    to: s.to,
    transactions: s.transactions,
    entries: s.entries,
    held_entries_before: sqlite.heldEntries,
    statements: s.statements,
    reclose_transactions: sqlite.reclose.transactions,
    reconciled: s.reconciled,
    lines_per_s: Math.round(s.lines / sqlite.firstSeconds),
    cpu_s: sqlite.cpu,
    rss_mb_after: sqlite.rssAfter,
    first_close_phases_rss_mb: sqlite.phaseRss,
    first_close_phases: sqlite.phases,
    shards: counts[0],
    ...(counts.length > 1 ? { by_shards: byShards(sqliteRuns) } : {}),
    load_average: loadavg().map((x) => round(x)),
    demo_date: cache.meta.now,
    demo_order_lines: cache.meta.orderLines,
    migration: cache.meta.migration,
    store_built: cache.built,
    cache: cache.file,
  };
  return { result, candidates, sqlite, postgres };
}

/** The options of a bench on the cached demo: `--scale` (default `defaultScale`), `--seed` and any other. */
export function demoBenchArgs(
  args: string[],
  defaultScale: DemoScale,
): { scale: DemoScale; seed: number; opt: (name: string) => string | undefined } {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scale = (opt('--scale') ?? defaultScale) as DemoScale;
  if (!(scale in DEMO_SCALES))
    throw new Error(`--scale: unknown scale "${scale}"; use small, medium or large`);
  const seed = Number(opt('--seed') ?? '1');
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('--seed: expected a non-negative integer');
  return { scale, seed, opt };
}

/** `--shards 1,2`: the counts to run in (1..16 each). */
function shardCounts(arg: string | undefined): number[] | undefined {
  if (arg === undefined) return undefined;
  const counts = arg.split(',').map((x) => Number(x.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
    throw new Error(`--shards: expected counts from 1 to 16 separated by commas, got "${arg}"`);
  return counts;
}

export async function closeRealBench(args: string[]): Promise<Record<string, unknown>> {
  const { scale, seed, opt } = demoBenchArgs(args, 'small');
  // `--demo-date YYYY-MM-DD`: the demo built to that date (the simulate bench's date shares its store).
  const date = opt('--demo-date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error('--demo-date: expected YYYY-MM-DD');
  const { result } = await runCloseRealBench({
    scale,
    seed,
    ...(date ? { now: date } : {}),
    program: opt('--program'),
    period: opt('--period'),
    shards: shardCounts(opt('--shards')),
  });
  return result;
}

// The child process of buildInChild: `node --import tsx bench/close-real.ts --build-close-real-cache <spec>`.
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === BUILD_FLAG
) {
  const spec = JSON.parse(process.argv[3] ?? '{}') as BuildSpec;
  buildStore(spec)
    .then((meta) => {
      process.send?.(meta, () => process.exit(0));
    })
    .catch((e: unknown) => {
      process.stderr.write(`close-real: the demo build failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
