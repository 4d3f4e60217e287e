import { payoutDates, programPeriods } from '../ledger/periods.js';
import type { ProgramDefinition } from '../programs/types.js';

/** One period the demo settles: closed and issued on its close date, approved the day after, paid on its pay date if that has come. */
export interface DemoSettlementStep {
  program: string;
  version: string;
  period: string;
  /** Last day of the period. */
  to: string;
  closeOn: string;
  payOn: string;
  /** The pay date has come (on or before today): the statements are paid; else they are due on payOn. */
  pay: boolean;
}

type Version = Pick<ProgramDefinition, 'code' | 'version' | 'effective' | 'periods' | 'payouts'>;

/**
 * Which periods the demo settles on the payout calendar, oldest close date first: of each program, the
 * last `perProgram` periods whose close date (period end + closeAfterDays, or the file's date) is on or
 * before `today`. Periods whose close date is still ahead stay open, so nothing is overdue at `today`:
 * statements whose pay date has come are paid, the others are issued and due on their pay date. Older
 * periods are left unsettled (history as orders only): closing is the slow part of a demo load.
 */
export function demoSettlementPlan(
  versions: readonly Version[],
  today: string,
  perProgram: number,
  /** Period codes also settled for every program that has them (the story's, e.g. an agreement-era quarter). */
  storyPeriods: readonly string[] = [],
): DemoSettlementStep[] {
  const byProgram = new Map<string, DemoSettlementStep[]>();
  for (const v of versions) {
    for (const period of programPeriods(v)) {
      if (period.to >= today) continue;
      const { closeOn, payOn } = payoutDates(v, period);
      if (closeOn > today) continue;
      const list = byProgram.get(v.code) ?? [];
      list.push({
        program: v.code,
        version: v.version,
        period: period.code,
        to: period.to,
        closeOn,
        payOn,
        pay: payOn <= today,
      });
      byProgram.set(v.code, list);
    }
  }
  const steps: DemoSettlementStep[] = [];
  for (const list of byProgram.values()) {
    list.sort((a, b) => (a.closeOn < b.closeOn ? -1 : a.closeOn > b.closeOn ? 1 : 0));
    const latest = list.slice(Math.max(0, list.length - Math.max(0, perProgram)));
    steps.push(...list.filter((s) => storyPeriods.includes(s.period) && !latest.includes(s)), ...latest);
  }
  return steps.sort((a, b) =>
    a.closeOn < b.closeOn ? -1 : a.closeOn > b.closeOn ? 1 : a.program < b.program ? -1 : 1,
  );
}

/**
 * The first day of the periods still open at `today` (the period holding today, and an ended one whose
 * close date is still ahead): their orders carry real-time accruals; null when the versions hold no such
 * period.
 */
export function openPeriodsFrom(versions: readonly Version[], today: string): string | null {
  let from: string | null = null;
  for (const v of versions)
    for (const period of programPeriods(v)) {
      if (period.from > today) continue;
      const open = period.to >= today || payoutDates(v, period).closeOn > today;
      if (open && (from === null || period.from < from)) from = period.from;
    }
  return from;
}
