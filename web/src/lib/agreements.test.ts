import { describe, expect, it } from 'vitest';
import {
  addDaysIso,
  agreementStatusLabel,
  agreementStatusTone,
  allowedNoticeReasons,
  basisPointsText,
  defaultNoticeDate,
  durationWords,
  noticeDateProblem,
} from './agreements';

describe('agreement display helpers', () => {
  it('labels and colours each status', () => {
    expect(agreementStatusLabel('notice-given')).toBe('notice given');
    expect(agreementStatusTone('active')).toBe('ok');
    expect(agreementStatusTone('notice-given')).toBe('warn');
    expect(agreementStatusTone('terminated')).toBe('bad');
    expect(agreementStatusTone('ended')).toBe('neutral');
  });

  it('says shares as percents, exactly', () => {
    expect(basisPointsText(5000)).toBe('50%');
    expect(basisPointsText(3333)).toBe('33.33%');
    expect(basisPointsText(10000)).toBe('100%');
    expect(basisPointsText(2510)).toBe('25.1%');
    expect(basisPointsText(1)).toBe('0.01%');
  });

  it('says durations in words', () => {
    expect(durationWords('P5Y')).toBe('5 years');
    expect(durationWords('P90D')).toBe('90 days');
    expect(durationWords('P1Y6M')).toBe('1 year 6 months');
    expect(durationWords('P0D')).toBe('0 days');
    expect(durationWords('PT5H')).toBe('PT5H');
  });

  it('adds days across months, years and leap days; refuses what is not a date', () => {
    expect(addDaysIso('2023-11-26', 60)).toBe('2024-01-25');
    expect(addDaysIso('2021-11-20', 60)).toBe('2022-01-19');
    expect(addDaysIso('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysIso('2024-02-30', 1)).toBeNull();
    expect(addDaysIso('26/11/2023', 1)).toBeNull();
  });

  it('defaults the notice day to today, kept within the term', () => {
    expect(defaultNoticeDate('2023-11-26', '2021-11-01', '2026-10-31')).toBe('2023-11-26');
    expect(defaultNoticeDate('2026-12-03', '2021-11-01', '2026-10-31')).toBe('2026-10-31');
    expect(defaultNoticeDate('2020-01-01', '2021-11-01', null)).toBe('2021-11-01');
  });

  it('checks the notice day before sending it', () => {
    const check = (d: string) => noticeDateProblem(d, '2026-12-03', '2021-11-01', '2026-10-31');
    expect(check('2023-11-26')).toBeNull();
    expect(check('2026-12-04')).toContain('future');
    expect(check('2021-10-31')).toContain('takes effect on 2021-11-01');
    expect(check('2026-11-01')).toContain('term ended on 2026-10-31');
    expect(check('')).toContain('YYYY-MM-DD');
  });

  it('offers only the reasons whose clause the agreement has', () => {
    const clause = (allowsTermination: boolean) => ({ allowsTermination });
    expect(allowedNoticeReasons({ changeOfControl: clause(true), convenience: clause(false) })).toEqual([
      'change-of-control',
    ]);
    expect(allowedNoticeReasons({ changeOfControl: clause(true), convenience: clause(true) })).toEqual([
      'change-of-control',
      'convenience',
    ]);
    expect(allowedNoticeReasons({ changeOfControl: clause(false), convenience: clause(false) })).toEqual([]);
  });
});
