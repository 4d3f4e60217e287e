import { applyRate, divRoundHalfEven, PPM_ONE, type Ppm } from '../money/rate.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { TrellisError } from '../shared/errors.js';
import type { CompiledProgram } from './compile.js';
import { conditionFacts, dayNumber, evaluateLine, FAMILY_COUNT } from './compile.js';
import type { AccrualColumns, LineContext, LineFacts } from './types.js';

/**
 * The columnar accrual path. `prepareBatch` resolves, for every combination of (effective-date segment,
 * context, family, tier, new business, exclusive), which accrual components apply and at what effective
 * rate, using the same `evaluateLine` as the per-line API. `accrue` is then, per line, one table lookup
 * and one `applyRate` per component: numbers only, no objects, no strings.
 *
 * When an accrual or multiplier condition reads line.amount, line.quantity or order.total, the table
 * cannot be precomputed and `accrue` evaluates each line through `evaluateLine` (same results, slower).
 */
export interface AccrualBatch {
  /** Width of a row of `out`: one column per component, in `IncentiveEngine.components` order. */
  readonly width: number;
  /** Whether `accrue` runs the precomputed table (true) or evaluates each line (false). */
  readonly fast: boolean;
  /**
   * Adds each line's accruals into `out[partnerIndex * width + component]` (minor units). `out` must
   * have room for every partner row used. Returns the number of lines read. With `multipliers` (one row
   * per line), sets `multipliers[row + component]` to the payout multiplier (ppm) a line earns the
   * component at, when payout multipliers apply to it (left as is otherwise). With `multiplied`, adds
   * into multiplied[0] the payout multipliers' part (`multiplierPart`) of each line's accrual per component.
   */
  accrue(
    columns: AccrualColumns,
    out: Float64Array,
    multipliers?: Float64Array,
    multiplied?: Float64Array,
  ): number;
}

/**
 * The payout multipliers' part of an amount earned at multiplier `m` (ppm): the amount less what it would
 * be without the multiplier, rounded half-even (0 when no multiplier applies: m = 0 or x1).
 */
export function multiplierPart(amountMinor: number, m: Ppm): number {
  if (m === PPM_ONE || m === 0) return 0;
  return amountMinor - divRoundHalfEven(amountMinor * PPM_ONE, m);
}

/** Past this, product + 500,000 may not be exact: applyRate (BigInt) instead. */
const MAX_HALF_UP = Number.MAX_SAFE_INTEGER - 1_000_000;

/**
 * applyRate(amount, rate) for an integer amount and rate: half-even on the minor unit, the same result,
 * faster on the hot paths: a multiply by the reciprocal instead of a divide (then corrected exactly),
 * and no data-dependent branch for the half step (only a tie, rare, branches). Falls back to applyRate
 * near 2^53.
 */
export function roundPpm(amount: number, rate: number): number {
  const product = amount * rate;
  if (product > MAX_HALF_UP || product < -MAX_HALF_UP) return applyRate(amount, rate);
  // Round half up: floor((product + 500,000) / 1,000,000), by the reciprocal, which is not exact, so the
  // floor can be one off either way: correct it exactly.
  const shifted = product + 500_000;
  let q = Math.floor(shifted * 1e-6);
  let r = shifted - q * 1_000_000;
  if (r < 0) {
    q -= 1;
    r += 1_000_000;
  } else if (r >= 1_000_000) {
    q += 1;
    r -= 1_000_000;
  }
  // A tie (r = 0 here, rare) went up: back down to the even neighbour if that made q odd.
  if (r === 0 && q % 2 !== 0) q -= 1;
  return q + 0;
}

function numberOrNull(column: Float64Array | undefined, i: number): number | null {
  const v = column === undefined ? undefined : column[i];
  return v === undefined || Number.isNaN(v) ? null : v;
}

export function prepareBatch(
  p: CompiledProgram,
  contexts: readonly LineContext[],
  asOf: string | null,
): AccrualBatch {
  const ctxs = contexts.length === 0 ? [{}] : contexts;
  const width = p.components.length;
  const T = p.tiers.length;
  const C = ctxs.length;
  const asOfDay = asOf === null ? 0 : dayNumber(asOf);
  const hasAsOf = asOf !== null;

  // Effective-date segments: the days where the set of accrual components or multipliers changes.
  const cuts = new Set<number>();
  for (const c of p.lineBased) {
    if (c.info.settlement !== 'accrual') continue;
    cuts.add(c.fromDay);
    if (c.toDay !== Infinity) cuts.add(c.toDay + 1);
  }
  for (const m of p.multipliers) {
    cuts.add(m.fromDay);
    if (m.toDay !== Infinity) cuts.add(m.toDay + 1);
  }
  const bounds = Int32Array.from([...cuts].sort((a, b) => a - b));
  const S = bounds.length + 1;
  const segmentDay = (s: number): number => (s === 0 ? (bounds[0] ?? 1) - 1 : (bounds[s - 1] ?? 0));
  const segmentOf = (day: number): number => {
    let s = 0;
    while (s < bounds.length && (bounds[s] as number) <= day) s++;
    return s;
  };

  const contextOf = (i: number): LineContext => ctxs[i] ?? {};
  const factsOf = (ctx: number, tier: number, nb: boolean, ex: boolean): LineFacts => ({
    ...contextOf(ctx),
    tier: p.tiers[tier] ?? '',
    newBusiness: nb,
    exclusive: ex,
  });

  if (p.dynamic) {
    return {
      width,
      fast: false,
      accrue(cols, out, multipliers, multiplied) {
        const n = cols.length;
        for (let i = 0; i < n; i++) {
          const amount = cols.amountMinor[i] as number;
          if (amount === 0) continue;
          const family = cols.familyIndex[i] as number;
          const tier = cols.tierIndex[i] as number;
          const facts = factsOf(
            cols.contextIndex === undefined ? 0 : (cols.contextIndex[i] as number),
            tier,
            cols.newBusiness[i] === 1,
            cols.exclusive[i] === 1,
          );
          const cf = conditionFacts(p.currency, facts, {
            family: PRODUCT_FAMILIES[family] ?? null,
            amountMinor: amount,
            quantity: numberOrNull(cols.quantity, i),
            orderTotalMinor: numberOrNull(cols.orderTotalMinor, i),
          });
          const day = cols.orderDay === undefined ? asOfDay : (cols.orderDay[i] as number);
          const row = (cols.partnerIndex === undefined ? 0 : (cols.partnerIndex[i] as number)) * width;
          for (const a of evaluateLine(p, day, family, tier, facts, cf)) {
            if (a.component.info.settlement !== 'accrual') continue;
            const earned = applyRate(amount, a.effectiveRate);
            out[row + a.component.info.index] = (out[row + a.component.info.index] as number) + earned;
            if (multipliers && a.multiplier.codes.length > 0)
              multipliers[row + a.component.info.index] = a.multiplier.multiplier;
            if (multiplied && a.multiplier.codes.length > 0)
              multiplied[0] = (multiplied[0] as number) + multiplierPart(earned, a.multiplier.multiplier);
          }
        }
        return n;
      },
    };
  }

  // key = ((((s * C + ctx) * F + family) * T + tier) * 2 + nb) * 2 + ex
  const keys = S * C * FAMILY_COUNT * T * 4;
  const start = new Int32Array(keys + 1);
  const comp: number[] = [];
  const rate: number[] = [];
  /** The payout multiplier of each entry, 0 when none applies. */
  const mult: number[] = [];
  let key = 0;
  for (let s = 0; s < S; s++) {
    const day = segmentDay(s);
    for (let ctx = 0; ctx < C; ctx++) {
      for (let f = 0; f < FAMILY_COUNT; f++) {
        for (let t = 0; t < T; t++) {
          for (let nb = 0; nb < 2; nb++) {
            for (let ex = 0; ex < 2; ex++) {
              start[key++] = comp.length;
              const facts = factsOf(ctx, t, nb === 1, ex === 1);
              const cf = conditionFacts(p.currency, facts, { family: PRODUCT_FAMILIES[f] ?? null });
              for (const a of evaluateLine(p, day, f, t, facts, cf)) {
                if (a.component.info.settlement !== 'accrual') continue;
                comp.push(a.component.info.index);
                rate.push(a.effectiveRate);
                mult.push(a.multiplier.codes.length > 0 ? a.multiplier.multiplier : 0);
              }
            }
          }
        }
      }
    }
  }
  start[keys] = comp.length;
  // Fixed-width slots per key (padding: component 0 at rate 0, which adds 0), so that every line runs
  // the same number of iterations: no mispredicted loop exits.
  let A = 0;
  for (let k = 0; k < keys; k++) A = Math.max(A, (start[k + 1] as number) - (start[k] as number));
  const slotComp = new Int32Array(keys * A);
  const slotRate = new Float64Array(keys * A);
  const slotMult = new Float64Array(keys * A);
  for (let k = 0; k < keys; k++) {
    for (let e = start[k] as number, o = k * A; e < (start[k + 1] as number); e++, o++) {
      slotComp[o] = comp[e] as number;
      slotRate[o] = rate[e] as number;
      slotMult[o] = mult[e] as number;
    }
  }
  const ft = FAMILY_COUNT * T;

  return {
    width,
    fast: true,
    accrue(cols, out, multipliers, multiplied) {
      const n = cols.length;
      let multipliedSum = 0;
      const amounts = cols.amountMinor;
      const fam = cols.familyIndex;
      const tiers = cols.tierIndex;
      const nbs = cols.newBusiness;
      const exs = cols.exclusive;
      const ctxIdx = cols.contextIndex;
      const partners = cols.partnerIndex;
      const days = cols.orderDay;
      if (days === undefined && !hasAsOf && bounds.length > 0) {
        throw new TrellisError('invalid_input', 'accrueBatch needs orderDay or an asOf date');
      }
      const fixedSegment = segmentOf(asOfDay);
      const nb0 = bounds.length;
      for (let i = 0; i < n; i++) {
        const amount = amounts[i] as number;
        if (amount === 0) continue;
        let s = fixedSegment;
        if (days !== undefined) {
          const day = days[i] as number;
          s = 0;
          while (s < nb0 && (bounds[s] as number) <= day) s++;
        }
        const ctx = ctxIdx === undefined ? 0 : (ctxIdx[i] as number);
        const k =
          (((s * C + ctx) * ft + (fam[i] as number) * T + (tiers[i] as number)) * 2 + (nbs[i] as number)) *
            2 +
          (exs[i] as number);
        const row = partners === undefined ? 0 : (partners[i] as number) * width;
        for (let e = 0, o = k * A; e < A; e++, o++) {
          const cell = row + (slotComp[o] as number);
          out[cell] = (out[cell] as number) + roundPpm(amount, slotRate[o] as number);
        }
        // Padding slots carry no multiplier (0): only the entries multiplied are written.
        if (multipliers)
          for (let e = 0, o = k * A; e < A; e++, o++)
            if (slotMult[o] !== 0) multipliers[row + (slotComp[o] as number)] = slotMult[o] as number;
        if (multiplied)
          for (let e = 0, o = k * A; e < A; e++, o++)
            if (slotMult[o] !== 0)
              multipliedSum += multiplierPart(roundPpm(amount, slotRate[o] as number), slotMult[o] as number);
      }
      if (multiplied) multiplied[0] = (multiplied[0] as number) + multipliedSum;
      return n;
    },
  };
}
