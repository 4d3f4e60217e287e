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
