import { describe, expect, it } from 'vitest';
import {
  fieldKey,
  formatDuration,
  formatLocalTime,
  partnerActions,
  protectionText,
  protectionUrgent,
  reviewActions,
  scorePercent,
  slaTimer,
} from './deals';

describe('deal display rules', () => {
  it('counts protection down, urgent under 14 days', () => {
    expect(protectionText(23)).toBe('protected 23 more days');
    expect(protectionText(1)).toBe('protected 1 more day');
    expect(protectionText(0)).toBe('protected through today (last day)');
    expect(protectionText(null)).toBeNull();
    expect(protectionUrgent(13)).toBe(true);
    expect(protectionUrgent(14)).toBe(false);
    expect(protectionUrgent(null)).toBe(false);
  });
  it('times the review SLA', () => {
    const due = '2027-01-01T12:00:00.000Z';
    const at = (iso: string) => Date.parse(iso);
    expect(slaTimer(due, at('2027-01-01T09:50:00Z'))).toEqual({ text: 'due in 2 h 10 min', overdue: false });
    expect(slaTimer(due, at('2027-01-01T12:35:00Z'))).toEqual({ text: 'overdue by 35 min', overdue: true });
    expect(slaTimer(due, at('2027-01-01T12:00:00Z'))?.overdue).toBe(true);
    expect(slaTimer(null, 0)).toBeNull();
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(30_000)).toBe('less than a minute');
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
    expect(scorePercent(0.934)).toBe('93.4%');
    expect(scorePercent(0.996)).toBe('99.6%');
    expect(scorePercent(1)).toBe('100%');
    expect(formatLocalTime('2027-01-01T15:00:00.000Z', 'en-US', 'UTC')).toBe('Jan 1, 2027, 3:00 PM UTC');
  });
});
