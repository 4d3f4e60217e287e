import type { Duration, IsoDate } from './types.js';

/** Pure calendar arithmetic on ISO dates (UTC, no clock). */

function parts(date: IsoDate): [number, number, number] {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return [y, m, d];
}

function iso(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Adds whole days (may be negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  return iso(Date.UTC(y, m - 1, d + days));
}

/** Whole days from one date to another (negative when `to` is before `from`). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/** Adds a calendar duration: months first (clamped to the month's last day), then days. */
export function addDuration(date: IsoDate, duration: Duration): IsoDate {
  const [y, m, d] = parts(date);
  const targetMonth = m - 1 + duration.months;
  const lastDay = new Date(Date.UTC(y, targetMonth + 1, 0)).getUTCDate();
  return iso(Date.UTC(y, targetMonth, Math.min(d, lastDay) + duration.days));
}

/** "P1Y", "P18M", "P90D", "P1Y6M". */
export function formatDuration(duration: Duration): string {
  const years = Math.floor(duration.months / 12);
  const months = duration.months % 12;
  return `P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}${duration.days ? `${duration.days}D` : ''}`;
}
