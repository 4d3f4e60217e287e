import { loadDemoCurrencies, type DemoCurrenciesSummary } from './demo-currencies.js';
import { loadDemoMdf, type DemoMdfSummary } from './demo-mdf.js';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createDemoWorld,
  DEMO_SCALES,
  demoProgramYears,
  demoSignIns,
  openPeriodsFrom,
  type DemoProgramYear,
  type ProgramYearFile,
  demoOrderLineCount,
  type DemoScale,
  type DemoVendorInput,
  type DemoWorldOptions,
  type LegacyProgramInput,
  type LegacyTierRow,
} from '../../core/demo/index.js';
import { MAX_VENDOR_GROSS_MINOR } from '../../core/money/limits.js';
import type { ProductFamily } from '../../core/model/catalog.js';
import { addDays } from '../../core/programs/dates.js';
import { formatProgramFileError, parseProgramDocument } from '../../core/programs/parse.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { fixedClock } from '../../core/shared/clock.js';
import { TrellisError } from '../../core/shared/errors.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { withBulkLoader } from '../../db/bulk-loader.js';
import { vendorVolumeRepository } from '../../db/repositories/vendor-volume-repository.js';
import { refreshPlannerStatistics } from '../../db/statistics.js';
import { createContext, type AppContext } from '../context.js';
import { rebuildCoverage } from '../engagement/rebuild.js';
import { publishDocument } from '../programs/publish-document.js';
import { hashPassword } from '../access/secrets.js';
import { evaluateProgramTiers } from '../tiers/evaluate-program.js';
import { applyStatusMatch } from '../tiers/status-match.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import type { Store } from '../../db/connection.js';
import { loadDemoDeals, type DemoDealsSummary } from './demo-deals.js';
import { loadDemoRouting, type DemoRoutingSummary } from './demo-routing.js';
import { settleDemoPeriods, type DemoSettlementSummary } from './demo-settlement.js';
import { DEMO_STORY_EVENTS, type DemoStoryEvent } from './demo-story.js';
import { accrueDemoOrders, type DemoAccrualsSummary } from './demo-accruals.js';
import { ORDER_BATCH_LINES, startDemoThread, type DemoThread } from './demo-thread.js';

/**
 * The shipped program files the demo publishes (relative to the package root): every yearly version of
 * Dell's and VMware's programs under programs/ (`dell-emc-fy18.yaml`, `dell-emc-fy19.yaml`, ...), those
 * that start on or before the demo's date; years after the last shipped one are derived
 * (src/core/demo/program-years.ts). Dell's, the first, sets the world's years.
 */
export const DEMO_PROGRAM_FILE_PATTERNS = [
  /^dell-emc-fy\d+\.yaml$/,
  /^vmware-partner-connect-fy\d+\.yaml$/,
] as const;
export const DEMO_AGREEMENT_FILES = ['programs/agreements/dell-vmware-2021.yaml'] as const;

export type { DemoStoryEvent } from './demo-story.js';
export { DEMO_STORY_EVENTS } from './demo-story.js';

/**
 * The world keeps a fuller history from this day on (src/core/demo/calendar.ts, STORY_KEPT): the story
 * events around the 2021 Dell-VMware agreement (1 November 2021) to Dell's termination (effective 25 January
 * 2024) need shared partners' Dell and VMware sales to the same customers within 90 days of each other.
 */
export const DEMO_STORY_FROM = '2021-08-01';

/** Every demo timestamp (record creation times) is this instant, so a seed always yields the same database. */
const DEMO_EPOCH = '2017-01-01T00:00:00.000Z';

/** Every demo person signs in with this password (printed by `trellis demo` and listed in the README). */
export const DEMO_PASSWORD = 'trellis-demo';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Which product families each demo vendor sells. */
const FAMILIES: Record<string, ProductFamily[]> = {
  dell: ['servers', 'storage', 'networking', 'data-protection', 'services'],
  vmware: ['software', 'services'],
};

/**
 * From this many order lines on (medium and large), a SQLite file load uses a second thread: it writes
 * customers and orders (with their indexes) into one sidecar file and the last part of the lines into
 * another while this thread writes the first part of the lines; both are then copied in. Below it,
 * starting the thread costs more than it saves.
 */
const PARALLEL_MIN_LINES = 200_000;

/**
 * How many of each program's latest periods whose close date has come the demo closes, issues and pays
 * (closing runs at a few thousand lines a second, and each statement moves through three audited steps):
 * on small and medium the last one (its statements are the ones due now, or paid if its pay date has
 * come), on large none (its last quarter alone, ~2.5 million lines, would take many minutes; the payout
 * calendar's daily job closes it once `trellis serve` runs). Older periods stay unsettled history: orders
 * without ledger entries, never overdue. `settledPeriods` overrides it (tests settle two: one paid).
 */
/**
 * How many days of the open periods' orders get their real-time accruals: all of them (null) on small and
 * medium; on large the last week only (its open quarter holds about a million lines, accrued at a few
 * thousand a second): the quarter's earlier days accrue at its close, as a true-up.
 */
export const ACCRUED_DAYS: Readonly<Record<DemoScale, number | null>> = {
  small: null,
  medium: null,
  large: 7,
};

export const SETTLED_PERIODS: Readonly<Record<DemoScale, number>> = { small: 1, medium: 1, large: 0 };

/**
 * The agreement-era quarter the demo also settles, so that the Dell-VMware cross-vendor solution rewards
 * appear in both vendors' ledgers and the partners' statements: FY24-Q4 of both programs (4 November 2023 to
 * 2 February 2024), the quarter in which Dell's termination took effect (25 January 2024): sets completed
 * before it earn the reward, none after. Not on the large scale (its closes would take minutes).
 */
export const STORY_PERIODS: Readonly<Record<DemoScale, readonly string[]>> = {
  small: ['FY24-Q4'],
  medium: ['FY24-Q4'],
  large: [],
};
/** The share of the order lines the main thread writes (the second thread also writes customers and orders). */
const MAIN_LINE_SHARE = 0.78;

export interface DemoProgress {
  phase: string;
  done: number;
  total: number;
}

export interface DemoSummary {
  scale: DemoScale;
  seed: number;
  /** The demo's date: the last order day, the end of the last twelve months the scale counts. */
  now: string;
  /** First day of the last twelve months, and their order lines (the scale's target; `orderLines` counts all). */
  recentFrom: string;
  recentOrderLines: number;
  /** Per vendor: its program and the version in force on `now` (yearEnd: that version's last day). */
  vendors: { slug: string; programCode: string; version: string; yearEnd: string }[];
  /** Every program version published, in date order: shipped files, and years derived for missing ones. */
  programYears: {
    vendor: string;
    program: string;
    version: string;
    from: string;
    to: string;
    file: string;
    derived: boolean;
  }[];
  /**
   * Tier distribution after the status match at a merged program's start (every scale), then after the
   * demo's evaluation at each program's year end (not on the large scale).
   */
  tiers: { program: string; asOf: string; tiers: Record<string, number> }[];
  partners: number;
  customers: number;
  orders: number;
  orderLines: number;
  people: number;
  /** The deal registrations made through the use cases, by state (src/app/demo/demo-deals.ts). */
  deals: DemoDealsSummary;
  /** Who sold to whom and the accounts' channel runs, rebuilt from the loaded orders (src/app/engagement/rebuild.ts). */
  coverage: { channelSales: number; accounts: number };
  /** The direct orders posted through the intake, their routing and offers (src/app/demo/demo-routing.ts). */
  routing: DemoRoutingSummary;
  /** The story events replayed, in date order, with what each returned. */
  story: { date: string; name: string; result: unknown }[];
  /** Real-time accruals posted for the loaded orders of the periods open now (src/app/demo/demo-accruals.ts). */
  accruals: DemoAccrualsSummary;
  /** Marketing fund activities in every state, with their proof files (src/app/demo/demo-mdf.ts). */
  currencies: DemoCurrenciesSummary;
  mdf: DemoMdfSummary;
  /** The periods closed and statements issued and paid on the payout calendar (src/app/demo/demo-settlement.ts). */
  settlement: DemoSettlementSummary;
  signIns: {
    email: string;
    role: string;
    vendorSlug?: string | undefined;
    partnerName?: string | undefined;
  }[];
  seconds: number;
}

/**
 * Loads the demo world into an empty store: in one transaction the program versions up to the one in force
 * on `now` (derived ones for years no file ships), the agreement, partners, people, catalogue, customers
 * and orders from the first program year to `now`, streamed in batches; then the status match, THE DEMO'S
 * TIMELINE (story events and yearly tier audits in date order), today's standings, real-time accruals of
 * the open periods, coverage, deal registrations, direct orders and offers, and the payout calendar up to
 * now. Deterministic for a seed and a date (ids and timestamps included). Refuses a store that already
 * holds data.
 */
export async function loadDemo(
  ctx: AppContext,
  options: {
    scale: DemoScale;
    seed: number;
    onProgress?: (p: DemoProgress) => void;
    /** Override the scale's sizes (tests). */
    sizes?: DemoWorldOptions['sizes'];
    /** The dated story events to replay (default DEMO_STORY_EVENTS), in date order with the yearly audits. */
    storyEvents?: readonly DemoStoryEvent[];
    /** Agreement-era periods also settled (default STORY_PERIODS). */
    storyPeriods?: readonly string[];
    /** How many of each program's latest due periods to close and settle (default SETTLED_PERIODS). */
    settledPeriods?: number;
    /** Use a second thread: by default on SQLite files from PARALLEL_MIN_LINES order lines on. */
    parallel?: boolean;
    /**
     * "Now": the last order day, the end of the last twelve months the scale counts, and the reference of
     * every live state (accruals, registrations' timeline, offers, statements): the real time by default;
     * tests fix it so that every store holds the same rows.
     */
    now?: Date;
  },
): Promise<DemoSummary> {
  const started = performance.now();
  const existing = await ctx.repos.vendors.count();
  if (existing > 0) {
    throw new TrellisError(
      'not_empty',
      `the database at ${ctx.store.location} already holds data (${existing} vendor${existing === 1 ? '' : 's'}); ` +
        'the demo loads only into an empty database: set TRELLIS_DATA_DIR or DATABASE_URL to a new one',
    );
  }
  const progress = options.onProgress ?? (() => undefined);
  const now = options.now ?? ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const programYears = demoProgramYears(await shippedProgramYears(), today);
  const agreements = await Promise.all(
    DEMO_AGREEMENT_FILES.map(async (file) => ({ file, text: await readFile(PACKAGE_ROOT + file, 'utf8') })),
  );
  const ids = sequentialIds(`d${options.seed.toString(36)}`);

  // Per vendor: its program, the day it starts selling (its first version) and its versions' years.
  const programsOf = new Map<string, DemoProgramYear[]>();
  for (const y of programYears) programsOf.set(y.vendor, [...(programsOf.get(y.vendor) ?? []), y]);
  const first = programYears[0];
  if (!first) throw new TrellisError('invalid_input', `no demo program file starts on or before ${today}`);
  // The world's years are the first program's (Dell's): from the 2017 merge to today.
  const years = (programsOf.get(first.vendor) ?? []).map((y) => ({ start: y.from, end: y.to ?? today }));
  const sizes = { ...DEMO_SCALES[options.scale], ...options.sizes };
  const totalLines = demoOrderLineCount({
    vendors: [...programsOf.entries()].map(([slug, list]) => ({
      slug,
      families: FAMILIES[slug] ?? ['services'],
      sellsFrom: list[0]?.from ?? today,
    })),
    years,
    now: today,
    storyFrom: DEMO_STORY_FROM,
    recentLines: sizes.orderLines,
  });
  const sidecarBase = sidecarBaseFor(ctx.store, totalLines, options.parallel);
  const mainLines = sidecarBase ? Math.round(totalLines * MAIN_LINE_SHARE) : totalLines;
  const deferIndexesOf = [
    'customers',
    'orders',
    'order_lines',
    'certifications',
    'people',
    'role_grants',
    'enrolments',
    'partners',
  ];

  /** Every program version published, with its vendor's id. */
  const published: { vendorId: string; doc: ProgramDefinition }[] = [];
  /** Per merged program: its code and the tiers its partners held in the legacy programs. */
  const legacy: { program: string; effective: string; rows: LegacyTierRow[] }[] = [];
  const summary = await withBulkLoader(
    ctx.store,
    async (loader) => {
      const definitions: { year: DemoProgramYear; doc: ProgramDefinition; programId: string }[] = [];
      const vendorInputs: DemoVendorInput[] = [];
      for (const year of programYears) {
        const outcome = await publishDocument(
          loader.db,
          { clock: fixedClock(DEMO_EPOCH), ids },
          year.text,
          year.file,
        );
        if (outcome.kind !== 'program') continue;
        const doc = outcome.document;
        definitions.push({ year, doc, programId: outcome.programId });
        published.push({ vendorId: outcome.vendorId, doc });
        if (vendorInputs.some((v) => v.slug === doc.vendor.slug)) continue;
        vendorInputs.push({
          id: outcome.vendorId,
          slug: doc.vendor.slug,
          name: doc.vendor.name,
          currency: doc.currency,
          programId: outcome.programId,
          families: FAMILIES[doc.vendor.slug] ?? ['services'],
          sellsFrom: doc.effective.from,
        });
      }
      for (const { file, text } of agreements)
        await publishDocument(loader.db, { clock: fixedClock(DEMO_EPOCH), ids }, text, file);
      const worldOptions = {
        scale: options.scale,
        seed: options.seed,
        vendors: vendorInputs,
        years,
        now: today,
        storyFrom: DEMO_STORY_FROM,
        sizes,
      };
      const world = createDemoWorld({ ...worldOptions, createdAt: new Date(DEMO_EPOCH) });
      // The second thread builds the same world from the same options and starts at once.
      const [ordersPlan, linesPlan] = loader.sidecars;
      const thread: DemoThread | null = ordersPlan
        ? startDemoThread({
            plans: { orders: ordersPlan, lines: linesPlan ?? null },
            world: { ...worldOptions, createdAt: DEMO_EPOCH },
            fromLine: mainLines,
          })
        : null;
      try {
        const counts = world.counts();

        progress({ phase: 'partners', done: 0, total: 1 });
        const partners = world.partners();
        await loader.partners(partners);
        await loader.enrolments(world.enrolments());
        await loader.supplyRelationships(world.supplyRelationships());
        const people = world.people();
        await loader.people(people);
        await loader.roleGrants(world.roleGrants().map((g) => ({ ...g, id: ids.next('roleGrant') })));
        // One argon2id hash for every demo person: hashing thousands one by one would take minutes.
        const passwordHash = await hashPassword(DEMO_PASSWORD);
        await loader.credentials(
          people.map((p) => ({ personId: p.id, passwordHash, updatedAt: DEMO_EPOCH })),
        );
        await loader.certifications(world.certifications());
        await loader.products(world.products());
        for (const { doc: d, programId } of definitions) {
          const programs = legacyProgramsOf(d);
          if (programs.length > 0)
            legacy.push({
              program: d.code,
              effective: d.statusMatch?.effective ?? d.effective.from,
              rows: world.legacyTiers(programId, programs),
            });
        }
        progress({ phase: 'partners', done: 1, total: 1 });

        let customers = 0;
        let orders = 0;
        let lines = 0;
        if (thread === null) {
          progress({ phase: 'customers', done: 0, total: counts.customers });
          for (const batch of world.customers(5_000)) {
            await loader.customers(batch);
            customers += batch.length;
            progress({ phase: 'customers', done: customers, total: counts.customers });
          }
        }
        progress({ phase: 'order lines', done: 0, total: counts.orderLines });
        const select = { orders: thread === null, lines: true, toLine: mainLines };
        for (const batch of world.orderRows(ORDER_BATCH_LINES, select)) {
          await loader.orderRows(batch);
          orders += batch.orderCount;
          lines += batch.lineCount;
          progress({ phase: 'order lines', done: lines, total: counts.orderLines });
        }
        if (thread !== null) {
          // The rest of the lines, the orders and the customers are the second thread's.
          const own = lines;
          let streaming = true;
          const report = () => {
            if (streaming)
              progress({
                phase: 'order lines',
                done: own + thread.progress().lines,
                total: counts.orderLines,
              });
          };
          thread.onProgress(report);
          report();
          const streamed = await thread.linesDone;
          streaming = false;
          customers += streamed.customers;
          orders += streamed.orders;
          lines += streamed.lines;
          progress({ phase: 'indexes', done: 0, total: 1 });
          // Its lines are copied in and the lines' indexes built while it still indexes the orders.
          if (linesPlan) await loader.copySidecar(1);
          await loader.buildIndexes(['order_lines']);
          await thread.done;
          await loader.copySidecar(0);
        } else {
          progress({ phase: 'indexes', done: 0, total: 1 });
        }
        // The vendors' gross volumes (docs/limits.md), once, from every line now stored.
        const over = await vendorVolumeRepository(loader.db, ctx.store).recomputeAll(MAX_VENDOR_GROSS_MINOR);
        if (over.length > 0)
          throw new TrellisError(
            'limit_exceeded',
            `the demo's order volume passes the limit of ${MAX_VENDOR_GROSS_MINOR} minor units for ${over.map((o) => o.vendorId).join(', ')}`,
          );

        return {
          scale: options.scale,
          seed: options.seed,
          vendors: vendorInputs.map((v) => {
            const current = definitions.filter((d) => d.doc.vendor.slug === v.slug).at(-1)?.doc;
            return {
              slug: v.slug,
              programCode: current?.code ?? '',
              version: current?.version ?? '',
              yearEnd: current?.effective.to ?? today,
            };
          }),
          programYears: definitions.map(({ year, doc }) => ({
            vendor: doc.vendor.slug,
            program: doc.code,
            version: doc.version,
            from: doc.effective.from,
            to: doc.effective.to ?? today,
            file: year.file,
            derived: year.derived,
          })),
          now: today,
          recentFrom: counts.recentFrom,
          recentOrderLines: counts.recentOrderLines,
          tiers: [],
          partners: partners.length,
          customers,
          orders,
          orderLines: lines,
          people: people.length,
          signIns: demoSignIns(world),
          seconds: (performance.now() - started) / 1000,
        };
      } catch (e) {
        await thread?.stop();
        throw e;
      }
    },
    {
      deferIndexesOf,
      ...(sidecarBase
        ? {
            sidecars: [
              { file: `${sidecarBase}-orders`, whole: ['customers', 'orders'] },
              ...(mainLines < totalLines ? [{ file: `${sidecarBase}-lines`, append: ['order_lines'] }] : []),
            ],
          }
        : {}),
    },
  );
  progress({ phase: 'indexes', done: 1, total: 1 });
  const tiers: DemoSummary['tiers'] = [];
  // The merged program began with a status match from the legacy programs (2017): partners hold their
  // matched tiers from the program's first day, so FY18 pays at the tiers they held (every scale).
  for (const l of legacy) {
    const { matched } = await applyStatusMatch(ctx, SYSTEM_SCOPE, {
      program: l.program,
      rows: l.rows.map((r) => ({ location: 'demo legacy tiers', ...r })),
      actor: 'demo',
    });
    const counts: Record<string, number> = {};
    for (const m of matched) counts[m.tier] = (counts[m.tier] ?? 0) + 1;
    tiers.push({ program: l.program, asOf: l.effective, tiers: counts });
  }
  // Every partner's tier at each program year's end (the yearly audit, in date order across vendors),
  // then today's daily re-evaluation: the portal shows standings and progress at once. On the large scale
  // only the last ended year of each program is audited (then today), to keep its load time down: run
  // `trellis tiers evaluate` for the others.
  const ended = summary.programYears.filter((y) => y.to < today);
  const audited =
    options.scale === 'large'
      ? ended.filter((y) => !ended.some((o) => o.program === y.program && o.to > y.to))
      : ended;
  // ---------------------------------------------------------------------------------------------------
  // THE DEMO'S TIMELINE: dated story events and the yearly tier audits, run in date order (an event on a
  // year-end day runs before that audit). The story events are DEMO_STORY_EVENTS (src/app/demo/demo-story.ts:
  // Dell distributing VMware under the 2021 agreement, monthly to March 2024; the agreement and Dell's notice
  // of 26 November 2023, effective 25 January 2024, come from the shipped file) or `storyEvents`. Each runs
  // with a context whose clock is set to its date; events dated after today are not run.
  // ---------------------------------------------------------------------------------------------------
  const events = [...(options.storyEvents ?? DEMO_STORY_EVENTS)].filter((e) => e.date <= today);
  const timeline: (
    { kind: 'event'; date: string; event: DemoStoryEvent } | { kind: 'audit'; date: string; program: string }
  )[] = [
    ...events.map((event) => ({ kind: 'event' as const, date: event.date, event })),
    ...audited.map((y) => ({ kind: 'audit' as const, date: y.to, program: y.program })),
  ].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1,
  );
  const story: DemoSummary['story'] = [];
  const steps = timeline.length + summary.vendors.length;
  progress({ phase: 'tiers', done: 0, total: steps });
  const storyIds = sequentialIds(`y${options.seed.toString(36)}`);
  for (const [i, step] of timeline.entries()) {
    if (step.kind === 'event') {
      const at = `${step.date}T12:00:00.000Z`;
      const result = await step.event.run(
        createContext(ctx.store, { clock: fixedClock(at), ids: storyIds }),
        {
          date: step.date,
          today,
          seed: options.seed,
        },
      );
      story.push({ date: step.date, name: step.event.name, result });
    } else {
      const result = await evaluateProgramTiers(
        ctx,
        { actor: { kind: 'system', id: 'demo' }, scope: SYSTEM_SCOPE },
        { program: step.program, asOf: step.date, audit: true },
      );
      tiers.push({ program: step.program, asOf: step.date, tiers: result.tiers });
    }
    progress({ phase: 'tiers', done: i + 1, total: steps });
  }
  for (const [i, v] of summary.vendors.entries()) {
    const result = await evaluateProgramTiers(
      ctx,
      { actor: { kind: 'system', id: 'demo' }, scope: SYSTEM_SCOPE },
      { program: v.programCode, asOf: today },
    );
    tiers.push({ program: v.programCode, asOf: today, tiers: result.tiers });
    progress({ phase: 'tiers', done: timeline.length + i + 1, total: steps });
  }
  // Orders of the periods still open now carry their real-time accruals, as ingested orders do (the bulk
  // load wrote none): the portal shows this quarter's earnings as they accrue.
  progress({ phase: 'accruals', done: 0, total: 1 });
  const openFrom: Record<string, string> = {};
  for (const vendorId of new Set(published.map((p) => p.vendorId))) {
    const from = openPeriodsFrom(
      published.filter((p) => p.vendorId === vendorId).map((p) => p.doc),
      today,
    );
    const days = ACCRUED_DAYS[options.scale];
    const recent = days === null ? null : addDays(today, 1 - days);
    if (from !== null) openFrom[vendorId] = recent !== null && recent > from ? recent : from;
  }
  const accruals = await accrueDemoOrders(ctx, { seed: options.seed, from: openFrom, now });
  progress({ phase: 'accruals', done: 1, total: 1 });
  // Who sold to whom and each account's coverage, from the orders just loaded (the bulk load wrote them
  // without the upkeep each ingested order gets).
  progress({ phase: 'coverage', done: 0, total: 1 });
  const coverage = await rebuildCoverage(
    createContext(ctx.store, {
      clock: fixedClock(now.toISOString()),
      ids: sequentialIds(`c${options.seed.toString(36)}`),
    }),
  );
  progress({ phase: 'coverage', done: 1, total: 1 });
  // The planner's statistics of the loaded tables, so that each role's list reads its scope's index.
  await refreshPlannerStatistics(ctx.store);
  // Deal registrations last, through the use cases, once the world is complete in this store (a
  // two-thread load has copied its sidecar files in by now).
  const deals = await loadDemoDeals(ctx, {
    seed: options.seed,
    scale: options.scale,
    now,
    onProgress: (done, total) => progress({ phase: 'deal registrations', done, total }),
  });
  // Direct orders of every kind, routed or booked direct by the rules of engagement, and offers answered.
  progress({ phase: 'direct orders', done: 0, total: 1 });
  const routing = await loadDemoRouting(ctx, { seed: options.seed, now });
  progress({ phase: 'direct orders', done: 1, total: 1 });
  // Other currencies: the vendors' daily rates (demo assumptions), EMEA partners' orders in euros and
  // pounds through the intake, and partners paid in their own currency (before the settlement pays them).
  progress({ phase: 'currencies', done: 0, total: 1 });
  const currencies = await loadDemoCurrencies(ctx, {
    seed: options.seed,
    now,
    perProgram: options.settledPeriods ?? SETTLED_PERIODS[options.scale],
    storyPeriods: options.storyPeriods ?? STORY_PERIODS[options.scale],
  });
  progress({ phase: 'currencies', done: 1, total: 1 });
  // The payout calendar up to now: the last periods whose close date has come closed, their statements
  // issued and paid on their dates, so nothing is overdue at now (SETTLED_PERIODS: how many per scale).
  const settlement = await settleDemoPeriods(ctx, {
    seed: options.seed,
    now,
    perProgram: options.settledPeriods ?? SETTLED_PERIODS[options.scale],
    storyPeriods: options.storyPeriods ?? STORY_PERIODS[options.scale],
    onProgress: (done, total) => progress({ phase: 'settlement', done, total }),
  });
  // Marketing funds last: activities in every state, their proof files, paid claims in the ledger.
  const mdf = await loadDemoMdf(ctx, {
    seed: options.seed,
    now,
    onProgress: (done, total) => progress({ phase: 'marketing funds', done, total }),
  });
  return {
    ...summary,
    tiers,
    deals,
    routing,
    story,
    accruals,
    currencies,
    settlement,
    mdf,
    coverage: { channelSales: coverage.channelSales, accounts: coverage.accounts },
    seconds: (performance.now() - started) / 1000,
  };
}

/** A merged program's legacy programs with their tiers floor first (ordered by the tier each maps to). */
function legacyProgramsOf(program: ProgramDefinition): LegacyProgramInput[] {
  const rank = (tier: string) => program.tiers.findIndex((t) => t.code === tier);
  return (program.statusMatch?.legacyPrograms ?? []).map((l) => ({
    program: l.program,
    tiers: Object.entries(l.tiers)
      .map(([legacyTier, tier], i) => ({ legacyTier, rank: rank(tier), i }))
      .sort((a, b) => a.rank - b.rank || b.i - a.i)
      .map((t) => t.legacyTier),
  }));
}

/** Every shipped yearly version of the demo's programs under programs/, parsed for its year. */
async function shippedProgramYears(): Promise<ProgramYearFile[]> {
  const names = (await readdir(PACKAGE_ROOT + 'programs')).filter((n) =>
    DEMO_PROGRAM_FILE_PATTERNS.some((p) => p.test(n)),
  );
  return Promise.all(
    names.sort().map(async (name) => {
      const file = `programs/${name}`;
      const text = await readFile(PACKAGE_ROOT + file, 'utf8');
      const parsed = parseProgramDocument(text, file);
      if (!parsed.ok) throw new Error(parsed.errors.map(formatProgramFileError).join('\n'));
      const doc = parsed.document;
      if (doc.kind !== 'Program') throw new Error(`${file} is not a program`);
      return {
        file,
        text,
        vendor: doc.vendor.slug,
        code: doc.code,
        version: doc.version,
        from: doc.effective.from,
        to: doc.effective.to,
        fiscalYearStart: `${String(doc.fiscalYearStart.month).padStart(2, '0')}-${String(doc.fiscalYearStart.day).padStart(2, '0')}`,
      };
    }),
  );
}

/** Where the sidecar files of a parallel load go (a name prefix), or null when it runs on one thread. */
function sidecarBaseFor(store: Store, lines: number, parallel: boolean | undefined): string | null {
  // Sidecar files are attached to a main-thread connection: `trellis demo load` and `--demo-if-empty`
  // load on one (a one-off offline load); over a worker-thread connection the load runs on one thread.
  const file = store.capabilities.sqliteThread === 'main' ? store.location : '';
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return null;
  if (parallel === false || (parallel === undefined && lines < PARALLEL_MIN_LINES)) return null;
  return `${file}.demo`;
}
