import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import {
  durationText,
  fieldKey,
  formatLocalTime,
  partnerActions,
  protectionText,
  protectionUrgent,
  reviewActions,
  scorePercent,
  slaTimer,
} from './deals';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

describe('deal display rules', () => {
  it('counts protection down, urgent under 14 days', () => {
    expect(protectionText(en, 23)).toBe('protected 23 more days');
    expect(protectionText(en, 1)).toBe('protected 1 more day');
    expect(protectionText(en, 0)).toBe('protected through today (last day)');
    expect(protectionText(en, null)).toBeNull();
    expect(protectionText(fr, 23)).toBe('protégé encore 23 jours');
    expect(protectionUrgent(13)).toBe(true);
    expect(protectionUrgent(14)).toBe(false);
    expect(protectionUrgent(null)).toBe(false);
  });
  it('times the review SLA', () => {
    const due = '2027-01-01T12:00:00.000Z';
    const at = (iso: string) => Date.parse(iso);
    expect(slaTimer(en, due, at('2027-01-01T09:50:00Z'))).toEqual({
      text: 'due in 2 h 10 min',
      overdue: false,
    });
    expect(slaTimer(en, due, at('2027-01-01T12:35:00Z'))).toEqual({
      text: 'overdue by 35 min',
      overdue: true,
    });
    expect(slaTimer(en, due, at('2027-01-01T12:00:00Z'))?.overdue).toBe(true);
    expect(slaTimer(en, null, 0)).toBeNull();
    expect(slaTimer(fr, due, at('2027-01-01T12:35:00Z'))).toEqual({
      text: 'en retard de 35 min',
      overdue: true,
    });
    expect(durationText(en, 3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(durationText(en, 30_000)).toBe('less than a minute');
    expect(durationText(fr, 3 * 86_400_000 + 4 * 3_600_000)).toBe('3 j 4 h');
  });
  it('offers what each side may do by state', () => {
    expect(partnerActions('draft')).toMatchObject({ edit: true, submit: true, extend: false, lose: false });
    expect(partnerActions('approved')).toMatchObject({
      edit: false,
      extend: true,
      withdraw: true,
      lose: true,
    });
    expect(partnerActions('rejected')).toEqual({
      edit: false,
      submit: false,
      extend: false,
      withdraw: false,
      lose: false,
    });
    expect(reviewActions('submitted', false)).toEqual(['start-review', 'approve', 'request-info', 'reject']);
    expect(reviewActions('info-requested', false)).toEqual(['reject']);
    expect(reviewActions('approved', true)).toEqual(['grant-extension', 'refuse-extension']);
    expect(reviewActions('approved', false)).toEqual([]);
  });
  it('puts problem locations on form fields', () => {
    expect(fieldKey('body.customer.name')).toBe('customer.name');
    expect(fieldKey('body.lines/2/amountMinor')).toBe('lines.2.amountMinor');
    expect(fieldKey('body.lines.0.family')).toBe('lines.0.family');
    expect(fieldKey('/lines/1/amount')).toBe('lines.1.amountMinor');
    expect(fieldKey('expectedCloseDate')).toBe('expectedCloseDate');
  });
  it('formats scores and local times', () => {
    expect(scorePercent(0.934, 'en-US')).toBe('93.4%');
    expect(scorePercent(0.996, 'en-US')).toBe('99.6%');
    expect(scorePercent(1, 'en-US')).toBe('100%');
    expect(scorePercent(0.934, 'fr-FR')).toBe('93,4\u00a0%');
    expect(formatLocalTime('2027-01-01T15:00:00.000Z', 'en-US', 'UTC')).toBe('Jan 1, 2027, 3:00 PM UTC');
  });
});
