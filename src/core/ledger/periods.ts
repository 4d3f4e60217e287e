import type { ProgramDefinition } from '../programs/types.js';

/**
 * The program period a day falls in, counted from the program's start: `FY18-Q2` for quarters, `FY18-M05`
 * for months (the version label is the program year). Days outside the program belong to no period.
 */
export function periodOf(
  program: Pick<ProgramDefinition, 'version' | 'effective' | 'periods'>,
  day: string,
): string | null {
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
