import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { payoutDates, programPeriods } from '../ledger/periods.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { demoSettlementPlan, openPeriodsFrom } from './settlement-plan.js';

const load = (name: string): ProgramDefinition => {
  const parsed = parseProgramDocument(readFileSync(`programs/${name}`, 'utf8'), name);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(name);
  return parsed.document;
};
const versions = [
  load('dell-emc-fy26.yaml'),
  load('dell-emc-fy27.yaml'),
  load('vmware-partner-connect-fy26.yaml'),
  load('vmware-partner-connect-fy27.yaml'),
];

describe('demoSettlementPlan', () => {
  it('settles the last due periods of each program: paid when the pay date has come, else due on it', () => {
    const plan = demoSettlementPlan(versions, '2026-12-03', 2);
    expect(plan.map((s) => [s.program, s.period, s.closeOn, s.payOn, s.pay])).toEqual([
      ['dell-emc-partner-program', 'FY27-Q2', '2026-08-14', '2026-09-13', true],
      ['vmware-partner-connect', 'FY27-Q2', '2026-08-14', '2026-09-13', true],
      ['dell-emc-partner-program', 'FY27-Q3', '2026-11-14', '2026-12-14', false],
      ['vmware-partner-connect', 'FY27-Q3', '2026-11-14', '2026-12-14', false],
    ]);
    expect(demoSettlementPlan(versions, '2026-12-03', 0)).toEqual([]);
  });

  it('leaves nothing overdue and nothing closable unsettled among the periods it settles, on any day', () => {
    for (let t = Date.parse('2026-02-01'); t <= Date.parse('2027-01-20'); t += 9 * 86_400_000) {
      const today = new Date(t).toISOString().slice(0, 10);
      const plan = demoSettlementPlan(versions, today, 3);
      for (const s of plan) {
        expect(s.closeOn <= today).toBe(true);
        expect(s.pay).toBe(s.payOn <= today);
      }
      // Every period whose close date has come and that is newer than the oldest settled one is settled.
      const oldest = plan[0]?.closeOn ?? '9999-12-31';
      for (const v of versions)
        for (const p of programPeriods(v)) {
          const { closeOn } = payoutDates(v, p);
          if (closeOn <= today && closeOn > oldest)
            expect(
              plan.some((s) => s.program === v.code && s.period === p.code),
              `${today} ${p.code}`,
            ).toBe(true);
        }
      // The open periods start right after the last settled one of each program.
      const open = openPeriodsFrom(versions, today);
      expect(open !== null && open <= today).toBe(true);
      for (const s of plan) expect(s.to < (open ?? '')).toBe(true);
    }
  });
});
