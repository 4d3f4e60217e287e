import { describe, expect, it } from 'vitest';
import { periodOf } from './periods.js';

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
