/** The days of a fiscal year and how busy each is (quarter-end spikes, Q4 heaviest, quiet weekends). */
export interface FiscalCalendar {
  /** Number of days, start and end included. */
  days: number;
  /** ISO date (YYYY-MM-DD) of each day. */
  dates: string[];
  /** UTC midnight of each day, in milliseconds. */
  dayMs: Float64Array;
  /** Fiscal quarter (0-3) of each day. */
  quarter: Uint8Array;
  /** Relative order volume of each day. */
  weights: Float64Array;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** UTC midnight of an ISO date, or a RangeError. */
export function parseIsoDate(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (m === null) throw new RangeError(`not an ISO date: ${iso}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a calendar date: ${iso}`);
  return ms;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return isoDate(parseIsoDate(iso) + days * DAY_MS);
}

/** Weight of the month within its quarter: the last month is the heaviest. */
const MONTH_IN_QUARTER = [0.8, 1.0, 1.4] as const;
/** Weight of each fiscal quarter: Q4 is the heaviest. */
const QUARTER = [0.9, 0.95, 1.0, 1.3] as const;
/** Extra weight in the last days of a quarter (deals closing before the books close). */
const QUARTER_END_DAYS = 7;
const QUARTER_END = 1.8;
const WEEKEND = 0.25;

export function fiscalCalendar(start: string, end: string): FiscalCalendar {
  const startMs = parseIsoDate(start);
  const endMs = parseIsoDate(end);
  if (endMs < startMs) throw new RangeError(`fiscal year ends (${end}) before it starts (${start})`);
  const days = Math.round((endMs - startMs) / DAY_MS) + 1;
  const s = new Date(startMs);
  const y0 = s.getUTCFullYear();
  const m0 = s.getUTCMonth();
  const d0 = s.getUTCDate();
  const dates: string[] = [];
  const dayMs = new Float64Array(days);
  const quarter = new Uint8Array(days);
  const monthInQuarter = new Uint8Array(days);
  const weekend = new Uint8Array(days);
  for (let i = 0; i < days; i++) {
    const ms = startMs + i * DAY_MS;
    const d = new Date(ms);
    dates.push(d.toISOString().slice(0, 10));
    dayMs[i] = ms;
    let months = (d.getUTCFullYear() - y0) * 12 + (d.getUTCMonth() - m0);
    if (d.getUTCDate() < d0) months -= 1;
    const q = Math.min(3, Math.floor(months / 3));
    quarter[i] = q;
    monthInQuarter[i] = q === 3 && months >= 12 ? 2 : months % 3;
    const dow = d.getUTCDay();
    weekend[i] = dow === 0 || dow === 6 ? 1 : 0;
  }
  const weights = new Float64Array(days);
  let quarterEnd = days - 1;
  for (let i = days - 1; i >= 0; i--) {
    const q = quarter[i] as number;
    if (i < days - 1 && quarter[i + 1] !== q) quarterEnd = i;
    let w = QUARTER[q as 0 | 1 | 2 | 3] * MONTH_IN_QUARTER[monthInQuarter[i] as 0 | 1 | 2];
    if (quarterEnd - i < QUARTER_END_DAYS) w *= QUARTER_END;
    if (weekend[i] === 1) w *= WEEKEND;
    weights[i] = w;
  }
  return { days, dates, dayMs, quarter, weights };
}

/** The program years the world's orders run through, and "now", its last order day. */
export interface DemoSpan {
  /** Program years in order (ISO dates, both included), contiguous; the last holds `now`. */
  years: readonly { start: string; end: string }[];
  /** The last day with orders (ISO date). */
  now: string;
  /** From this day on, history keeps at least STORY_KEPT of its volume (the story's dates need sales). */
  storyFrom?: string | undefined;
}

/** The least share of volume kept from `storyFrom` on, however old. */
export const STORY_KEPT = 0.25;

/** Each year's volume is this share of the next one's (about 12% growth a year). */
export const YEARLY_GROWTH_RATIO = 0.88;
/**
 * How much of the grown volume older history keeps, by age in years (linear between the points): the last
 * two years in full (year-over-year growth and new business compare them), the third thinner (the
 * three-year coverage window), older years a trickle back to the first program year.
 */
const HISTORY_KEPT: readonly (readonly [number, number])[] = [
  [0, 1],
  [1.75, 1],
  [2.25, 0.25],
  [3, 0.25],
  [3.25, 0.04],
];

function historyKept(ageYears: number): number {
  let prev = HISTORY_KEPT[0] as readonly [number, number];
  for (const point of HISTORY_KEPT) {
    if (ageYears <= point[0]) {
      if (point[0] === prev[0]) return point[1];
      const t = (ageYears - prev[0]) / (point[0] - prev[0]);
      return prev[1] + t * (point[1] - prev[1]);
    }
    prev = point;
  }
  return prev[1];
}

/** The first day of the twelve months that end on `now`: the same day a year earlier, plus one. */
export function lastTwelveMonthsFrom(now: string): string {
  const ms = parseIsoDate(now);
  const d = new Date(ms);
  const yearBefore = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate());
  // 29 February: a year before is 1 March of a common year; either way the window holds 365 or 366 days.
  return isoDate(yearBefore + DAY_MS);
}

/** The world's days from the first program year's start to `now`, with the last twelve months' first index. */
export interface HistoryCalendar extends FiscalCalendar {
  /** Index of the first day of the last twelve months (lastTwelveMonthsFrom(now)), 0 when history is shorter. */
  recentFrom: number;
}

/**
 * The days from the first program year to `now`: each program year's seasonality (fiscalCalendar), scaled
 * by growth (YEARLY_GROWTH_RATIO per year of age) and by how much of older history is kept.
 */
export function historyCalendar(span: DemoSpan): HistoryCalendar {
  const nowMs = parseIsoDate(span.now);
  const first = span.years[0];
  if (first === undefined) throw new RangeError('a demo world needs at least one program year');
  if (span.now < first.start)
    throw new RangeError(`now (${span.now}) is before the first program year (${first.start})`);
  const last = span.years[span.years.length - 1] as { start: string; end: string };
  if (span.now > last.end)
    throw new RangeError(`now (${span.now}) is after the last program year (ends ${last.end})`);
  const dates: string[] = [];
  const ms: number[] = [];
  const quarters: number[] = [];
  const weights: number[] = [];
  let expected = first.start;
  for (const y of span.years) {
    if (y.start !== expected)
      throw new RangeError(`program years are not contiguous: ${y.start} follows ${addDays(expected, -1)}`);
    expected = addDays(y.end, 1);
    if (y.start > span.now) break;
    const year = fiscalCalendar(y.start, y.end);
    for (let i = 0; i < year.days && (year.dayMs[i] as number) <= nowMs; i++) {
      const day = year.dayMs[i] as number;
      const age = (nowMs - day) / (365.25 * DAY_MS);
      dates.push(year.dates[i] as string);
      ms.push(day);
      quarters.push(year.quarter[i] as number);
      let kept = historyKept(age);
      if (span.storyFrom !== undefined && (year.dates[i] as string) >= span.storyFrom && kept < STORY_KEPT)
        kept = STORY_KEPT;
      weights.push((year.weights[i] as number) * YEARLY_GROWTH_RATIO ** age * kept);
    }
  }
  const recentStart = lastTwelveMonthsFrom(span.now);
  let recentFrom = dates.findIndex((d) => d >= recentStart);
  if (recentFrom < 0) recentFrom = 0;
  return {
    days: dates.length,
    dates,
    dayMs: Float64Array.from(ms),
    quarter: Uint8Array.from(quarters),
    weights: Float64Array.from(weights),
    recentFrom,
  };
}
