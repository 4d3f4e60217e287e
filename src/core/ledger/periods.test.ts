import { describe, expect, it } from 'vitest';
import { addDays } from '../programs/dates.js';
import { payoutDates, periodOf, periodRange, previousPeriod, programPeriods } from './periods.js';

const fy18 = {
  version: 'FY18',
  effective: { from: '2017-02-01', to: '2018-02-02' },
  periods: 'quarter' as const,
};

describe('periodOf', () => {
  it.each([
    ['2017-02-01', 'FY18-Q1'],
    ['2017-04-30', 'FY18-Q1'],
    ['2017-05-01', 'FY18-Q2'],
    ['2017-10-31', 'FY18-Q3'],
    ['2018-01-31', 'FY18-Q4'],
    ['2018-02-02', 'FY18-Q4'],
  ])('%s is in %s', (day, period) => {
    expect(periodOf(fy18, day)).toBe(period);
  });
  it('puts days outside the program in no period, and counts months when asked', () => {
    expect(periodOf(fy18, '2017-01-31')).toBeNull();
    expect(periodOf(fy18, '2018-02-03')).toBeNull();
    expect(periodOf({ ...fy18, periods: 'month' }, '2017-03-15')).toBe('FY18-M02');
  });
});

describe('programPeriods and periodRange', () => {
  it('inverts periodOf: every day of the program falls in the range of its period', () => {
    const all = programPeriods(fy18);
    expect(all.map((p) => [p.code, p.from, p.to])).toEqual([
      ['FY18-Q1', '2017-02-01', '2017-04-30'],
      ['FY18-Q2', '2017-05-01', '2017-07-31'],
      ['FY18-Q3', '2017-08-01', '2017-10-31'],
      ['FY18-Q4', '2017-11-01', '2018-02-02'],
    ]);
    for (let day = '2017-02-01'; day <= '2018-02-02'; day = addDays(day, 1)) {
      const code = periodOf(fy18, day)!;
      const r = periodRange(fy18, code);
      expect(day >= r.from && day <= r.to).toBe(true);
    }
  });
  it('refuses an unknown period naming the ones that exist', () => {
    expect(() => periodRange(fy18, 'FY18-Q5')).toThrow(/FY18-Q1, FY18-Q2, FY18-Q3, FY18-Q4/);
  });
  it('gives monthly periods and the previous period', () => {
    const monthly = { ...fy18, periods: 'month' as const };
    expect(programPeriods(monthly)).toHaveLength(12);
    expect(periodRange(monthly, 'FY18-M02')).toEqual({
      code: 'FY18-M02',
      from: '2017-03-01',
      to: '2017-03-31',
    });
    expect(previousPeriod(fy18, 'FY18-Q2')?.code).toBe('FY18-Q1');
    expect(previousPeriod(fy18, 'FY18-Q1')).toBeNull();
  });
  it('dates payouts from the calendar, explicit dates first', () => {
    const payouts = {
      period: 'quarter' as const,
      closeAfterDays: 15,
      payAfterDays: 45,
      dates: [],
      minimumPayout: null,
      currency: 'USD',
    };
    const q1 = periodRange(fy18, 'FY18-Q1');
    expect(payoutDates({ ...fy18, payouts }, q1)).toEqual({ closeOn: '2017-05-15', payOn: '2017-06-14' });
    const explicit = { ...payouts, dates: [{ period: 'FY18-Q1', close: '2017-05-10', pay: '2017-05-31' }] };
    expect(payoutDates({ ...fy18, payouts: explicit }, q1)).toEqual({
      closeOn: '2017-05-10',
      payOn: '2017-05-31',
    });
  });
});
