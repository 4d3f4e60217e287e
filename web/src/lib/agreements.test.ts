import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import {
  addDaysIso,
  agreementStatusLabel,
  agreementStatusTone,
  allowedNoticeReasons,
  basisPointsText,
  defaultNoticeDate,
  durationWords,
  noticeDateProblem,
  noticeReasonLabel,
  noticeReasonText,
} from './agreements';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

describe('agreement display helpers', () => {
  it('labels and colours each status', () => {
    expect(agreementStatusLabel(en, 'notice-given')).toBe('notice given');
    expect(agreementStatusLabel(fr, 'notice-given')).toBe('préavis donné');
    expect(agreementStatusLabel(en, 'someday')).toBe('someday');
    expect(agreementStatusTone('active')).toBe('ok');
    expect(agreementStatusTone('notice-given')).toBe('warn');
    expect(agreementStatusTone('terminated')).toBe('bad');
    expect(agreementStatusTone('ended')).toBe('neutral');
  });

  it('says shares as percents, exactly', () => {
    expect(basisPointsText(5000, 'en-US')).toBe('50%');
    expect(basisPointsText(3333, 'en-US')).toBe('33.33%');
    expect(basisPointsText(10000, 'en-US')).toBe('100%');
    expect(basisPointsText(2510, 'en-US')).toBe('25.1%');
    expect(basisPointsText(1, 'en-US')).toBe('0.01%');
    expect(basisPointsText(3333, 'fr-FR')).toBe('33,33\u00a0%');
  });

  it('says durations in words', () => {
    expect(durationWords(en, 'P5Y')).toBe('5 years');
    expect(durationWords(en, 'P90D')).toBe('90 days');
    expect(durationWords(en, 'P1Y6M')).toBe('1 year 6 months');
    expect(durationWords(en, 'P0D')).toBe('0 days');
    expect(durationWords(en, 'PT5H')).toBe('PT5H');
    expect(durationWords(fr, 'P1Y6M')).toBe('1 an 6 mois');
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
    const check = (d: string) => noticeDateProblem(en, 'en-US', d, '2026-12-03', '2021-11-01', '2026-10-31');
    expect(check('2023-11-26')).toBeNull();
    expect(check('2026-12-04')).toBe('Notice cannot be dated in the future (today is 2026-12-03).');
    expect(check('2021-10-31')).toContain('takes effect on 2021-11-01');
    expect(check('2026-11-01')).toContain('term ended on 2026-10-31');
    expect(check('')).toContain('YYYY-MM-DD');
    expect(noticeDateProblem(fr, 'fr-FR', '2026-12-04', '2026-12-03', '2021-11-01', null)).toBe(
      'Le préavis ne peut pas être daté dans le futur (nous sommes le 03/12/2026).',
    );
  });

  it('names notice reasons as options and inside sentences', () => {
    expect(noticeReasonLabel(en, 'change-of-control')).toBe('Change of control');
    expect(noticeReasonText(en, 'change-of-control')).toBe('change of control');
    expect(noticeReasonLabel(fr, 'convenience')).toBe('Convenance');
    expect(noticeReasonText(en, 'Other')).toBe('other');
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
