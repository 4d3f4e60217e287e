import { addDays, addDuration } from '../programs/dates.js';
import type { ProgramDefinition } from '../programs/types.js';
import { TrellisError } from '../shared/errors.js';

type PeriodProgram = Pick<ProgramDefinition, 'version' | 'effective' | 'periods'>;

/**
 * The program period a day falls in, counted from the program's start: `FY18-Q2` for quarters, `FY18-M05`
 * for months (the version label is the program year). Days outside the program belong to no period.
 */
export function periodOf(program: PeriodProgram, day: string): string | null {
  const from = program.effective.from;
  const to = program.effective.to;
  if (day < from || (to !== null && day > to)) return null;
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let months = (y - fy) * 12 + (m - fm);
  if (d < fd) months -= 1;
  const month = Math.min(Math.max(months, 0), 11);
  return program.periods === 'month'
    ? `${program.version}-M${String(month + 1).padStart(2, '0')}`
    : `${program.version}-Q${Math.floor(month / 3) + 1}`;
}

export interface PeriodRange {
  readonly code: string;
  readonly from: string;
  /** Inclusive last day. */
  readonly to: string;
}

/**
 * Every period of a program year, in order, with its first and last day (the inverse of `periodOf`). The
 * last period runs to the program's last day, so no day of the program falls outside a period.
 */
export function programPeriods(program: PeriodProgram): PeriodRange[] {
  const count = program.periods === 'month' ? 12 : 4;
  const step = program.periods === 'month' ? 1 : 3;
  const start = program.effective.from;
  const end = program.effective.to ?? addDays(addDuration(start, { months: 12, days: 0 }), -1);
  const out: PeriodRange[] = [];
  for (let i = 0; i < count; i++) {
    const from = addDuration(start, { months: i * step, days: 0 });
    const to = i === count - 1 ? end : addDays(addDuration(start, { months: (i + 1) * step, days: 0 }), -1);
    if (from > end) break;
    const code =
      program.periods === 'month'
        ? `${program.version}-M${String(i + 1).padStart(2, '0')}`
        : `${program.version}-Q${i + 1}`;
    out.push({ code, from, to: to > end ? end : to });
  }
  return out;
}

/** The range of a period code of the program, or a clear error naming the codes that exist. */
export function periodRange(program: PeriodProgram, code: string): PeriodRange {
  const all = programPeriods(program);
  const found = all.find((p) => p.code === code.toUpperCase() || p.code === code);
  if (!found)
    throw new TrellisError(
      'invalid_input',
      `unknown period "${code}"; the program's periods are ${all.map((p) => p.code).join(', ')}`,
      [{ location: 'period', message: `expected one of ${all.map((p) => p.code).join(', ')}` }],
    );
  return found;
}

/** The period before `code` in the same program year, or null for the first. */
export function previousPeriod(program: PeriodProgram, code: string): PeriodRange | null {
  const all = programPeriods(program);
  const i = all.findIndex((p) => p.code === code);
  return i > 0 ? (all[i - 1] ?? null) : null;
}

/** When a period closes and pays, on the program's payout calendar (explicit dates win over day counts). */
export function payoutDates(
  program: Pick<ProgramDefinition, 'version' | 'effective' | 'periods' | 'payouts'>,
  period: PeriodRange,
): { closeOn: string; payOn: string } {
  const explicit = program.payouts.dates.find((d) => d.period === period.code);
  if (explicit) return { closeOn: explicit.close, payOn: explicit.pay };
  return {
    closeOn: addDays(period.to, program.payouts.closeAfterDays),
    payOn: addDays(period.to, program.payouts.payAfterDays),
  };
}
