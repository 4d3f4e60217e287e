import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createContext } from '../src/app/context.js';
import type { CloseResult } from '../src/app/incentives/close-period.js';
import { LATEST_MIGRATION } from '../src/db/migrator.js';
import { PARTITIONS, partitionedSchemaSql } from '../test/support/partitioned.js';
import {
  cacheKey,
  choosePeriod,
  demoBenchArgs,
  ensurePostgresCache,
  freshStore,
  periodCandidates,
  runOnStore,
  type CacheMeta,
  type StoreRuns,
} from './close-real.js';
import { runPhases, type Phases } from './ingest.js';

/**
 * The distributed schema beside the plain one (issue 18, item 4), on PostgreSQL, in the same run:
 *
 *   npm run bench -- scale [--scale small|medium] [--seed N] [--seconds N] [--clients N] [--csv-lines N] [--json]
 *
 * - plain: the schema the migrations make (close-real's cached PostgreSQL demo database, shared with it).
 * - partitioned: the same schema with every vendor-owned table hash-partitioned by vendor_id into
 *   PARTITIONS partitions (test/support/partitioned.ts: what Citus's distribution asks of the keys),
 *   created in an empty database, then the demo loaded into it by the product's loader (it finds an empty
 *   migrated store). Cached as a database `trellis_bench_part_<key>` like close-real's, with the same demo
 *   date as the plain one, so both hold the same world.
 * Figures on each (each step on a database created from the cached one as a template):
 * - close-real's: first close, re-close and dry run of the same Dell quarter (close-real's choice), checked
 *   as close-real checks them (reconciled, the re-close posts nothing, the dry run agrees), and the two
 *   schemas' closes must post the same figures;
 * - ingest's: 3-line orders posted over HTTP by concurrent clients (orders/s, p50, p99), then a generated
 *   CSV imported (lines/s; default 100,000 lines, less than ingest's million, to keep the run short); the
 *   two schemas' imports must read the same lines and create the same orders.
 * The last line: {"bench":"scale","scale":..,"plain":{..},"partitioned":{..},"ratio":{..},..}, ratio being
 * partitioned / plain per figure (above 1 is slower for times, faster for rates); `over_target` lists the
 * figures where the partitioned schema is more than 20% worse.
 */

/** The figures compared, and whether more is better (rates) or worse (times). */
export const SCALE_FIGURES = {
  first_close_s: 'lower',
  reclose_s: 'lower',
  dry_run_s: 'lower',
  orders_per_s: 'higher',
  p50_ms: 'lower',
  p99_ms: 'lower',
  csv_lines_per_s: 'higher',
} as const satisfies Record<string, 'lower' | 'higher'>;

export type ScaleFigure = keyof typeof SCALE_FIGURES;
export type ScaleFigures = Record<ScaleFigure, number>;

/** The target (issue 18): the partitioned schema within 20% of the plain one on every figure. */
export const SCALE_TOLERANCE = 0.2;

/** partitioned / plain per figure, to two decimals (null where plain is 0 or either is not finite). */
export function scaleRatios(
  plain: ScaleFigures,
  partitioned: ScaleFigures,
): Record<ScaleFigure, number | null> {
  const out = {} as Record<ScaleFigure, number | null>;
  for (const name of Object.keys(SCALE_FIGURES) as ScaleFigure[]) {
    const a = plain[name];
    const b = partitioned[name];
    out[name] = Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? Number((b / a).toFixed(2)) : null;
  }
  return out;
}

/**
 * The figures where the partitioned schema is more than `tolerance` worse than the plain one: a time
 * above (1 + tolerance) x plain, a rate below plain / (1 + tolerance) (the same 20% more time per unit).
 * A figure without a ratio is not judged.
 */
export function overTarget(
  ratios: Record<ScaleFigure, number | null>,
  tolerance = SCALE_TOLERANCE,
): ScaleFigure[] {
  return (Object.keys(SCALE_FIGURES) as ScaleFigure[]).filter((name) => {
    const r = ratios[name];
    if (r === null) return false;
    return SCALE_FIGURES[name] === 'lower' ? r > 1 + tolerance : r < 1 / (1 + tolerance);
  });
}

const round = (x: number) => Number(x.toFixed(2));

/** The partitioned demo database of a scale and seed: its key folds in the partition count. */
export function partitionedDatabaseName(scale: string, seed: number): string {
  const key = cacheKey(
    scale as Parameters<typeof cacheKey>[0],
    seed,
    `${LATEST_MIGRATION}+hash${PARTITIONS}`,
  );
  return `trellis_bench_part_${key}`;
}

/** On the new empty database: pg_trgm (the migrations install it in public), then the partitioned schema. */
async function createPartitionedSchema(serverUrl: string, url: string): Promise<void> {
  const text = await partitionedSchemaSql(serverUrl, 'public');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_trgm with schema public');
    await client.query(text);
  } finally {
    await client.end();
  }
}

interface SchemaRun {
  close: StoreRuns;
  ingest: Record<string, unknown>;
  ingestExtra: Record<string, unknown>;
  partitionedTables: number;
}

export async function scaleBench(args: string[]): Promise<Record<string, unknown>> {
  const serverUrl = process.env.TRELLIS_TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error(
      'bench scale: TRELLIS_TEST_DATABASE_URL is not set; it compares two PostgreSQL schemas (e.g. postgresql://postgres@127.0.0.1:5432/test)',
    );
  const { scale, seed, opt } = demoBenchArgs(args, 'small');
  if (scale === 'large') throw new Error('bench scale: --scale small or medium');
  const phases: Phases = {
    seconds: Number(opt('--seconds') ?? '10'),
    warmup: Number(opt('--warmup') ?? '2'),
    clients: Number(opt('--clients') ?? '24'),
    csvLines: Number(opt('--csv-lines') ?? '100000'),
    http: true,
    csv: true,
  };
  const log = (m: string) => process.stderr.write(`scale: ${m}\n`);

  // The plain demo database (close-real's), then the partitioned one with the same demo date.
  const key = cacheKey(scale, seed, LATEST_MIGRATION);
  const plainCache = await ensurePostgresCache({
    serverUrl,
    key,
    scale,
    seed,
    now: new Date().toISOString().slice(0, 10),
    log,
  });
  const partCache = await ensurePostgresCache({
    serverUrl,
    key,
    scale,
    seed,
    now: plainCache.meta.now,
    log,
    database: partitionedDatabaseName(scale, seed),
    prepare: (url) => createPartitionedSchema(serverUrl, url),
  });
  if (partCache.meta.now !== plainCache.meta.now)
    throw new Error(
      `bench scale: the cached demos differ in date (plain ${plainCache.meta.now}, partitioned ${partCache.meta.now}); drop ${partCache.database}`,
    );
  const sources = {
    plain: { kind: 'postgres' as const, serverUrl, database: plainCache.database },
    partitioned: { kind: 'postgres' as const, serverUrl, database: partCache.database },
  };

  // close-real's period, read on the plain store.
  const meta: CacheMeta = plainCache.meta;
  const program = meta.vendors.find((v) => v.slug === 'dell')?.programCode ?? meta.vendors[0]?.programCode;
  if (!program) throw new Error('bench scale: the demo store has no program');
  let period = opt('--period')?.toUpperCase();
  if (!period) {
    const { store, dispose } = await freshStore(sources.plain);
    try {
      period = choosePeriod(await periodCandidates(createContext(store), program), meta.now)?.code;
    } finally {
      await dispose();
    }
  }
  if (!period) throw new Error(`bench scale: program ${program} has no ended period that was never closed`);
  log(`${program} ${period} on the ${scale} demo (demo date ${meta.now})`);

  const runs = {} as Record<'plain' | 'partitioned', SchemaRun>;
  for (const label of ['plain', 'partitioned'] as const) {
    const close = await runOnStore(label, () => freshStore(sources[label]), program, period, log);
    const { store, dispose } = await freshStore(sources[label]);
    const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-scale-'));
    try {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_partitioned_table`.execute(store.db);
      const partitionedTables = Number(rows[0]?.n ?? 0);
      log(
        `${label}: ${partitionedTables} partitioned tables; ingest (${phases.seconds} s HTTP, ${phases.csvLines} CSV lines)`,
      );
      const { result, extra } = await runPhases(store, phases, dir);
      log(`${label}: ingest ${JSON.stringify(result)}`);
      runs[label] = { close, ingest: result, ingestExtra: extra, partitionedTables };
    } finally {
      await dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // The same world gives the same close and the same import on both schemas.
  const closeFigures = (r: CloseResult) =>
    JSON.stringify([r.lines, r.partners, r.transactions, r.entries, r.netMinor, r.totalMinor, r.statements]);
  if (closeFigures(runs.plain.close.first) !== closeFigures(runs.partitioned.close.first))
    throw new Error(
      `bench scale: the close differs between the schemas: plain ${closeFigures(runs.plain.close.first)}, partitioned ${closeFigures(runs.partitioned.close.first)} (lines, partners, transactions, entries, net, total, statements)`,
    );
  // Lines and orders only: the ledger the import posts depends on the orders the HTTP phase took before it
  // (their number differs with the speed), as volumes and tiers do.
  const importFigures = (e: Record<string, unknown>) => JSON.stringify([e.csv_lines, e.csv_orders]);
  if (importFigures(runs.plain.ingestExtra) !== importFigures(runs.partitioned.ingestExtra))
    throw new Error(
      `bench scale: the CSV import differs between the schemas: plain ${importFigures(runs.plain.ingestExtra)}, partitioned ${importFigures(runs.partitioned.ingestExtra)} (lines, orders)`,
    );
  if (runs.plain.partitionedTables !== 0 || runs.partitioned.partitionedTables === 0)
    throw new Error(
      `bench scale: expected no partitioned table in the plain schema and some in the other (found ${runs.plain.partitionedTables} and ${runs.partitioned.partitionedTables})`,
    );

  const figures = (r: SchemaRun): ScaleFigures => ({
    first_close_s: round(r.close.firstSeconds),
    reclose_s: round(r.close.recloseSeconds),
    dry_run_s: round(r.close.drySeconds),
    orders_per_s: Number(r.ingest.orders_per_s),
    p50_ms: Number(r.ingest.p50_ms),
    p99_ms: Number(r.ingest.p99_ms),
    csv_lines_per_s: Number(r.ingest.csv_lines_per_s),
  });
  const plain = figures(runs.plain);
  const partitioned = figures(runs.partitioned);
  const ratio = scaleRatios(plain, partitioned);
  const first = runs.plain.close.first;
  return {
    scale,
    plain,
    partitioned,
    ratio,
    over_target: overTarget(ratio),
    partitions: PARTITIONS,
    partitioned_tables: runs.partitioned.partitionedTables,
    seed,
    program,
    period,
    close_lines: first.lines,
    close_partners: first.partners,
    close_transactions: first.transactions,
    close_entries: first.entries,
    reconciled: first.reconciled && runs.partitioned.close.first.reconciled,
    // Seconds per phase of each first close (closePeriod's progress phases): where a difference lies.
    first_close_phases: { plain: runs.plain.close.phases, partitioned: runs.partitioned.close.phases },
    http_clients: phases.clients,
    http_seconds: phases.seconds,
    http_errors: [runs.plain.ingestExtra.errors, runs.partitioned.ingestExtra.errors],
    csv_lines: runs.plain.ingestExtra.csv_lines,
    demo_date: meta.now,
    demo_order_lines: meta.orderLines,
    migration: meta.migration,
    databases: [plainCache.database, partCache.database],
    stores_built: [plainCache.built, partCache.built],
    // The demo loader's seconds into each schema, when its cache was built (not part of the ratio: once per cache).
    demo_load_s: [plainCache.meta.buildSeconds, partCache.meta.buildSeconds],
  };
}
