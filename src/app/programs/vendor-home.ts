import type { Scope } from '../../core/access/scope.js';
import { AWAITING_REVIEW } from '../../core/deals/lifecycle.js';
import { payoutDates, periodOf, programPeriods } from '../../core/ledger/periods.js';
import { addDays } from '../../core/programs/dates.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { Store } from '../../db/connection.js';
import { factCounters } from '../../db/repositories/fact-version-repository.js';
import { homeRepository } from '../../db/repositories/home-repository.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { AppContext } from '../context.js';
import { budgetPools } from '../incentives/budget-pools.js';
import { programInForce } from './program-in-force.js';

/** The queues list this many of their first items (the counts are exact). */
const FIRST = 5;
/** Tier moves counted over this many days back from the program's day. */
const MOVEMENT_DAYS = 90;

type Revenue = { currency: string; yearMinor: number; periodMinor: number }[];

/** Ranges of channel revenue kept per store (the oldest let go past this many). */
const MAX_REVENUES = 256;
const revenues = new WeakMap<Store, Map<string, { version: string; rows: Revenue }>>();

/**
 * Partner-channel revenue of the vendor between two days, as the caller sees it (`homeRepository`'s
 * `channelRevenue`: a year of a large vendor's order lines, 0.3 s on the medium demo). On SQLite the sum is
 * kept with the vendor's fact counters read before it (migration 0038: bumped in the same transaction by
 * every write to the vendor's orders and lines, and to partners, whose regions scope a channel manager):
 * while they are unchanged nothing it reads has changed, and the kept sum is the answer. A write moves
 * them, and the next home sums again. (PostgreSQL, whose fact changes are kept per transaction, sums each
 * time.)
 */
async function channelRevenue(
  ctx: AppContext,
  scope: Scope,
  vendorId: string,
  from: string,
  to: string,
  periodFrom: string | null,
): Promise<Revenue> {
  const home = homeRepository(ctx.store.db);
  if (ctx.store.capabilities.factVersions !== 'counters')
    return home.channelRevenue(scope, vendorId, from, to, periodFrom);
  const version = await factCounters(ctx.store.db, vendorId);
  const key = JSON.stringify([
    vendorId,
    scope.kind === 'vendor' ? scope.regions : scope.kind,
    from,
    to,
    periodFrom,
  ]);
  let kept = revenues.get(ctx.store);
  if (!kept) revenues.set(ctx.store, (kept = new Map()));
  const hit = kept.get(key);
  if (hit?.version === version) return hit.rows;
  const rows = await home.channelRevenue(scope, vendorId, from, to, periodFrom);
  kept.delete(key);
  if (kept.size >= MAX_REVENUES) kept.delete(kept.keys().next().value as string);
  kept.set(key, { version, rows });
  return rows;
}

/**
 * A vendor's home (GET /api/vendors/{id}/home): for each of its programs with a published year, the KPIs
 * of the year and the current period (revenue through the channel, rebates accrued and paid, budget pools
 * used, partners by tier and their moves over the last 90 days), then the work queues (registrations to
 * review by their SLA, open disputes, statements to issue, approve and pay, closes due on the calendar,
 * offers about to lapse). A channel manager limited to regions sees its regions' partners only (and no
 * budget pools: vendor-wide totals).
 */
export async function vendorHome(ctx: AppContext, scope: Scope, vendorId: string) {
  if (scope.kind === 'partner' || (scope.kind === 'vendor' && scope.vendorId !== vendorId))
    throw notFound('vendor', vendorId);
  const vendor = await ctx.repos.vendors.get(scope, vendorId);
  if (!vendor) throw notFound('vendor', vendorId);
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const home = homeRepository(ctx.store.db);
  const settlement = settlementRepository(ctx.store.db);
  // A vendor runs a handful of programs: the first 50 by name are its home's cards.
  const programs = (
    await ctx.repos.programs.list(scope, { vendorId }, { limit: 50, sort: 'name', direction: 'asc' })
  ).items;
  const regional = scope.kind === 'vendor' && scope.regions.length > 0;

  const cards = [];
  const closesDue: {
    programId: string;
    programCode: string;
    period: string;
    closeOn: string;
    payOn: string;
    overdue: boolean;
  }[] = [];
  for (const program of programs) {
    let pif: Awaited<ReturnType<typeof programInForce>>;
    try {
      pif = await programInForce(ctx, scope, program.id, undefined);
    } catch (err) {
      if (err instanceof TrellisError && err.code === 'invalid_input') continue;
      throw err;
    }
    const d = pif.definition;
    const periods = programPeriods(d);
    const current = periodOf(d, pif.asOf);
    const currentRange = periods.find((p) => p.code === current) ?? null;
    const yearFrom = d.effective.from;
    const yearTo = periods.at(-1)?.to ?? pif.asOf;
    const upTo = pif.asOf < yearTo ? pif.asOf : yearTo;
    const [revenue, rebates, periodRebates, tiers, moves, closed] = await Promise.all([
      // The year's and the current period's (within it) in one read.
      channelRevenue(ctx, scope, vendorId, yearFrom, upTo, currentRange?.from ?? null),
      home.rebates(
        scope,
        program.id,
        periods.map((p) => p.code),
      ),
      home.rebates(scope, program.id, current ? [current] : []),
      home.tierCounts(scope, program.id, pif.asOf),
      home.tierMoves(scope, program.id, addDays(pif.asOf, -MOVEMENT_DAYS), pif.asOf),
      settlement.closedPeriods(program.id),
    ]);
    const rank = new Map(d.tiers.map((t, i) => [t.code, i]));
    const names = new Map([...d.tiers, ...d.statuses].map((t) => [t.code, t.name]));
    let up = 0;
    let down = 0;
    for (const m of moves) {
      const a = rank.get(m.fromTier);
      const b = rank.get(m.toTier);
      if (a === undefined || b === undefined || a === b) continue;
      if (b > a) up += 1;
      else down += 1;
    }
    const pools = regional ? null : (await budgetPools(ctx, scope, program.id, pif.asOf)).pools;
    const closedSet = new Set(closed.map((c) => c.period));
    for (const p of periods) {
      if (closedSet.has(p.code) || p.to >= today) continue;
      const dates = payoutDates(d, p);
      closesDue.push({
        programId: program.id,
        programCode: program.code,
        period: p.code,
        closeOn: dates.closeOn,
        payOn: dates.payOn,
        overdue: dates.closeOn < today,
      });
    }
    cards.push({
      programId: program.id,
      code: program.code,
      name: program.name,
      currency: d.currency,
      asOf: pif.asOf,
      inForceToday: pif.asOf === today,
      year: { version: d.version, from: yearFrom, to: yearTo },
      currentPeriod: current,
      revenue: [...revenue]
        .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
        .map((r) => ({ currency: r.currency, yearMinor: r.yearMinor, periodMinor: r.periodMinor })),
      rebates: [...new Set([...rebates, ...periodRebates].map((r) => r.currency))].sort().map((currency) => {
        const y = rebates.find((r) => r.currency === currency);
        const p = periodRebates.find((r) => r.currency === currency);
        return {
          currency,
          yearAccruedMinor: y?.accruedMinor ?? 0,
          yearPaidMinor: y?.paidMinor ?? 0,
          periodAccruedMinor: p?.accruedMinor ?? 0,
        };
      }),
      budgetPools:
        pools?.map((p) => ({
          code: p.code,
          name: p.name,
          currency: p.currency,
          amountMinor: p.amountMinor,
          accruedMinor: p.accruedMinor,
          usedPpm: p.usedPpm,
          exhausted: p.exhausted,
        })) ?? null,
      tiers: [...d.tiers.map((t) => t.code), ...d.statuses.map((s) => s.code)].map((code) => ({
        code,
        name: names.get(code) ?? code,
        status: !rank.has(code),
        partners: tiers.find((x) => x.tierCode === code)?.partners ?? 0,
      })),
      movement: { days: MOVEMENT_DAYS, up, down },
    });
  }

  const soon = new Date(now.getTime() + 48 * 3600_000).toISOString();
  const [reviews, disputes, statements, offers] = await Promise.all([
    home.reviewQueue(scope, vendorId, now.toISOString(), AWAITING_REVIEW, FIRST),
    home.openDisputes(scope, vendorId, FIRST),
    home.statementQueue(scope, vendorId),
    home.openOffers(scope, vendorId, soon, FIRST),
  ]);
  const codeOf = new Map(programs.map((p) => [p.id, p.code]));
  return {
    vendorId: vendor.id,
    vendorName: vendor.name,
    today,
    regions: scope.kind === 'vendor' ? [...scope.regions] : [],
    programs: cards,
    queues: {
      registrations: reviews,
      disputes,
      statements: statements.map((s) => ({
        ...s,
        status: s.status as 'draft' | 'issued' | 'approved',
        programCode: codeOf.get(s.programId) ?? s.programId,
      })),
      closesDue: closesDue.sort((a, b) => a.closeOn.localeCompare(b.closeOn)),
      offers,
    },
  };
}
