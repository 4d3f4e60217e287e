import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnarPeriodTotals } from '../src/core/incentives/columnar-close.js';
import { compileColumnarClose } from '../src/core/incentives/columnar-close.js';
import type { IncentiveLine, Period } from '../src/core/incentives/index.js';
import { compileIncentives, dayNumber } from '../src/core/incentives/index.js';
import { planPeriod } from '../src/core/incentives/plan.js';
import { PRODUCT_FAMILIES } from '../src/core/model/catalog.js';
import { parseProgramDocument } from '../src/core/programs/parse.js';
import type { ProgramDefinition } from '../src/core/programs/types.js';
import type { BenchColumns, PartnerTable } from './close/generate.js';
import { collectGarbage } from './close/gc.js';
import { CHANNELS, CONTEXTS, closePartners, generatePeriod, sampleColumns } from './close/generate.js';
import { startParallelClose } from './close/parallel.js';
import { rulesPeer } from './close/rules-peer.js';
import type { PeerTotals } from './close/sql-peers.js';
import { duckdbPeer, postgresPeer, sqlitePeer } from './close/sql-peers.js';
import { peerSpec } from './close/spec.js';
import { openBenchStore, readBenchStore, writeBenchStore } from './close/store.js';

/**
 * A period close over N generated lines (default 10,000,000) with programs/dell-emc-fy18.yaml, FY18 Q1:
 * per partner and component totals (per-line accruals, services rebate, cross-sell per customer, growth
 * against last year, the cross-sell cap) with the columnar close (src/core/incentives/columnar-close.ts).
 *
 * - warm: the lines already in memory as typed-array columns; the median of --rounds after 2 warm-ups,
 *   on one thread, and with --threads N > 1 also on N worker threads (partners cut into contiguous
 *   ranges, see close/parallel.ts; warm_lines_per_s is then the N-thread figure, warm_1t_* the other);
 *   one thread is the default: on the 2-core CI machine two workers were slower than one thread;
 * - cold: the lines read back from the bench's SQLite store (column chunks) into fresh columns, then
 *   the close on --threads threads; the median of 3;
 * - rss_mb: peak RSS (process.resourceUsage().maxRSS) through generation, store, warm and cold, before
 *   the peers run in this process (rss_total_mb: at the end, peers included);
 * - peers, each compared with the engine to the cent, per partner and component: json-rules-engine on a
 *   sample of --sample lines (its totals against the engine's on the same sample; rate extrapolated),
 *   the same SQL on SQLite (the stored table), on PostgreSQL when TRELLIS_TEST_DATABASE_URL (or
 *   --postgres URL) is set, and on DuckDB in memory. A peer's lines/s counts its query only (loading is
 *   reported apart). Any disagreement fails the bench (exit code 1) and prints the first ones.
 * - plan: the product's period plan (src/core/incentives/plan.ts, what `trellis close`, its dry run and
 *   projections run: per-line accruals through the columnar batch path, close items, postings to
 *   write) on a sample of --plan-lines lines as objects, nothing held, timed apart and checked against the
 *   columnar close on the same lines to the cent (plan_lines_per_s).
 *
 *   npm run bench -- close [--lines N] [--threads N] [--seed N] [--rounds N] [--sample N] [--plan-lines N] [--postgres URL] [--json]
 */

export interface CloseBenchOptions {
  readonly lines: number;
  readonly seed?: number;
  readonly rounds?: number;
  readonly coldRounds?: number;
  /** Threads of the close (default 1); with more, the one-thread figure is reported too. */
  readonly threads?: number;
  readonly sample?: number;
  readonly partners?: number;
  readonly customers?: number;
  /** Lines of the sample the product's plan runs on (default 1,000,000). */
  readonly planLines?: number;
  /** PostgreSQL URL; null = no PostgreSQL peer. */
  readonly postgresUrl?: string | null;
  readonly log?: (message: string) => void;
}

export interface CloseBenchOutcome {
  /** The result line: bench, lines, warm/cold lines/s, rss_mb, peers, agree, then details. */
  readonly result: Record<string, unknown>;
  /** The first disagreements, `<peer>: partner <row> <component>: engine <x>, peer <y>`. */
  readonly disagreements: readonly string[];
}

function loadProgram(): ProgramDefinition {
  const file = join(import.meta.dirname, '..', 'programs', 'dell-emc-fy18.yaml');
  const parsed = parseProgramDocument(readFileSync(file, 'utf8'), file);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error('cannot load dell-emc-fy18.yaml');
  return parsed.document;
}

/** The program's first quarter: from its start, three months less a day. */
function firstQuarter(program: ProgramDefinition): Period {
  const start = new Date(`${program.effective.from}T00:00:00Z`);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 3);
  end.setUTCDate(end.getUTCDate() - 1);
  return { code: `${program.version}-Q1`, from: program.effective.from, to: end.toISOString().slice(0, 10) };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mb = (kb: number) => Math.round(kb / 1024);

/** Disagreements of a peer with the engine, per partner and component (absent rows count zero). */
function compare(
  peer: string,
  engine: ColumnarPeriodTotals,
  codes: readonly string[],
  order: readonly string[],
  totals: PeerTotals,
  limit = 10,
): string[] {
  const out: string[] = [];
  const columns = order.map((code) => codes.indexOf(code));
  for (const [p] of totals) {
    if (p >= engine.partnerCount) out.push(`${peer}: partner ${p} is not a partner of the period`);
  }
  for (let p = 0; p < engine.partnerCount && out.length < limit; p++) {
    const row = totals.get(p);
    columns.forEach((c, k) => {
      const mine = engine.totalMinor[p * engine.width + c] as number;
      const theirs = row?.[k] ?? 0;
      if (mine !== theirs && out.length < limit) {
        out.push(`${peer}: partner ${p} ${order[k]}: engine ${mine}, peer ${theirs}`);
      }
    });
  }
  return out;
}

function sameTotals(a: ColumnarPeriodTotals, b: ColumnarPeriodTotals): boolean {
  if (a.totalMinor.length !== b.totalMinor.length) return false;
  for (let i = 0; i < a.totalMinor.length; i++) if (a.totalMinor[i] !== b.totalMinor[i]) return false;
  return true;
}

/** The sample as objects, for engine.computePeriod (the reference the columnar close is tested against). */
function sampleLines(cols: BenchColumns, tiers: readonly string[]): IncentiveLine[] {
  const lines: IncentiveLine[] = [];
  for (let i = 0; i < cols.length; i++) {
    lines.push({
      lineId: String(i),
      partnerId: `p${String(cols.partnerIndex[i]).padStart(8, '0')}`,
      customerId: String(cols.customerIndex[i]),
      orderDate: new Date((cols.orderDay[i] as number) * 86_400_000).toISOString().slice(0, 10),
      family: PRODUCT_FAMILIES[cols.familyIndex[i] as number] ?? 'servers',
      amountMinor: cols.amountMinor[i] as number,
      facts: {
        channel: CHANNELS[cols.contextIndex[i] as number] ?? null,
        tier: tiers[cols.tierIndex[i] as number] ?? '',
        exclusive: cols.exclusive[i] === 1,
        newBusiness: cols.newBusiness[i] === 1,
      },
    });
  }
  return lines;
}

export async function runCloseBench(options: CloseBenchOptions): Promise<CloseBenchOutcome> {
  const log =
    options.log ??
    ((m: string) =>
      process.stderr.write(`close: ${m} [peak RSS ${mb(process.resourceUsage().maxRSS)} MB]\n`));
  const N = options.lines;
  const seed = options.seed ?? 1;
  const rounds = options.rounds ?? 5;
  const coldRounds = options.coldRounds ?? 3;
  const program = loadProgram();
  const spec = peerSpec(program);
  const close = compileColumnarClose(program, CONTEXTS);
  if (!close.fast) throw new Error('the program does not run the fast columnar close');
  const codes = close.components.map((c) => c.code);
  const period = firstQuarter(program);
  const fromDay = dayNumber(period.from);
  const toDay = dayNumber(period.to);
  const disagreements: string[] = [];

  // Generate.
  let t = performance.now();
  let generated: { columns: BenchColumns; partners: PartnerTable } | null = generatePeriod({
    lines: N,
    seed,
    period,
    tiers: close.tiers,
    ...(options.partners === undefined ? {} : { partners: options.partners }),
    ...(options.customers === undefined ? {} : { customers: options.customers }),
  });
  const generateMs = performance.now() - t;
  log(
    `generated ${N.toLocaleString('en-US')} lines in ${(generateMs / 1000).toFixed(1)} s (${period.code} ${period.from}..${period.to})`,
  );
  const partnerFacts = closePartners(generated.partners, close.tiers);

  // Warm: columns in memory; one thread, then `threads` threads (partners split into contiguous ranges).
  const warmOneTimes: number[] = [];
  let warm: ColumnarPeriodTotals | null = null;
  for (let r = 0; r < rounds + 2; r++) {
    t = performance.now();
    const totals = close.computePeriod(period, generated.columns, partnerFacts);
    const ms = performance.now() - t;
    if (r >= 2) warmOneTimes.push(ms);
    if (warm !== null && !sameTotals(warm, totals)) disagreements.push('warm: two rounds differ');
    warm = totals;
  }
  if (warm === null) throw new Error('no warm round');
  if (warm.lines !== N) disagreements.push(`warm: read ${warm.lines} lines of the period, expected ${N}`);
  const warmOneMs = median(warmOneTimes);
  const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  log(`warm close, 1 thread: ${warmOneMs.toFixed(0)} ms median of ${rounds} (${list(warmOneTimes)})`);
  const threads = Math.max(1, options.threads ?? 1);
  const parallel = threads > 1 ? await startParallelClose(threads, period) : null;
  /** The close on `threads` threads (one thread when the lines cannot be cut at partners). */
  const closeWithThreads = async (columns: BenchColumns, partners: PartnerTable) =>
    (await parallel?.computePeriod(columns, partners)) ??
    close.computePeriod(period, columns, closePartners(partners, close.tiers));
  let warmTimes = warmOneTimes;
  if (parallel !== null) {
    warmTimes = [];
    for (let r = 0; r < rounds + 2; r++) {
      t = performance.now();
      const totals = await closeWithThreads(generated.columns, generated.partners);
      const ms = performance.now() - t;
      if (r >= 2) warmTimes.push(ms);
      if (!sameTotals(warm, totals)) disagreements.push(`warm: ${threads} threads differ from one thread`);
    }
    log(
      `warm close, ${threads} threads: ${median(warmTimes).toFixed(0)} ms median of ${rounds} (${list(warmTimes)})`,
    );
  }
  const warmMs = median(warmTimes);

  // The store: written once.
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-close-'));
  const db = openBenchStore(join(dir, 'close.db'));
  try {
    t = performance.now();
    writeBenchStore(db, generated.columns, generated.partners, spec, (done) =>
      log(`store: ${done.toLocaleString('en-US')} lines written`),
    );
    const storeMs = performance.now() - t;
    log(`store written in ${(storeMs / 1000).toFixed(1)} s`);
    generated = null;
    collectGarbage();

    // Cold: read the columns back from the store, then the close.
    const coldTimes: number[] = [];
    const readTimes: number[] = [];
    let stored: { columns: BenchColumns; partners: PartnerTable } | null = null;
    for (let r = 0; r < coldRounds; r++) {
      stored = null;
      collectGarbage(); // the previous round's columns: one set of columns in memory at a time
      t = performance.now();
      const read = readBenchStore(db);
      const readMs = performance.now() - t;
      const totals = await closeWithThreads(read.columns, read.partners);
      coldTimes.push(performance.now() - t);
      readTimes.push(readMs);
      if (!sameTotals(warm, totals)) disagreements.push('cold: the totals from the store differ from warm');
      stored = read;
    }
    if (stored === null) throw new Error('no cold round');
    const coldMs = median(coldTimes);
    log(
      `cold close: ${coldMs.toFixed(0)} ms median of ${coldRounds} (read ${median(readTimes).toFixed(0)} ms)`,
    );
    const rssKb = process.resourceUsage().maxRSS;

    const peers: Record<string, number> = {};
    const peerMs: Record<string, number> = {};
    const loadMs: Record<string, number> = {};
    const check = (name: string, engine: ColumnarPeriodTotals, totals: PeerTotals) => {
      const found = compare(name, engine, codes, spec.order, totals);
      disagreements.push(...found);
      log(
        `${name}: ${found.length === 0 ? 'agrees with the engine to the cent' : `DISAGREES (${found[0]})`}`,
      );
    };

    // json-rules-engine on a sample, against the engine (and computePeriod) on the same sample.
    const stride = Math.max(1, Math.floor(N / (options.sample ?? 20_000)));
    const sample = sampleColumns(stored.columns, stride);
    const samplePartners = closePartners(stored.partners, close.tiers);
    const engineSample = close.computePeriod(period, sample, samplePartners);
    const partnerTable = stored.partners;
    const objectPartners = (samplePartners.facts ?? []).map((facts, p) => ({
      partnerId: `p${String(p).padStart(8, '0')}`,
      facts: facts ?? null,
      comparison: {
        'same-period-last-year':
          samplePartners.comparison?.['same-period-last-year']?.present[p] === 1
            ? { [PRODUCT_FAMILIES[0]]: partnerTable.prior[p] ?? 0 }
            : null,
      },
    }));
    const productEngine = compileIncentives(program);
    const asPeerTotals = (rows: readonly { partnerId: string; component: string; totalMinor: number }[]) => {
      const totals: PeerTotals = new Map();
      for (const row of rows) {
        const p = Number(row.partnerId.slice(1));
        const values = totals.get(p) ?? spec.order.map(() => 0);
        values[spec.order.indexOf(row.component)] = row.totalMinor;
        totals.set(p, values);
      }
      return totals;
    };
    const reference = productEngine.computePeriod({
      period,
      lines: sampleLines(sample, close.tiers),
      partners: objectPartners,
    });
    check('computePeriod (sample)', engineSample, asPeerTotals(reference));

    // The product's plan (core/incentives/plan.ts: what `trellis close` and its dry run run), on a larger
    // sample of the lines as the close loads them (objects), nothing held: it must agree to the cent.
    const planStride = Math.max(1, Math.floor(N / (options.planLines ?? 1_000_000)));
    const planSample = sampleColumns(stored.columns, planStride);
    const planEngineTotals = close.computePeriod(period, planSample, samplePartners);
    const planLines = sampleLines(planSample, close.tiers);
    collectGarbage();
    t = performance.now();
    const plan = planPeriod(productEngine, { period, lines: planLines, partners: objectPartners, held: [] });
    const planMs = performance.now() - t;
    check('the product plan (sample)', planEngineTotals, asPeerTotals(plan.totals));
    log(
      `plan (the product's close): ${planLines.length.toLocaleString('en-US')} lines in ${planMs.toFixed(0)} ms, ${plan.postings.length.toLocaleString('en-US')} postings planned`,
    );
    const rules = await rulesPeer(sample, stored.partners, spec, fromDay, toDay);
    check('json-rules-engine (sample)', engineSample, rules.totals);
    peers['json-rules-engine'] = Math.round(sample.length / (rules.ms / 1000));
    peerMs['json-rules-engine'] = Math.round(rules.ms);
    log(`json-rules-engine: ${sample.length} sample lines in ${rules.ms.toFixed(0)} ms`);

    // SQLite: the stored table.
    log('sqlite: running the query over the stored table');
    const sqlite = sqlitePeer(db, spec, fromDay, toDay);
    check('sqlite', warm, sqlite.totals);
    peers.sqlite = Math.round(N / (sqlite.queryMs / 1000));
    peerMs.sqlite = Math.round(sqlite.queryMs);
    log(`sqlite: query ${(sqlite.queryMs / 1000).toFixed(1)} s`);

    // PostgreSQL, when a URL is given.
    if (options.postgresUrl) {
      log('postgres: loading the lines');
      const pgRun = await postgresPeer(
        options.postgresUrl,
        stored.columns,
        stored.partners,
        spec,
        fromDay,
        toDay,
        (done) => {
          if (done % 2_000_000 === 0) log(`postgres: ${done.toLocaleString('en-US')} lines loaded`);
        },
      );
      check('postgres', warm, pgRun.totals);
      peers.postgres = Math.round(N / (pgRun.queryMs / 1000));
      peerMs.postgres = Math.round(pgRun.queryMs);
      loadMs.postgres = Math.round(pgRun.loadMs);
      log(
        `postgres: load ${(pgRun.loadMs / 1000).toFixed(1)} s, query ${(pgRun.queryMs / 1000).toFixed(1)} s`,
      );
    }

    // DuckDB in memory.
    log('duckdb: loading the lines');
    const duck = await duckdbPeer(stored.columns, stored.partners, spec, fromDay, toDay);
    check('duckdb', warm, duck.totals);
    peers.duckdb = Math.round(N / (duck.queryMs / 1000));
    peerMs.duckdb = Math.round(duck.queryMs);
    loadMs.duckdb = Math.round(duck.loadMs);
    log(`duckdb: load ${(duck.loadMs / 1000).toFixed(1)} s, query ${(duck.queryMs / 1000).toFixed(2)} s`);

    const warmRate = Math.round(N / (warmMs / 1000));
    const componentTotals: Record<string, number> = {};
    codes.forEach((code, c) => {
      let sum = 0;
      for (let p = 0; p < warm.partnerCount; p++) sum += warm.totalMinor[p * warm.width + c] as number;
      componentTotals[code] = sum;
    });
    return {
      disagreements,
      result: {
        lines: N,
        warm_lines_per_s: warmRate,
        cold_lines_per_s: Math.round(N / (coldMs / 1000)),
        rss_mb: mb(rssKb),
        peers,
        agree: disagreements.length === 0,
        threads,
        warm_1t_lines_per_s: Math.round(N / (warmOneMs / 1000)),
        warm_ms: Number(warmMs.toFixed(1)),
        warm_1t_ms: Number(warmOneMs.toFixed(1)),
        warm_min_ms: Number(Math.min(...warmTimes).toFixed(1)),
        warm_max_ms: Number(Math.max(...warmTimes).toFixed(1)),
        cold_ms: Number(coldMs.toFixed(1)),
        cold_read_ms: Number(median(readTimes).toFixed(1)),
        rss_total_mb: mb(process.resourceUsage().maxRSS),
        peer_ms: peerMs,
        peer_load_ms: loadMs,
        vs_warm: Object.fromEntries(
          Object.entries(peers).map(([k, v]) => [k, Number((warmRate / v).toFixed(1))]),
        ),
        sample_lines: sample.length,
        plan_lines: planLines.length,
        plan_lines_per_s: Math.round(planLines.length / (planMs / 1000)),
        generate_ms: Math.round(generateMs),
        store_write_ms: Math.round(storeMs),
        partners: warm.partnerCount,
        period: period.code,
        seed,
        totals_minor: componentTotals,
      },
    };
  } finally {
    await parallel?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function closeBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const { result, disagreements } = await runCloseBench({
    lines: Number(opt('--lines', '10000000')),
    seed: Number(opt('--seed', '1')),
    rounds: Number(opt('--rounds', '5')),
    threads: Number(opt('--threads', '1')),
    sample: Number(opt('--sample', '20000')),
    planLines: Number(opt('--plan-lines', '1000000')),
    postgresUrl: opt('--postgres', process.env.TRELLIS_TEST_DATABASE_URL ?? '') || null,
  });
  if (disagreements.length > 0) {
    process.stderr.write(
      `close: the peers disagree with the engine:\n${disagreements.map((d) => `  ${d}`).join('\n')}\n`,
    );
    process.exitCode = 1;
  }
  return result;
}
