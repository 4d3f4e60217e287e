import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { deadlineCountdown, engagementLabel, inboxOrder, offerStatusText, rotationText } from './engagement';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

describe('deadlineCountdown', () => {
  const now = Date.parse('2027-03-01T10:00:00Z');
  it('counts down to the deadline, urgent under two hours', () => {
    expect(deadlineCountdown(en, '2027-03-02T12:30:00Z', now)).toEqual({
      text: '1 d 2 h left',
      urgent: false,
      past: false,
    });
    expect(deadlineCountdown(en, '2027-03-01T11:15:00Z', now)).toEqual({
      text: '1 h 15 min left',
      urgent: true,
      past: false,
    });
  });
  it('says when the deadline passed, and nothing for a bad instant', () => {
    expect(deadlineCountdown(en, '2027-03-01T10:00:00Z', now)).toEqual({
      text: 'past its deadline',
      urgent: true,
      past: true,
    });
    expect(deadlineCountdown(fr, '2027-03-01T11:15:00Z', now)?.text).toBe('encore 1 h 15 min');
    expect(deadlineCountdown(en, 'soon', now)).toBeNull();
  });
});

describe('inboxOrder', () => {
  it('puts open offers first by deadline, then answered ones newest first', () => {
    const o = (id: string, status: string, deadline: string, offeredAt: string) => ({
      id,
      status,
      deadline,
      offeredAt,
    });
    const sorted = inboxOrder([
      o('a', 'accepted', '2027-01-03', '2027-01-01'),
      o('b', 'open', '2027-01-05', '2027-01-03'),
      o('c', 'declined', '2027-01-04', '2027-01-02'),
      o('d', 'open', '2027-01-04', '2027-01-02'),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('labels', () => {
  it('labels known codes and humanizes others', () => {
    expect(engagementLabel(en, 'routingReason', 'below-threshold')).toBe('Below the routing threshold');
    expect(engagementLabel(en, 'routingStatus', 'booked-partner')).toBe('Booked through a partner');
    expect(engagementLabel(en, 'routingReason', 'some-new-reason')).toBe('Some new reason');
    expect(engagementLabel(fr, 'routingReason', 'some-new-reason')).toBe('Some new reason');
    expect(engagementLabel(fr, 'coverage', 'open')).toBe('Ouvert');
    expect(engagementLabel(en, 'family', 'data-protection')).toBe('data-protection');
    expect(engagementLabel(fr, 'family', 'data-protection')).toBe('protection des données');
  });
  it('names offer states', () => {
    expect(offerStatusText(en, 'declined')).toBe('declined');
    expect(offerStatusText(fr, 'declined')).toBe('déclinée');
    expect(offerStatusText(en, 'withdrawn')).toBe('withdrawn');
  });
  it('explains the rotation', () => {
    expect(rotationText(en, null)).toMatch(/^No rotation/);
    expect(rotationText(en, { counter: 4, tied: 1, start: 0 })).toContain('no partner was tied');
    expect(rotationText(en, { counter: 7, tied: 3, start: 1 })).toBe(
      'Rotation counter 7: 3 partners tied with the best take turns; this decision started at tie position 2 of 3.',
    );
    expect(rotationText(fr, { counter: 7, tied: 3, start: 1 })).toBe(
      'Compteur de rotation 7 : 3 partenaires à égalité avec le meilleur passent à tour de rôle ; cette décision a commencé à la position 2 sur 3.',
    );
  });
});
