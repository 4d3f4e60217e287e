/**
 * The partner home's chart of earnings by month and component: the bars to draw, worked out from the
 * home's `monthly` rows (GET /api/partners/{id}/home). Pure and exact: amounts stay integer minor units;
 * only the drawing scale is a ratio.
 */
import { minorExponent } from './money';

export interface MonthlyEarning {
  readonly month: string;
  readonly component: string;
  readonly currency: string;
  readonly amountMinor: number;
}

export interface ChartSeries {
  readonly code: string;
  readonly name: string;
  /** The colour slot (0-based, in legend order). */
  readonly slot: number;
  readonly totalMinor: number;
}

export interface ChartSegment {
  readonly code: string;
  readonly slot: number;
  readonly amountMinor: number;
  /** Where the segment starts and ends on the amount axis (minor units; negative below zero). */
  readonly from: number;
  readonly to: number;
}

export interface ChartMonth {
  /** YYYY-MM */
  readonly month: string;
  readonly totalMinor: number;
  readonly segments: readonly ChartSegment[];
}

export interface EarningsChart {
  readonly currency: string;
  readonly months: readonly ChartMonth[];
  readonly series: readonly ChartSeries[];
  readonly totalMinor: number;
  /** The axis' ends (minor units), rounded out to the ticks. */
  readonly top: number;
  readonly bottom: number;
  readonly ticks: readonly number[];
}

/** How many colours the chart's stylesheet defines; later series share the last slot. */
export const CHART_SLOTS = 8;

/** Every month from the month of `fromDay` to the month of `toDay`, both included ("2026-02"). */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  let y = Number(fromDay.slice(0, 4));
  let m = Number(fromDay.slice(5, 7));
  const endY = Number(toDay.slice(0, 4));
  const endM = Number(toDay.slice(5, 7));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(endY) || !Number.isInteger(endM))
    return out;
  while ((y < endY || (y === endY && m <= endM)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * Round axis steps covering `bottom..top` in about `count` steps: 1, 2 or 5 times a power of ten (of the
 * major unit, so ticks read as whole amounts). Always includes zero.
 */
export function niceTicks(bottom: number, top: number, count = 4, minorPerMajor = 100): number[] {
  const lo = Math.min(0, bottom);
  const hi = Math.max(0, top);
  if (hi === lo) return [0];
  const raw = (hi - lo) / Math.max(1, count) / minorPerMajor;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power * minorPerMajor;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step; v += step) {
    ticks.push(v);
    if (v >= hi) break;
  }
  return ticks;
}

/**
 * One chart per currency: the months of the range (empty months included, so the year reads left to
 * right), each month's components stacked (earnings up from zero, clawbacks down), series in the
 * program's component order, then any other component by size.
 */
export function earningsCharts(
  rows: readonly MonthlyEarning[],
  components: readonly { readonly code: string; readonly name: string }[],
  fromDay: string,
  toDay: string,
): EarningsChart[] {
  const months = monthsBetween(fromDay, toDay);
  const inRange = new Set(months);
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  const order = new Map(components.map((c, i) => [c.code, i]));
  const names = new Map(components.map((c) => [c.code, c.name]));
  return currencies.flatMap((currency) => {
    const mine = rows.filter((r) => r.currency === currency && inRange.has(r.month) && r.amountMinor !== 0);
    if (mine.length === 0) return [];
    const totals = new Map<string, number>();
    for (const r of mine) totals.set(r.component, (totals.get(r.component) ?? 0) + r.amountMinor);
    const codes = [...totals.keys()].sort((a, b) => {
      const oa = order.get(a) ?? Number.MAX_SAFE_INTEGER;
      const ob = order.get(b) ?? Number.MAX_SAFE_INTEGER;
      if (oa !== ob) return oa - ob;
      return Math.abs(totals.get(b) ?? 0) - Math.abs(totals.get(a) ?? 0) || a.localeCompare(b);
    });
    const series: ChartSeries[] = codes.map((code, i) => ({
      code,
      name: names.get(code) ?? code,
      slot: Math.min(i, CHART_SLOTS - 1),
      totalMinor: totals.get(code) ?? 0,
    }));
    let top = 0;
    let bottom = 0;
    const chartMonths: ChartMonth[] = months.map((month) => {
      let up = 0;
      let down = 0;
      const segments: ChartSegment[] = [];
      for (const s of series) {
        const amount = mine
          .filter((r) => r.month === month && r.component === s.code)
          .reduce((sum, r) => sum + r.amountMinor, 0);
        if (amount === 0) continue;
        if (amount > 0) {
          segments.push({ code: s.code, slot: s.slot, amountMinor: amount, from: up, to: up + amount });
          up += amount;
        } else {
          segments.push({ code: s.code, slot: s.slot, amountMinor: amount, from: down, to: down + amount });
          down += amount;
        }
      }
      top = Math.max(top, up);
      bottom = Math.min(bottom, down);
      return { month, totalMinor: up + down, segments };
    });
    const exponent = minorExponent(currency) ?? 2;
    const ticks = niceTicks(bottom, top, 4, 10 ** exponent);
    return [
      {
        currency,
        months: chartMonths,
        series,
        totalMinor: series.reduce((sum, s) => sum + s.totalMinor, 0),
        top: Math.max(...ticks),
        bottom: Math.min(...ticks),
        ticks,
      },
    ];
  });
}
