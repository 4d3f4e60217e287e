import type { Ppm } from '../money/rate.js';
import { applyRate, multiplyFactors, PPM_ONE } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { ConditionFacts } from '../programs/conditions.js';
import type { GrowthComparison, ProgramDefinition } from '../programs/types.js';
import { TrellisError } from '../shared/errors.js';
import type { CompiledComponent, CompiledProgram } from './compile.js';
import {
  compileProgram,
  conditionFacts,
  dayNumber,
  evaluateLine,
  FAMILY_COUNT,
  multiplierFor,
} from './compile.js';
import { roundPpm } from './batch.js';
import { growsAbove } from './close.js';
import { computePeriod } from './period.js';
import type {
  AccrualColumns,
  CompiledComponentInfo,
  ComponentTotal,
  FamilyRevenue,
  IncentiveLine,
  IncentiveVersionInfo,
  LineContext,
  LineFacts,
  PartnerPeriodFacts,
  Period,
} from './types.js';

/**
 * The period close over columns: the same per partner x component totals as `computePeriod` (per-line
 * accruals + `settlePeriod`), to the cent, without one object per line. One pass over the lines does
 * everything line-based:
 *
 * - accrual components: one table lookup and one half-even rounding per line and component (as
 *   `prepareBatch`);
 * - line-based close components: the line amount is added to its (partner, component, tier, rate,
 *   multiplier) group, rounded once per group after the pass (as `settlePeriod`);
 * - cross-sell: net amount per family of each (partner, customer) run, judged when the run ends;
 * - growth: revenue per partner on the component's families;
 * - minimums of accrual components: the base they accrued on.
 *
 * Then, per partner, what `settlePeriod` does per partner: rounding of the close groups, close-only
 * components with the partner's period multiplier, minimums, caps.
 *
 * Cross-sell reads the lines of one (partner, customer) together: lines clustered by partner then
 * customer (any order of customers, e.g. sorted) are read in the one pass; otherwise the lines are
 * sorted by (partner, customer) first (same result, slower). Lines carry no clawback limits here: a
 * return with limits goes through `accrueLine`. Programs whose conditions read line.amount,
 * line.quantity or order.total (`fast` false) are computed through `computePeriod` on objects built
 * from the columns (same result, slower).
 */

/** The columns of the period's lines. Lines outside the period are skipped. */
export interface CloseColumns extends AccrualColumns {
  /** Row of the partner in the result (0 .. partners.count - 1). */
  readonly partnerIndex: Uint32Array | Uint16Array;
  /** Order date as days since 1970-01-01 (`dayNumber`). */
  readonly orderDay: Int32Array;
  /** Customer of the line (any numbering shared across partners); cross-sell groups by it. */
  readonly customerIndex: Uint32Array;
}

/** Comparison revenue for growth, one row of `FAMILY_COUNT` minor units per partner. */
export interface ComparisonColumns {
  /** `revenue[partner * FAMILY_COUNT + family]`, families in `PRODUCT_FAMILIES` order; absent = 0. */
  readonly revenue: Float64Array;
  /** 1 = the partner has this comparison; 0 = none (no growth proposal). */
  readonly present: Uint8Array;
}

/** What `PartnerPeriodFacts` says, per partner row. */
export interface ColumnarPartners {
  readonly count: number;
  /** Facts at the close; a missing entry = the facts of the partner's last line (as `settlePeriod`). */
  readonly facts?: readonly (LineFacts | null | undefined)[];
  readonly comparison?: Readonly<Partial<Record<GrowthComparison, ComparisonColumns>>>;
  /** What the ledger accrued, `accruedMinor[partner * width + component]`; NaN = not given. */
  readonly accruedMinor?: Float64Array;
}

/** Totals per partner and component: `x[partner * width + component]` (minor units). */
export interface ColumnarPeriodTotals {
  readonly width: number;
  readonly partnerCount: number;
  /** Sum of the per-line accruals (what `accrueLine` proposes) of the period's lines. */
  readonly accruedMinor: Float64Array;
  /** Sum of the close proposals (`settlePeriod`). */
  readonly closeMinor: Float64Array;
  readonly totalMinor: Float64Array;
  /** Lines of the columns inside the period. */
  readonly lines: number;
}

export interface ColumnarClose {
  /** The columns of a totals row, in stacking order (`IncentiveEngine.components`). */
  readonly components: readonly CompiledComponentInfo[];
  readonly tiers: readonly string[];
  readonly families: readonly ProductFamily[];
  /** False when conditions read per-line amounts: the close then goes through `computePeriod`. */
  readonly fast: boolean;
  computePeriod(period: Period, columns: CloseColumns, partners: ColumnarPartners): ColumnarPeriodTotals;
}

/** A local copy: imported bindings can cost a getter call per read in hot loops (tsx, vitest). */
const FAMILIES = FAMILY_COUNT;

interface CrossSellMeta {
  readonly c: CompiledComponent;
  readonly points: Ppm;
  readonly minFamilies: number;
  /** Family bit masks of the combinations; empty = none required. */
  readonly combos: readonly number[];
  /** Families whose net counts in the base. */
  readonly families: number;
}

interface GrowthMeta {
  readonly c: CompiledComponent;
  readonly families: number;
  readonly comparedWith: GrowthComparison;
  readonly base: 'period-revenue' | 'incremental-revenue';
  readonly thresholds: readonly { readonly above: Ppm; readonly points: Ppm }[];
}

/** A group of lines rounded together at close, or (minimum) the base of an accrual component. */
interface GroupMeta {
  readonly component: number;
  /** 0 = a close group (rounded with `effectiveRate`), 1 = accrual base for the minimum. */
  readonly role: 0 | 1;
  readonly effectiveRate: Ppm;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * Adds the qualifying net of one (partner, customer) run to the partner's cross-sell bases and resets
 * `net`. `touched` has a bit per family the run's lines were in: only those can have a net, so a run
 * with fewer touched families than a component needs (most runs: one or two lines) is rejected at once.
 */
function flushRun(
  net: Float64Array,
  meta: readonly CrossSellMeta[],
  xsBase: Float64Array,
  partner: number,
  touched: number,
): void {
  const X = meta.length;
  const spread = popcount(touched);
  for (let j = 0; j < X; j++) {
    const m = meta[j] as CrossSellMeta;
    const o = j * FAMILIES;
    if (spread >= m.minFamilies) {
      let bought = 0;
      for (let t = touched; t !== 0; t &= t - 1) {
        const f = 31 - Math.clz32(t & -t);
        if ((net[o + f] as number) > 0) bought |= 1 << f;
      }
      let ok = popcount(bought) >= m.minFamilies;
      if (ok && m.combos.length > 0) {
        ok = false;
        for (const combo of m.combos) if ((combo & bought) === combo) ok = true;
      }
      if (ok) {
        let base = 0;
        for (let t = touched & m.families; t !== 0; t &= t - 1)
          base += net[o + 31 - Math.clz32(t & -t)] as number;
        xsBase[partner * X + j] = (xsBase[partner * X + j] as number) + base;
      }
    }
    for (let t = touched; t !== 0; t &= t - 1) net[o + 31 - Math.clz32(t & -t)] = 0;
  }
}

/** What the per-partner step does for one component. */
type ComponentPlan = { readonly minimum: number | null; readonly cap: number | null } & (
  | { readonly kind: 'accrual'; readonly baseGroup: number }
  | { readonly kind: 'line'; readonly groups: readonly number[] }
  | { readonly kind: 'cross-sell' | 'growth'; readonly closeOnly: number; readonly index: number }
);

/** The highest threshold that growth passes strictly (`growsAbove`, the close's own test). */
function growthPassed(
  m: GrowthMeta,
  revenue: number,
  prior: number,
): GrowthMeta['thresholds'][number] | null {
  let passed: GrowthMeta['thresholds'][number] | null = null;
  for (const t of m.thresholds)
    if (growsAbove(revenue, prior, t.above) && (passed === null || t.above > passed.above)) passed = t;
  return passed;
}

export function compileColumnarClose(
  program: ProgramDefinition,
  contexts: readonly LineContext[],
  versionInfo: IncentiveVersionInfo = { version: null },
): ColumnarClose {
  const p = compileProgram(program, versionInfo);
  const closeOnly = p.components.filter((c) => c.lineKind === null);
  const dynamic =
    p.dynamic ||
    p.components.some((c) => c.dynamic) ||
    p.multipliers.some((m) => m.dynamic) ||
    closeOnly.length > 31;
  const base = {
    components: p.components.map((c) => c.info),
    tiers: p.tiers,
    families: PRODUCT_FAMILIES,
  };
  if (dynamic) {
    return {
      ...base,
      fast: false,
      computePeriod: (period, columns, partners) => viaObjects(p, contexts, period, columns, partners),
    };
  }
  return { ...base, fast: true, ...fastClose(p, contexts, closeOnly) };
}

function fastClose(
  p: CompiledProgram,
  contexts: readonly LineContext[],
  closeOnly: readonly CompiledComponent[],
): Pick<ColumnarClose, 'computePeriod'> {
  const ctxs = contexts.length === 0 ? [{}] : contexts;
  const W = p.components.length;
  const T = p.tiers.length;
  const C = ctxs.length;
  const F = FAMILIES;

  const crossSell: CrossSellMeta[] = [];
  const growth: GrowthMeta[] = [];
  for (const c of closeOnly) {
    const src = c.source;
    if (src.kind === 'cross-sell') {
      crossSell.push({
        c,
        points: src.points,
        minFamilies: src.minFamilies,
        combos: src.combinations.map((combo) =>
          combo.reduce((mask, f) => mask | (1 << PRODUCT_FAMILIES.indexOf(f)), 0),
        ),
        families: c.families,
      });
    } else if (src.kind === 'growth-accelerator') {
      growth.push({
        c,
        families: c.families,
        comparedWith: src.comparedWith,
        base: src.base,
        thresholds: src.thresholds,
      });
    }
  }
  const X = crossSell.length;
  const Y = growth.length;
  /** The fewest families any cross-sell component needs (a run below it cannot qualify). */
  const minFamilies = crossSell.reduce((m, c) => Math.min(m, c.minFamilies), Infinity);

  // Effective-date segments: the days where any component or multiplier starts or ends.
  const cuts = new Set<number>();
  for (const c of p.components) {
    cuts.add(c.fromDay);
    if (c.toDay !== Infinity) cuts.add(c.toDay + 1);
  }
  for (const m of p.multipliers) {
    cuts.add(m.fromDay);
    if (m.toDay !== Infinity) cuts.add(m.toDay + 1);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const S = bounds.length + 1;
  const segmentDay = (s: number): number => (s === 0 ? (bounds[0] ?? 1) - 1 : (bounds[s - 1] ?? 0));
  const segmentOf = (day: number): number => {
    let s = 0;
    while (s < bounds.length && (bounds[s] as number) <= day) s++;
    return s;
  };

  // Groups: close line-based (component, tier, rate, multiplier, codes) as settlePeriod keys them, and
  // the base of each accrual component that has a minimum.
  const groups: GroupMeta[] = [];
  const groupIds = new Map<string, number>();
  const baseGroup = new Int32Array(W).fill(-1);
  for (const c of p.components) {
    if (c.info.settlement === 'accrual' && c.minimumMinor !== null) {
      baseGroup[c.info.index] = groups.length;
      groups.push({ component: c.info.index, role: 1, effectiveRate: 0 });
    }
  }

  // key = ((((s * C + ctx) * F + family) * T + tier) * 2 + nb) * 2 + ex
  const keys = S * C * F * T * 4;
  const accStart = new Int32Array(keys + 1);
  const grpStart = new Int32Array(keys + 1);
  const counted = new Int32Array(keys);
  const accComp: number[] = [];
  const accRate: number[] = [];
  const grpId: number[] = [];
  let key = 0;
  for (let s = 0; s < S; s++) {
    const day = segmentDay(s);
    for (let ctx = 0; ctx < C; ctx++) {
      for (let f = 0; f < F; f++) {
        for (let t = 0; t < T; t++) {
          for (let nb = 0; nb < 2; nb++) {
            for (let ex = 0; ex < 2; ex++) {
              accStart[key] = accComp.length;
              grpStart[key] = grpId.length;
              const facts: LineFacts = {
                ...(ctxs[ctx] ?? {}),
                tier: p.tiers[t] ?? '',
                newBusiness: nb === 1,
                exclusive: ex === 1,
              };
              const cf = conditionFacts(p.currency, facts, { family: PRODUCT_FAMILIES[f] ?? null });
              for (const a of evaluateLine(p, day, f, t, facts, cf)) {
                const c = a.component;
                if (c.info.settlement === 'accrual') {
                  accComp.push(c.info.index);
                  accRate.push(a.effectiveRate);
                  const b = baseGroup[c.info.index] as number;
                  if (b >= 0) grpId.push(b);
                  continue;
                }
                const gk = `${c.info.index}|${t}|${a.rate}|${a.multiplier.multiplier}|${a.multiplier.codes.join(',')}`;
                let g = groupIds.get(gk);
                if (g === undefined) {
                  groupIds.set(gk, (g = groups.length));
                  groups.push({ component: c.info.index, role: 0, effectiveRate: a.effectiveRate });
                }
                grpId.push(g);
              }
              let mask = 0;
              crossSell.forEach((m, j) => {
                if (day >= m.c.fromDay && day <= m.c.toDay && m.c.condition(cf)) mask |= 1 << j;
              });
              growth.forEach((m, j) => {
                if ((m.families & (1 << f)) === 0) return;
                if (day >= m.c.fromDay && day <= m.c.toDay && m.c.condition(cf)) mask |= 1 << (X + j);
              });
              counted[key] = mask;
              key++;
            }
          }
        }
      }
    }
  }
  accStart[keys] = accComp.length;
  grpStart[keys] = grpId.length;
  // Fixed-width slots per key (padding adds 0: component 0 at rate 0, group 0 with weight 0), so that
  // the per-line loops have the same trip count on every line: no mispredicted loop exits.
  let A = 0;
  let GA = 0;
  for (let k = 0; k < keys; k++) {
    A = Math.max(A, (accStart[k + 1] as number) - (accStart[k] as number));
    GA = Math.max(GA, (grpStart[k + 1] as number) - (grpStart[k] as number));
  }
  const slotComp = new Int32Array(keys * A);
  const slotRate = new Float64Array(keys * A);
  const slotGroup = new Int32Array(keys * GA);
  const slotWeight = new Float64Array(keys * GA);
  for (let k = 0; k < keys; k++) {
    for (let e = accStart[k] as number, o = k * A; e < (accStart[k + 1] as number); e++, o++) {
      slotComp[o] = accComp[e] as number;
      slotRate[o] = accRate[e] as number;
    }
    for (let e = grpStart[k] as number, o = k * GA; e < (grpStart[k + 1] as number); e++, o++) {
      slotGroup[o] = grpId[e] as number;
      slotWeight[o] = 1;
    }
  }
  const G = groups.length;
  const groupsOf: number[][] = p.components.map(() => []);
  groups.forEach((g, i) => {
    if (g.role === 0) groupsOf[g.component]?.push(i);
  });
  const plan: ComponentPlan[] = p.components.map((c) => {
    const common = { minimum: c.minimumMinor, cap: c.capMinor };
    if (c.info.settlement === 'accrual') {
      return { ...common, kind: 'accrual', baseGroup: baseGroup[c.info.index] as number };
    }
    if (c.lineKind !== null) return { ...common, kind: 'line', groups: groupsOf[c.info.index] ?? [] };
    const xs = crossSell.findIndex((m) => m.c === c);
    return {
      ...common,
      kind: xs >= 0 ? 'cross-sell' : 'growth',
      closeOnly: closeOnly.indexOf(c),
      index: xs >= 0 ? xs : growth.findIndex((m) => m.c === c),
    };
  });
  const withPeriodMultiplier = closeOnly.some((c) => c.multiplierIdx.length > 0);

  /** Per close-only component (closeOnly order), the multiplier read on the partner's period facts. */
  const periodMultipliers = (facts: LineFacts | null, closeDay: number): Ppm[] => {
    if (facts === null) return closeOnly.map(() => PPM_ONE);
    const pcf: ConditionFacts = conditionFacts(p.currency, facts, {});
    return closeOnly.map((c) => multiplierFor(p, c, closeDay, pcf).multiplier);
  };

  return {
    computePeriod(period, cols, partners) {
      const P = partners.count;
      const fromDay = dayNumber(period.from);
      const toDay = dayNumber(period.to);
      const closeDay = toDay;
      const n = cols.length;
      const amounts = cols.amountMinor;
      const fam = cols.familyIndex;
      const tiers = cols.tierIndex;
      const nbs = cols.newBusiness;
      const exs = cols.exclusive;
      const ctxIdx = cols.contextIndex;
      const pIdx = cols.partnerIndex;
      const days = cols.orderDay;
      const custs = cols.customerIndex;

      // Key strides, and the segment's part of the key per day of the period (one add per line).
      const ctxStride = F * T * 4;
      const famStride = T * 4;
      const dayKey = new Int32Array(Math.max(toDay - fromDay + 1, 0));
      for (let d = fromDay; d <= toDay; d++) dayKey[d - fromDay] = segmentOf(d) * C * ctxStride;

      const accrued = new Float64Array(P * W);
      const gBase = new Float64Array(P * G);
      const xsBase = new Float64Array(P * X);
      const grRevenue = new Float64Array(P * Y);
      const lastLine = new Int32Array(P).fill(-1);
      const lastDay = new Int32Array(P).fill(-2147483648);
      const net = new Float64Array(X * F);
      // The last line of each partner is only read for period multipliers of partners without facts.
      let trackLast = false;
      if (withPeriodMultiplier) {
        for (let pt = 0; pt < P && !trackLast; pt++) trackLast = partners.facts?.[pt] == null;
      }
      let runPartner = -1;
      let runCustomer = -1;
      let clustered = true;
      let touched = 0; // families with counted lines in the current (partner, customer) run
      let read = 0;
      for (let i = 0; i < n; i++) {
        const day = days[i] as number;
        if (day < fromDay || day > toDay) continue;
        read++;
        const partner = pIdx[i] as number;
        if (partner >= P)
          throw new TrellisError('invalid_input', `line ${i}: partner row ${partner} >= ${P}`);
        if (trackLast && day >= (lastDay[partner] as number)) {
          lastDay[partner] = day;
          lastLine[partner] = i;
        }
        if (X > 0) {
          const customer = custs[i] as number;
          if (customer !== runCustomer || partner !== runPartner) {
            if ((touched & (touched - 1)) !== 0 || (touched !== 0 && minFamilies < 2)) {
              flushRun(net, crossSell, xsBase, runPartner, touched);
            } else if (touched !== 0) {
              // One family only (most runs): no component can qualify; reset its net.
              const f = 31 - Math.clz32(touched);
              for (let j = 0; j < X; j++) net[j * F + f] = 0;
            }
            touched = 0;
            if (partner < runPartner || (partner === runPartner && customer < runCustomer)) clustered = false;
            runPartner = partner;
            runCustomer = customer;
          }
        }
        const amount = amounts[i] as number;
        if (amount === 0) continue;
        const f = fam[i] as number;
        const ctx = ctxIdx === undefined ? 0 : (ctxIdx[i] as number);
        const k =
          (dayKey[day - fromDay] as number) +
          ctx * ctxStride +
          f * famStride +
          (tiers[i] as number) * 4 +
          (nbs[i] as number) * 2 +
          (exs[i] as number);
        const row = partner * W;
        for (let e = 0, o = k * A; e < A; e++, o++) {
          const cell = row + (slotComp[o] as number);
          accrued[cell] = (accrued[cell] as number) + roundPpm(amount, slotRate[o] as number);
        }
        for (let e = 0, o = k * GA; e < GA; e++, o++) {
          const cell = partner * G + (slotGroup[o] as number);
          gBase[cell] = (gBase[cell] as number) + amount * (slotWeight[o] as number);
        }
        const mask = counted[k] as number;
        for (let j = 0; j < X; j++) {
          const bit = (mask >>> j) & 1;
          const cell = j * F + f;
          net[cell] = (net[cell] as number) + amount * bit;
          touched |= bit << f;
        }
        for (let j = 0; j < Y; j++) {
          const cell = partner * Y + j;
          grRevenue[cell] = (grRevenue[cell] as number) + amount * ((mask >>> (X + j)) & 1);
        }
      }
      if (touched !== 0) flushRun(net, crossSell, xsBase, runPartner, touched);
      touched = 0;
      if (X > 0 && !clustered) {
        // Not clustered by (partner, customer): read the lines again in that order.
        xsBase.fill(0);
        const order: number[] = [];
        for (let i = 0; i < n; i++) {
          const day = days[i] as number;
          if (day >= fromDay && day <= toDay) order.push(i);
        }
        order.sort(
          (a, b) =>
            (pIdx[a] as number) - (pIdx[b] as number) || (custs[a] as number) - (custs[b] as number) || a - b,
        );
        runPartner = -1;
        runCustomer = -1;
        for (const i of order) {
          const partner = pIdx[i] as number;
          const customer = custs[i] as number;
          if (customer !== runCustomer || partner !== runPartner) {
            if (touched !== 0) flushRun(net, crossSell, xsBase, runPartner, touched);
            touched = 0;
            runPartner = partner;
            runCustomer = customer;
          }
          const amount = amounts[i] as number;
          if (amount === 0) continue;
          const day = days[i] as number;
          const f = fam[i] as number;
          const ctx = ctxIdx === undefined ? 0 : (ctxIdx[i] as number);
          const k =
            (dayKey[day - fromDay] as number) +
            ctx * ctxStride +
            f * famStride +
            (tiers[i] as number) * 4 +
            (nbs[i] as number) * 2 +
            (exs[i] as number);
          const mask = counted[k] as number;
          for (let j = 0; j < X; j++) {
            if ((mask & (1 << j)) !== 0) {
              net[j * F + f] = (net[j * F + f] as number) + amount;
              touched |= 1 << f;
            }
          }
        }
        if (touched !== 0) flushRun(net, crossSell, xsBase, runPartner, touched);
      }

      // Per partner: what settlePeriod does with the sums.
      const close = new Float64Array(P * W);
      const lastKeyMultipliers = new Map<number, Ppm[]>();
      const givenMultipliers = new Map<LineFacts, Ppm[]>();
      const override = partners.accruedMinor;
      for (let pt = 0; pt < P; pt++) {
        let mults: Ppm[] | null = null;
        if (withPeriodMultiplier) {
          const given = partners.facts?.[pt];
          if (given != null) {
            mults = givenMultipliers.get(given) ?? null;
            if (mults === null) givenMultipliers.set(given, (mults = periodMultipliers(given, closeDay)));
          } else {
            const i = lastLine[pt] as number;
            if (i < 0) mults = periodMultipliers(null, closeDay);
            else {
              const ctx = ctxIdx === undefined ? 0 : (ctxIdx[i] as number);
              const t = tiers[i] as number;
              const fk = ((ctx * T + t) * 2 + (nbs[i] as number)) * 2 + (exs[i] as number);
              mults = lastKeyMultipliers.get(fk) ?? null;
              if (mults === null) {
                mults = periodMultipliers(
                  {
                    ...(ctxs[ctx] ?? {}),
                    tier: p.tiers[t] ?? '',
                    newBusiness: nbs[i] === 1,
                    exclusive: exs[i] === 1,
                  },
                  closeDay,
                );
                lastKeyMultipliers.set(fk, mults);
              }
            }
          }
        }
        for (let ci = 0; ci < W; ci++) {
          const d = plan[ci] as ComponentPlan;
          const cell = pt * W + ci;
          if (d.kind === 'accrual') {
            const given = override === undefined ? Number.NaN : (override[cell] as number);
            let accruedTotal = Number.isNaN(given) ? (accrued[cell] as number) : given;
            let amount = 0;
            if (
              d.baseGroup >= 0 &&
              d.minimum !== null &&
              (gBase[pt * G + d.baseGroup] as number) < d.minimum &&
              accruedTotal !== 0
            ) {
              amount -= accruedTotal;
              accruedTotal = 0;
            }
            if (d.cap !== null && accruedTotal > d.cap) amount += d.cap - accruedTotal;
            close[cell] = amount;
            continue;
          }
          // Close components: the amounts of its proposals, their qualifying base, their positive part.
          let total = 0;
          let positive = 0;
          let qualifying = 0;
          let any = false;
          if (d.kind === 'line') {
            for (const g of d.groups) {
              const b = gBase[pt * G + g] as number;
              if (b === 0) continue;
              const a = applyRate(b, (groups[g] as GroupMeta).effectiveRate);
              any = true;
              total += a;
              if (a > 0) positive += a;
              qualifying += b;
            }
          } else {
            const mult = mults === null ? PPM_ONE : (mults[d.closeOnly] as Ppm);
            let b = 0;
            let rate: Ppm = 0;
            if (d.kind === 'cross-sell') {
              b = xsBase[pt * X + d.index] as number;
              rate = (crossSell[d.index] as CrossSellMeta).points;
              any = b !== 0;
            } else {
              const m = growth[d.index] as GrowthMeta;
              const cmp = partners.comparison?.[m.comparedWith];
              if (cmp !== undefined && cmp.present[pt] === 1) {
                const revenue = grRevenue[pt * Y + d.index] as number;
                let prior = 0;
                for (let f = 0; f < F; f++) {
                  if ((m.families & (1 << f)) !== 0) prior += cmp.revenue[pt * F + f] as number;
                }
                const passed = prior > 0 ? growthPassed(m, revenue, prior) : null;
                if (passed !== null) {
                  b = m.base === 'period-revenue' ? revenue : revenue - prior;
                  rate = passed.points;
                  any = true; // settlePeriod proposes growth even on a zero base
                }
              }
            }
            if (any) {
              const a = applyRate(b, multiplyFactors(rate, mult));
              total = a;
              positive = a > 0 ? a : 0;
              qualifying = b;
            }
          }
          if (!any) continue;
          if (d.minimum !== null && qualifying < d.minimum) continue;
          if (d.cap !== null && total - d.cap > 0) total -= Math.min(total - d.cap, positive);
          close[cell] = total;
        }
      }
      const totalMinor = new Float64Array(P * W);
      for (let i = 0; i < P * W; i++) totalMinor[i] = (accrued[i] as number) + (close[i] as number);
      return { width: W, partnerCount: P, accruedMinor: accrued, closeMinor: close, totalMinor, lines: read };
    },
  };
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** The slow path: objects from the columns, then `computePeriod`. Same totals, for any program. */
function viaObjects(
  p: CompiledProgram,
  contexts: readonly LineContext[],
  period: Period,
  cols: CloseColumns,
  partners: ColumnarPartners,
): ColumnarPeriodTotals {
  const W = p.components.length;
  const P = partners.count;
  const fromDay = dayNumber(period.from);
  const toDay = dayNumber(period.to);
  const id = (row: number) => `p${String(row).padStart(10, '0')}`;
  const lines: IncentiveLine[] = [];
  for (let i = 0; i < cols.length; i++) {
    const day = cols.orderDay[i] as number;
    if (day < fromDay || day > toDay) continue;
    const partner = cols.partnerIndex[i] as number;
    if (partner >= P) throw new TrellisError('invalid_input', `line ${i}: partner row ${partner} >= ${P}`);
    const ctx = cols.contextIndex === undefined ? 0 : (cols.contextIndex[i] as number);
    const quantity = cols.quantity?.[i];
    const orderTotal = cols.orderTotalMinor?.[i];
    lines.push({
      lineId: String(i),
      partnerId: id(partner),
      customerId: String(cols.customerIndex[i]),
      orderDate: isoDay(day),
      family: PRODUCT_FAMILIES[cols.familyIndex[i] as number] ?? 'servers',
      amountMinor: cols.amountMinor[i] as number,
      quantity: quantity === undefined || Number.isNaN(quantity) ? null : quantity,
      orderTotalMinor: orderTotal === undefined || Number.isNaN(orderTotal) ? null : orderTotal,
      facts: {
        ...(contexts[ctx] ?? {}),
        tier: p.tiers[cols.tierIndex[i] as number] ?? '',
        newBusiness: cols.newBusiness[i] === 1,
        exclusive: cols.exclusive[i] === 1,
      },
    });
  }
  const facts: PartnerPeriodFacts[] = [];
  for (let pt = 0; pt < P; pt++) {
    const comparison: Partial<Record<GrowthComparison, FamilyRevenue>> = {};
    for (const [kind, cmp] of Object.entries(partners.comparison ?? {}) as [
      GrowthComparison,
      ComparisonColumns | undefined,
    ][]) {
      if (cmp === undefined || cmp.present[pt] !== 1) continue;
      const revenue: Partial<Record<ProductFamily, number>> = {};
      PRODUCT_FAMILIES.forEach((f, fi) => (revenue[f] = cmp.revenue[pt * FAMILY_COUNT + fi] as number));
      comparison[kind] = revenue;
    }
    let accruedMinor: Record<string, number> | null = null;
    if (partners.accruedMinor !== undefined) {
      for (const c of p.components) {
        const v = partners.accruedMinor[pt * W + c.info.index] as number;
        if (!Number.isNaN(v)) (accruedMinor ??= {})[c.info.code] = v;
      }
    }
    facts.push({ partnerId: id(pt), facts: partners.facts?.[pt] ?? null, comparison, accruedMinor });
  }
  const accruedOut = new Float64Array(P * W);
  const closeOut = new Float64Array(P * W);
  const totalOut = new Float64Array(P * W);
  const index = new Map(p.components.map((c) => [c.info.code, c.info.index]));
  for (const t of computePeriod(p, { period, lines, partners: facts })) {
    const cell = Number(t.partnerId.slice(1)) * W + (index.get(t.component) ?? 0);
    accruedOut[cell] = t.accruedMinor;
    closeOut[cell] = t.closeMinor;
    totalOut[cell] = t.totalMinor;
  }
  return {
    width: W,
    partnerCount: P,
    accruedMinor: accruedOut,
    closeMinor: closeOut,
    totalMinor: totalOut,
    lines: lines.length,
  };
}

/** The totals as `computePeriod` rows (non-zero rows, partners in `partnerIds` order). */
export function columnarTotalsToRows(
  totals: ColumnarPeriodTotals,
  components: readonly CompiledComponentInfo[],
  partnerIds: readonly string[],
): ComponentTotal[] {
  const out: ComponentTotal[] = [];
  for (let pt = 0; pt < totals.partnerCount; pt++) {
    for (const c of components) {
      const cell = pt * totals.width + c.index;
      const accruedMinor = totals.accruedMinor[cell] as number;
      const closeMinor = totals.closeMinor[cell] as number;
      if (accruedMinor === 0 && closeMinor === 0) continue;
      out.push({
        partnerId: partnerIds[pt] ?? String(pt),
        component: c.code,
        accruedMinor,
        closeMinor,
        totalMinor: totals.totalMinor[cell] as number,
      });
    }
  }
  return out;
}
