import { describe, expect, it } from 'vitest';
import { keptOfLine, nextStatus, statementLineKind, trueUps } from './settlement.js';

describe('statement life cycle', () => {
  const total = (totalMinor: number, minimumPayoutMinor: number | null = null) => ({
    totalMinor,
    minimumPayoutMinor,
  });
  it('goes draft -> issued -> approved -> paid', () => {
    expect(nextStatus('draft', 'issue', total(100))).toBe('issued');
    expect(nextStatus('issued', 'approve', total(100))).toBe('approved');
    expect(nextStatus('approved', 'pay', total(100))).toBe('paid');
  });
  it('carries a total below the minimum payout, or not positive, to the next statement', () => {
    expect(nextStatus('approved', 'pay', total(9_999, 10_000))).toBe('carried');
    expect(nextStatus('approved', 'pay', total(10_000, 10_000))).toBe('paid');
    expect(nextStatus('approved', 'pay', total(0))).toBe('carried');
    expect(nextStatus('approved', 'pay', total(-500))).toBe('carried');
  });
  it('refuses steps out of order, saying why', () => {
    expect(() => nextStatus('draft', 'pay', total(1))).toThrow(/paid only when approved; this one is draft/);
    expect(() => nextStatus('paid', 'issue', total(1))).toThrow(/issued only when draft; this one is paid/);
  });
});

describe('true-ups', () => {
  it('posts only differences, so closing twice changes nothing', () => {
    const expected = new Map([
      ['a', 100],
      ['b', 50],
    ]);
    const held = new Map([
      ['a', 80],
      ['c', 7],
    ]);
    expect(trueUps(expected, held)).toEqual([
      { key: 'a', expectedMinor: 100, heldMinor: 80, diffMinor: 20 },
      { key: 'b', expectedMinor: 50, heldMinor: 0, diffMinor: 50 },
      { key: 'c', expectedMinor: 0, heldMinor: 7, diffMinor: -7 },
    ]);
    expect(trueUps(expected, expected)).toEqual([]);
  });
});

describe('what a returned line kept', () => {
  it('is the credit when its period paid in full', () => {
    expect(keptOfLine(400, 10_000, 0)).toBe(400);
  });
  it('is nothing when the minimum reversed the period, and the capped share otherwise (rounded down)', () => {
    expect(keptOfLine(400, 10_000, -10_000)).toBe(0);
    expect(keptOfLine(400, 10_000, -2_500)).toBe(300);
    expect(keptOfLine(333, 10_000, -3_333)).toBe(222);
  });
  it('is nothing for a line that was never credited', () => {
    expect(keptOfLine(0, 10_000, 0)).toBe(0);
    expect(keptOfLine(-5, 10_000, 0)).toBe(0);
  });
});

describe('statement line kinds', () => {
  it('names a return of a paid line a clawback', () => {
    expect(statementLineKind('accrual-return', true, true)).toBe('clawback');
    expect(statementLineKind('accrual-return', true, false)).toBe('return');
    expect(statementLineKind('true-up', true, false)).toBe('true-up');
    expect(statementLineKind('true-up', false, false)).toBe('close');
    expect(statementLineKind('adjustment', false, false)).toBe('adjustment');
  });
});
