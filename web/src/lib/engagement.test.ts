import { describe, expect, it } from 'vitest';
import { deadlineCountdown, inboxOrder, labelOf, ROUTING_REASON_LABELS, rotationText } from './engagement';

describe('deadlineCountdown', () => {
  const now = Date.parse('2027-03-01T10:00:00Z');
  it('counts down to the deadline, urgent under two hours', () => {
    expect(deadlineCountdown('2027-03-02T12:30:00Z', now)).toEqual({
      text: '1 d 2 h left',
      urgent: false,
      past: false,
    });
    expect(deadlineCountdown('2027-03-01T11:15:00Z', now)).toEqual({
      text: '1 h 15 min left',
      urgent: true,
      past: false,
    });
  });
  it('says when the deadline passed, and nothing for a bad instant', () => {
    expect(deadlineCountdown('2027-03-01T10:00:00Z', now)).toMatchObject({ past: true });
    expect(deadlineCountdown('soon', now)).toBeNull();
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
    expect(labelOf(ROUTING_REASON_LABELS, 'below-threshold')).toBe('Below the routing threshold');
    expect(labelOf(ROUTING_REASON_LABELS, 'some-new-reason')).toBe('Some new reason');
  });
  it('explains the rotation', () => {
    expect(rotationText(null)).toMatch(/^No rotation/);
    expect(rotationText({ counter: 4, tied: 1, start: 0 })).toContain('no partner was tied');
    expect(rotationText({ counter: 7, tied: 3, start: 1 })).toContain('tie position 2 of 3');
  });
});
