import { describe, expect, it } from 'vitest';
import type { AgreementDefinition } from '../programs/types.js';
import { accrualWindow, decideNotice, statusOn, type AgreementNotice } from './life-cycle.js';

const CFA = {
  code: 'dell-vmware-commercial-framework-2021',
  signed: '2021-11-01',
  effective: { from: '2021-11-01', to: '2026-10-31' },
  parties: [
    { vendor: 'dell', name: 'Dell', role: 'distributor', programs: [] },
    { vendor: 'vmware', name: 'VMware', role: 'supplier', programs: [] },
  ],
  termination: {
    noticeDays: 60,
    changeOfControl: { allowsTermination: true, description: null },
    convenience: { allowsTermination: false, description: null },
    events: [],
  },
} satisfies Pick<AgreementDefinition, 'code' | 'signed' | 'effective' | 'parties' | 'termination'>;

const DELL_NOTICE: AgreementNotice = {
  noticeDate: '2023-11-26',
  by: 'dell',
  reason: 'change-of-control',
  effectiveDate: '2024-01-25',
  note: null,
};

describe('agreement life cycle', () => {
  it.each([
    ['2021-10-31', null, 'draft'],
    ['2021-11-01', null, 'active'],
    ['2026-10-31', null, 'active'],
    ['2026-11-01', null, 'ended'],
    ['2023-11-25', DELL_NOTICE, 'active'],
    ['2023-11-26', DELL_NOTICE, 'notice-given'],
    ['2024-01-24', DELL_NOTICE, 'notice-given'],
    ['2024-01-25', DELL_NOTICE, 'terminated'],
    ['2027-01-01', DELL_NOTICE, 'terminated'],
  ] as const)('on %s (notice %s) the CFA is %s', (day, notice, status) => {
    expect(statusOn(CFA, notice, day)).toBe(status);
  });

  it('ends by term when a notice would take effect after the term', () => {
    const late = { ...DELL_NOTICE, noticeDate: '2026-10-01', effectiveDate: '2026-11-30' };
    expect(statusOn(CFA, late, '2026-11-01')).toBe('ended');
    expect(accrualWindow(CFA, late)).toEqual({ from: '2021-11-01', lastDay: '2026-10-31' });
  });

  it('counts cross-vendor accruals to the day before the termination takes effect', () => {
    expect(accrualWindow(CFA, null)).toEqual({ from: '2021-11-01', lastDay: '2026-10-31' });
    expect(accrualWindow(CFA, DELL_NOTICE)).toEqual({ from: '2021-11-01', lastDay: '2024-01-24' });
  });

  it('decides a notice: effective = notice day + notice days, once, for an allowed reason, in term', () => {
    const input = {
      by: 'dell',
      reason: 'change-of-control',
      noticeDate: '2023-11-26',
      note: null,
      today: '2026-12-03',
    };
    expect(decideNotice(CFA, null, input)).toEqual({ ok: true, notice: { ...DELL_NOTICE } });
    expect(decideNotice(CFA, DELL_NOTICE, input)).toMatchObject({ ok: false, problem: 'conflict' });
    expect(decideNotice(CFA, null, { ...input, reason: 'convenience' })).toMatchObject({
      ok: false,
      problem: 'invalid',
      reason: expect.stringContaining('does not allow termination for convenience') as unknown,
    });
    expect(decideNotice(CFA, null, { ...input, reason: 'breach' })).toMatchObject({
      ok: false,
      location: 'body.reason',
    });
    expect(decideNotice(CFA, null, { ...input, by: 'hp' })).toMatchObject({ ok: false, problem: 'invalid' });
    expect(decideNotice(CFA, null, { ...input, noticeDate: '2021-10-31' })).toMatchObject({
      ok: false,
      location: 'body.date',
    });
    expect(decideNotice(CFA, null, { ...input, noticeDate: '2026-11-01' })).toMatchObject({
      ok: false,
      location: 'body.date',
    });
    expect(decideNotice(CFA, null, { ...input, today: '2023-11-25' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('future') as unknown,
    });
  });
});
