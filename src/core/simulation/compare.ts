import type { PartnerComponentTotal, PeriodPlan, PeriodTotals } from '../incentives/plan.js';
import { multiplierPart } from '../incentives/batch.js';
import type { ColumnTotals } from '../incentives/period-columns.js';
import type { Period } from '../incentives/types.js';
import { divRoundHalfEven, PPM_ONE, type Ppm } from '../money/rate.js';

/**
 * Simulation (issue 14): what a draft program would have paid against what the baseline pays, computed
 * from the period plans (core/incentives/plan.ts) of both, run on the same facts with nothing held. Pure:
 * the caller loads the facts and runs the plans; this compares them.
 *
 * - Totals by component, period and budget pool (with the pool's budget and the period it runs out in).
 * - Per partner: baseline, draft and the difference, per component too; the partner's tier, zone,
 *   region and kind at its last period's end, for filters.
 * - Each component's share of the total, and the payout multipliers' share: of each amount earned at a
 *   multiplier m (ppm), `amount - amount / m` is what the multiplier added.
 */

/** What the comparison needs to know of a program (baseline or draft). */
export interface SimulatedProgram {
  /** Component code -> the budget pool it draws on (null: none). */
  readonly componentPools: Readonly<Record<string, string | null>>;
  /** The program's budget pools (amounts in minor units of the program's currency). */
  readonly pools: readonly { readonly code: string; readonly amountMinor: number }[];
}

/** A partner as the filters see it. */
export interface PartnerProfile {
  readonly partnerId: string;
  readonly tier: string | null;
  readonly zone: string | null;
  readonly region: string | null;
  readonly kind: string | null;
}

/**
 * What the comparison reads of a program's run on a period: the totals per partner and component, and what
 * the payout multipliers added (`multiplierOfPlan`, or `outcomeOfTotals` with no posting built).
 */
export interface PlanOutcome {
  readonly totals: readonly PartnerComponentTotal[];
  readonly multiplierMinor: number;
}

/**
 * One outcome from the outcomes of disjoint sets of partners (a simulation in shards of partners:
 * `shardOfPartner`): their totals together and the multipliers' parts summed. The comparison reads totals
 * in any order (it sorts what it shows), so the merged outcome compares as the one planned at once.
 */
export function mergeOutcomes(outcomes: readonly PlanOutcome[]): PlanOutcome {
  if (outcomes.length === 1) return outcomes[0] as PlanOutcome;
  const seen = new Set<string>();
  const totals: PartnerComponentTotal[] = [];
  let multiplierMinor = 0;
  for (const o of outcomes) {
    for (const t of o.totals) {
      const key = `${t.partnerId}\u0000${t.component}`;
      if (seen.has(key))
        throw new Error(
          `partner ${t.partnerId}'s ${t.component} is in two shards: shards must not share partners`,
        );
      seen.add(key);
      totals.push(t);
    }
    multiplierMinor += o.multiplierMinor;
  }
  return { totals, multiplierMinor };
}

/**
 * The first `limit` of disjoint shards' mismatches of a period, each shard's in partner and component order
 * (as `trueUps` finds them): the first `limit` one run over every partner finds.
 */
export function firstMismatches<M extends { partnerId: string; component: string }>(
  shards: readonly (readonly M[])[],
  limit: number,
): M[] {
  return shards
    .flat()
    .sort((a, b) => byString(a.partnerId, b.partnerId) || byString(a.component, b.component))
    .slice(0, Math.max(0, limit));
}

export interface SimulatedPeriod {
  readonly period: Period;
  /** A period plan planned with nothing held, or its outcome. */
  readonly baseline: PeriodPlan | PlanOutcome;
  readonly draft: PeriodPlan | PlanOutcome;
}

export interface ComparisonInput {
  readonly baseline: SimulatedProgram;
  readonly draft: SimulatedProgram;
  /** In date order. */
  readonly periods: readonly SimulatedPeriod[];
  /** Partner profiles (a partner without one is shown with nulls). */
  readonly profiles: readonly PartnerProfile[];
}

export interface Versus {
  baselineMinor: number;
  draftMinor: number;
  differenceMinor: number;
}

export interface ComponentComparison extends Versus {
  component: string;
  /** Share of the total, ppm (0 when the total is 0). */
  baselineShare: Ppm;
  draftShare: Ppm;
}

export interface PeriodComparison extends Versus {
  period: string;
  from: string;
  to: string;
  components: (Versus & { component: string })[];
}

export interface PoolComparison extends Versus {
  pool: string;
  /** The pool's budget (null when the program names the pool without a budget). */
  baselineBudgetMinor: number | null;
  draftBudgetMinor: number | null;
  /** The first period whose running total passes the budget (null: it suffices). */
  baselineRunsOutIn: string | null;
  draftRunsOutIn: string | null;
}

export interface PartnerComparison extends PartnerProfile, Versus {
  components: Record<string, Versus>;
}

export interface DistributionBucket {
  /** Inclusive lower and exclusive upper bound of the difference (minor units; null = unbounded). */
  fromMinor: number | null;
  toMinor: number | null;
  partners: number;
}

export interface SimulationComparison {
  totals: Versus & { partners: number; winners: number; losers: number; unchanged: number };
  components: ComponentComparison[];
  periods: PeriodComparison[];
  pools: PoolComparison[];
  /** What the payout multipliers (e.g. exclusivity) added, and their share of the total (ppm). */
  multiplier: Versus & { baselineShare: Ppm; draftShare: Ppm };
  /** Partners by partner id. */
  partners: PartnerComparison[];
  /** Partners by difference (gains and losses), in fixed decades of the currency's minor units. */
  distribution: DistributionBucket[];
}

const versus = (baselineMinor: number, draftMinor: number): Versus => ({
  baselineMinor,
  draftMinor,
  differenceMinor: draftMinor - baselineMinor,
});

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Share of `part` in `whole`, ppm. */
export function shareOf(part: number, whole: number): Ppm {
  return whole === 0 ? 0 : divRoundHalfEven(part * PPM_ONE, whole);
}

/** What the payout multipliers added to an amount earned at multiplier `m` (ppm). */
export { multiplierPart };

/** The multipliers' part of a plan planned with nothing held (its postings are what each line earns). */
export function multiplierOfPlan(plan: PeriodPlan): number {
  let sum = 0;
  for (const p of plan.postings)
    if (p.application.multipliers.length > 0) sum += multiplierPart(p.amountMinor, p.application.multiplier);
  for (const c of plan.closeItems) sum += multiplierPart(c.amountMinor, c.multiplier);
  return sum;
}

/**
 * The outcome of a plan's totals (`planTotals` of `lines` with `multipliers`), equal to the totals of
 * `planPeriod` with nothing held and to its `multiplierOfPlan`, without building its postings and close
 * items: with nothing held, a line's posting for a component is what it earns, at the payout multiplier the
 * batch reports for it, and a partner's close items for a component are its proposals unless they add up
 * to nothing.
 */
export function outcomeOfTotals(earned: PeriodTotals): PlanOutcome {
  const { amounts, multipliers } = earned.accruals;
  if (!multipliers) throw new Error('outcomeOfTotals needs planTotals run with { multipliers: true }');
  let sum = 0;
  // Cell by cell (a line's component): amounts[i * width + c] and multipliers[i * width + c].
  for (let cell = 0; cell < amounts.length; cell++) {
    const amount = amounts[cell] as number;
    const m = multipliers[cell] as number;
    if (amount !== 0 && m !== 0) sum += multiplierPart(amount, m);
  }
  return { totals: earned.totals, multiplierMinor: sum + closeMultiplierPart(earned) };
}

/**
 * The outcome of `planTotalsOfColumns` (the simulation's plan over columns): the same as `outcomeOfTotals`
 * of `planTotals` on the same lines, the lines' multipliers' part summed as the accruals were.
 */
export function outcomeOfColumnTotals(earned: ColumnTotals): PlanOutcome {
  return {
    totals: earned.totals,
    multiplierMinor: earned.lineMultiplierMinor + closeMultiplierPart(earned),
  };
}

/** The multipliers' part of the close items: a partner's proposals for a component, unless they add up to nothing. */
function closeMultiplierPart(earned: Pick<PeriodTotals, 'proposals'>): number {
  // By partner, then component (a partner's proposals follow one another: its map is looked up once).
  const ofPartner = new Map<string, Map<string, { sum: number; multiplied: number }>>();
  let partnerId: string | null = null;
  let proposalsOf = new Map<string, { sum: number; multiplied: number }>();
  for (const p of earned.proposals) {
    if (p.partnerId !== partnerId) {
      partnerId = p.partnerId;
      const known = ofPartner.get(partnerId);
      if (known) proposalsOf = known;
      else ofPartner.set(partnerId, (proposalsOf = new Map()));
    }
    let s = proposalsOf.get(p.component);
    if (!s) proposalsOf.set(p.component, (s = { sum: 0, multiplied: 0 }));
    s.sum += p.amountMinor;
    s.multiplied += multiplierPart(p.amountMinor, p.multiplier);
  }
  let sum = 0;
  for (const of of ofPartner.values()) for (const s of of.values()) if (s.sum !== 0) sum += s.multiplied;
  return sum;
}

const outcomeOf = (plan: PeriodPlan | PlanOutcome): PlanOutcome =>
  'multiplierMinor' in plan ? plan : { totals: plan.totals, multiplierMinor: multiplierOfPlan(plan) };

/** Difference bucket edges (minor units): 0, then decades from 1 000 (10.00 in a 2-digit currency). */
const EDGES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

export function distributionOf(differences: readonly number[]): DistributionBucket[] {
  const buckets: DistributionBucket[] = [];
  const neg = [...EDGES].reverse().map((e) => -e);
  buckets.push({ fromMinor: null, toMinor: neg[0] as number, partners: 0 });
  for (let i = 0; i < neg.length - 1; i++)
    buckets.push({ fromMinor: neg[i] as number, toMinor: neg[i + 1] as number, partners: 0 });
  buckets.push({ fromMinor: neg[neg.length - 1] as number, toMinor: 0, partners: 0 });
  buckets.push({ fromMinor: 0, toMinor: 1, partners: 0 });
  buckets.push({ fromMinor: 1, toMinor: EDGES[0] as number, partners: 0 });
  for (let i = 0; i < EDGES.length - 1; i++)
    buckets.push({ fromMinor: EDGES[i] as number, toMinor: EDGES[i + 1] as number, partners: 0 });
  buckets.push({ fromMinor: EDGES[EDGES.length - 1] as number, toMinor: null, partners: 0 });
  for (const d of differences) {
    const b = buckets.find(
      (x) => (x.fromMinor === null || d >= x.fromMinor) && (x.toMinor === null || d < x.toMinor),
    ) as DistributionBucket;
    b.partners++;
  }
  return buckets;
}

/** The comparison: see the module comment. */
export function comparePlans(input: ComparisonInput): SimulationComparison {
  const c = startComparison(input.baseline, input.draft);
  for (const sp of input.periods) c.add(sp);
  return c.finish(input.profiles);
}

/** A comparison built period by period (in date order): each period's plans can be dropped once added. */
export interface ComparisonBuilder {
  add(period: SimulatedPeriod): void;
  finish(profiles: readonly PartnerProfile[]): SimulationComparison;
}

export function startComparison(
  baselineProgram: SimulatedProgram,
  draftProgram: SimulatedProgram,
): ComparisonBuilder {
  const input = { baseline: baselineProgram, draft: draftProgram };
  const componentTotals = new Map<string, [number, number]>();
  const partnerTotals = new Map<string, Map<string, [number, number]>>();
  const periods: PeriodComparison[] = [];
  const poolRunning = new Map<string, [number, number]>();
  const runsOut = new Map<string, [string | null, string | null]>();
  const budgets = new Map<string, [number | null, number | null]>();
  for (const p of input.baseline.pools) budgets.set(p.code, [p.amountMinor, null]);
  for (const p of input.draft.pools) {
    const b = budgets.get(p.code);
    budgets.set(p.code, [b?.[0] ?? null, p.amountMinor]);
  }
  let multiplierBaseline = 0;
  let multiplierDraft = 0;

  const add = (sp: SimulatedPeriod) => {
    const inPeriod = new Map<string, [number, number]>();
    const poolsInPeriod = new Map<string, [number, number]>();
    const baseline = outcomeOf(sp.baseline);
    const draft = outcomeOf(sp.draft);
    const add = (m: Map<string, [number, number]>, key: string, s: 0 | 1, amount: number) => {
      let v = m.get(key);
      if (!v) m.set(key, (v = [0, 0]));
      v[s] += amount;
    };
    const side = (plan: PlanOutcome, s: 0 | 1, program: SimulatedProgram) => {
      let ofPartner: Map<string, [number, number]> | undefined;
      let partnerId: string | null = null;
      for (const t of plan.totals) {
        add(componentTotals, t.component, s, t.totalMinor);
        add(inPeriod, t.component, s, t.totalMinor);
        // A partner's totals follow one another (partnerComponentTotals): its map is looked up once for them.
        if (t.partnerId !== partnerId || !ofPartner) {
          partnerId = t.partnerId;
          ofPartner = partnerTotals.get(partnerId);
          if (!ofPartner) partnerTotals.set(partnerId, (ofPartner = new Map()));
        }
        add(ofPartner, t.component, s, t.totalMinor);
        const pool = program.componentPools[t.component] ?? null;
        if (pool !== null) add(poolsInPeriod, pool, s, t.totalMinor);
      }
    };
    side(baseline, 0, input.baseline);
    side(draft, 1, input.draft);
    multiplierBaseline += baseline.multiplierMinor;
    multiplierDraft += draft.multiplierMinor;
    for (const [pool, [b, d]] of poolsInPeriod) {
      const run = poolRunning.get(pool) ?? [0, 0];
      run[0] += b;
      run[1] += d;
      poolRunning.set(pool, run);
      const out = runsOut.get(pool) ?? [null, null];
      const [bb, db] = budgets.get(pool) ?? [null, null];
      if (out[0] === null && bb !== null && run[0] > bb) out[0] = sp.period.code;
      if (out[1] === null && db !== null && run[1] > db) out[1] = sp.period.code;
      runsOut.set(pool, out);
    }
    const components = [...inPeriod]
      .sort(([a], [b]) => byString(a, b))
      .map(([component, [b, d]]) => ({ component, ...versus(b, d) }));
    periods.push({
      period: sp.period.code,
      from: sp.period.from,
      to: sp.period.to,
      ...versus(
        components.reduce((s, c) => s + c.baselineMinor, 0),
        components.reduce((s, c) => s + c.draftMinor, 0),
      ),
      components,
    });
  };

  const finish = (profileList: readonly PartnerProfile[]): SimulationComparison => {
    const totalBaseline = periods.reduce((s, p) => s + p.baselineMinor, 0);
    const totalDraft = periods.reduce((s, p) => s + p.draftMinor, 0);
    const components = [...componentTotals]
      .sort(([a], [b]) => byString(a, b))
      .map(([component, [b, d]]) => ({
        component,
        ...versus(b, d),
        baselineShare: shareOf(b, totalBaseline),
        draftShare: shareOf(d, totalDraft),
      }));
    const pools = [...new Set([...budgets.keys(), ...poolRunning.keys()])].sort(byString).map((pool) => {
      const [b, d] = poolRunning.get(pool) ?? [0, 0];
      const [bb, db] = budgets.get(pool) ?? [null, null];
      const [bo, dout] = runsOut.get(pool) ?? [null, null];
      return {
        pool,
        ...versus(b, d),
        baselineBudgetMinor: bb,
        draftBudgetMinor: db,
        baselineRunsOutIn: bo,
        draftRunsOutIn: dout,
      };
    });
    const profiles = new Map(profileList.map((p) => [p.partnerId, p]));
    const partners: PartnerComparison[] = [...partnerTotals]
      .sort(([a], [b]) => byString(a, b))
      .map(([partnerId, byComponent]) => {
        const p = profiles.get(partnerId);
        let b = 0;
        let d = 0;
        const comps: Record<string, Versus> = {};
        for (const [c, [cb, cd]] of [...byComponent].sort(([x], [y]) => byString(x, y))) {
          b += cb;
          d += cd;
          comps[c] = versus(cb, cd);
        }
        return {
          partnerId,
          tier: p?.tier ?? null,
          zone: p?.zone ?? null,
          region: p?.region ?? null,
          kind: p?.kind ?? null,
          ...versus(b, d),
          components: comps,
        };
      });
    return {
      totals: {
        ...versus(totalBaseline, totalDraft),
        partners: partners.length,
        winners: partners.filter((p) => p.differenceMinor > 0).length,
        losers: partners.filter((p) => p.differenceMinor < 0).length,
        unchanged: partners.filter((p) => p.differenceMinor === 0).length,
      },
      components,
      periods,
      pools,
      multiplier: {
        ...versus(multiplierBaseline, multiplierDraft),
        baselineShare: shareOf(multiplierBaseline, totalBaseline),
        draftShare: shareOf(multiplierDraft, totalDraft),
      },
      partners,
      distribution: distributionOf(partners.map((p) => p.differenceMinor)),
    };
  };
  return { add, finish };
}

export const PARTNER_SORTS = [
  'difference',
  '-difference',
  'baseline',
  '-baseline',
  'draft',
  '-draft',
  'partner',
] as const;
export type PartnerSort = (typeof PARTNER_SORTS)[number];

export interface PartnerFilter {
  /** winners: the draft pays more; losers: less; unchanged: the same. */
  readonly change?: 'winners' | 'losers' | 'unchanged' | undefined;
  readonly tier?: string | undefined;
  readonly zone?: string | undefined;
  readonly region?: string | undefined;
  readonly kind?: string | undefined;
  readonly partnerId?: string | undefined;
}

/** The partners a filter keeps, in the order asked (ties by partner id). Does not change its input. */
export function selectPartners<P extends PartnerComparison>(
  partners: readonly P[],
  filter: PartnerFilter = {},
  sort: PartnerSort = '-difference',
): P[] {
  const kept = partners.filter(
    (p) =>
      (filter.change === undefined ||
        (filter.change === 'winners'
          ? p.differenceMinor > 0
          : filter.change === 'losers'
            ? p.differenceMinor < 0
            : p.differenceMinor === 0)) &&
      (filter.tier === undefined || p.tier === filter.tier) &&
      (filter.zone === undefined || p.zone === filter.zone) &&
      (filter.region === undefined || p.region === filter.region) &&
      (filter.kind === undefined || p.kind === filter.kind) &&
      (filter.partnerId === undefined || p.partnerId === filter.partnerId),
  );
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const value = (p: P): number =>
    field === 'difference' ? p.differenceMinor : field === 'baseline' ? p.baselineMinor : p.draftMinor;
  return kept.sort((a, b) => {
    if (field !== 'partner') {
      const d = desc ? value(b) - value(a) : value(a) - value(b);
      if (d !== 0) return d;
    }
    return byString(a.partnerId, b.partnerId);
  });
}
