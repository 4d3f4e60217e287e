import { describe, expect, it } from 'vitest';
import { bulkFingerprint, planBulk, summarizeBulk, type BulkCandidate } from './bulk-plan.js';

const s = (
  id: string,
  status: BulkCandidate['status'],
  totalMinor: number,
  currency = 'USD',
): BulkCandidate => ({
  id,
  vendorId: 'vnd_a',
  partnerId: `ptn_${id}`,
  programId: 'prg_a',
  period: 'FY18-Q1',
  sequence: 1,
  status,
  totalMinor,
  currency,
});

describe('a bulk action on statements', () => {
  it('moves the statements at the action step and says why the others are skipped', () => {
    const plan = planBulk(
      'pay',
      [
        s('a', 'approved', 50_000),
        s('b', 'approved', 900),
        s('c', 'paid', 7),
        s('d', 'issued', 8),
        s('e', 'approved', 10, 'EUR'),
      ],
      ['stm_gone'],
      () => 1_000,
    );
    expect(plan.moves.map((m) => [m.id, m.to])).toEqual([
      ['a', 'paid'],
      ['b', 'carried'],
      ['e', 'carried'],
    ]);
    expect(plan.skipped.map((k) => [k.id, k.reason])).toEqual([
      ['c', 'already-done'],
      ['d', 'not-ready'],
      ['stm_gone', 'not-found'],
    ]);
    expect(summarizeBulk(plan.moves, plan.skipped)).toEqual({
      count: 3,
      outcomes: { paid: 1, carried: 2 },
      totals: [
        { currency: 'EUR', count: 1, totalMinor: 10, payoutMinor: 0 },
        { currency: 'USD', count: 2, totalMinor: 50_900, payoutMinor: 50_000 },
      ],
      skippedByReason: { 'already-done': 1, 'not-ready': 1, 'not-found': 1 },
    });
  });

  it('issues drafts; a carried statement is past every step', () => {
    const plan = planBulk('issue', [s('a', 'draft', 1), s('b', 'carried', 0)], [], () => null);
    expect(plan.moves.map((m) => m.to)).toEqual(['issued']);
    expect(plan.skipped[0]?.reason).toBe('already-done');
  });

  it('fingerprints what moves, whatever the order, and changes when a statement does', () => {
    const a = planBulk('approve', [s('a', 'issued', 1), s('b', 'issued', 2)], [], () => null);
    const b = planBulk('approve', [s('b', 'issued', 2), s('a', 'issued', 1)], [], () => null);
    const c = planBulk('approve', [s('a', 'issued', 1), s('b', 'issued', 3)], [], () => null);
    expect(bulkFingerprint(a)).toBe(bulkFingerprint(b));
    expect(bulkFingerprint(a)).not.toBe(bulkFingerprint(c));
    expect(bulkFingerprint(a)).toMatch(/^approve-2-[0-9a-f]{8}$/);
  });
});
