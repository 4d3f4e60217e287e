import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fundStanding, isShortfall, type FundCredit, type FundEvent } from './fund-balance.js';
import {
  creditId,
  expiryPostings,
  fundEventsOf,
  fundPeriodOf,
  parseCreditId,
  proposalFundUse,
  quarterOf,
  revenuePerSpent,
} from './funds.js';

const year = {
  version: 'FY99',
  effective: { from: '2025-02-01', to: '2026-01-31' },
  periods: 'month' as const,
};

describe('fund periods', () => {
  it('counts fiscal quarters from the program start, whatever its own periods', () => {
    expect(quarterOf(year, '2025-02-01')).toBe('FY99-Q1');
    expect(quarterOf(year, '2025-05-01')).toBe('FY99-Q2');
    expect(quarterOf(year, '2026-01-31')).toBe('FY99-Q4');
    expect(quarterOf(year, '2026-02-01')).toBeNull();
    expect(fundPeriodOf(year, 'quarter', '2025-08-15')).toBe('FY99-Q3');
    expect(fundPeriodOf(year, 'year', '2025-08-15')).toBe('FY99');
  });
  it('keys a credit by program, period and component, and reads the key back', () => {
    const id = creditId({ programId: 'prg_1', period: 'FY99-Q1', component: 'earned-mdf' });
    expect(parseCreditId(id)).toEqual({ programId: 'prg_1', period: 'FY99-Q1', component: 'earned-mdf' });
    expect(parseCreditId('nonsense')).toBeNull();
  });
});

describe('an activity history as fund events', () => {
  it('reserves at pre-approval, spends and releases when paid, releases when withdrawn or lapsed', () => {
    expect(
      fundEventsOf([
        { activityId: 'a', action: 'propose', day: '2025-06-01', amountMinor: 80_000 },
        { activityId: 'a', action: 'preapprove', day: '2025-06-02', amountMinor: 60_000 },
        { activityId: 'a', action: 'claim', day: '2025-07-01', amountMinor: 50_000 },
        { activityId: 'a', action: 'approve', day: '2025-07-02', amountMinor: 50_000 },
        { activityId: 'b', action: 'preapprove', day: '2025-06-02', amountMinor: 10_000 },
        { activityId: 'b', action: 'lapse', day: '2025-09-01', amountMinor: null },
      ]),
    ).toEqual([
      { kind: 'reserve', id: 'a', on: '2025-06-02', amountMinor: 60_000 },
      { kind: 'spend', id: 'a', on: '2025-07-02', amountMinor: 50_000 },
      { kind: 'release', id: 'a', on: '2025-07-02' },
      { kind: 'reserve', id: 'b', on: '2025-06-02', amountMinor: 10_000 },
      { kind: 'release', id: 'b', on: '2025-09-01' },
    ]);
  });
});

describe('a proposal fund in a period', () => {
  it('holds what approved activities hold until paid, and what was paid', () => {
    expect(
      proposalFundUse(100_000, [
        { status: 'preapproved', preapprovedMinor: 30_000, paidMinor: null },
        { status: 'claim-rejected', preapprovedMinor: 10_000, paidMinor: null },
        { status: 'paid', preapprovedMinor: 40_000, paidMinor: 25_000 },
        { status: 'refused', preapprovedMinor: null, paidMinor: null },
        { status: 'lapsed', preapprovedMinor: 5_000, paidMinor: null },
      ]),
    ).toEqual({ amountMinor: 100_000, reservedMinor: 40_000, paidMinor: 25_000, leftMinor: 35_000 });
  });
});

describe('expiry postings', () => {
  const credit: FundCredit = {
    id: 'c1',
    earnedOn: '2025-04-30',
    expiresOn: '2025-11-01',
    amountMinor: 100_000,
  };
  const events: FundEvent[] = [
    { kind: 'reserve', id: 'a', on: '2025-06-01', amountMinor: 40_000 },
    { kind: 'release', id: 'a', on: '2025-11-05' },
  ];
  const draws = (asOf: string) => {
    const s = fundStanding([credit], events, asOf);
    if (isShortfall(s)) throw new Error('shortfall');
    return s.draws;
  };
  it('posts per day what expired: the unreserved on its date, a later release on its day', () => {
    expect(expiryPostings(draws('2025-11-02'), new Map())).toEqual([
      { creditId: 'c1', on: '2025-11-01', amountMinor: 60_000, totalMinor: 60_000 },
    ]);
    expect(expiryPostings(draws('2025-11-05'), new Map([['c1', 60_000]]))).toEqual([
      { creditId: 'c1', on: '2025-11-05', amountMinor: 40_000, totalMinor: 100_000 },
    ]);
    expect(expiryPostings(draws('2025-11-05'), new Map([['c1', 100_000]]))).toEqual([]);
  });
  it('never posts more than expired, however often it runs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.date({ min: new Date('2025-10-01'), max: new Date('2026-03-01'), noInvalidDate: true }), {
          maxLength: 6,
        }),
        (days) => {
          const posted = new Map<string, number>();
          for (const d of days.map((x) => x.toISOString().slice(0, 10)).sort()) {
            for (const p of expiryPostings(draws(d), posted))
              posted.set(p.creditId, (posted.get(p.creditId) ?? 0) + p.amountMinor);
          }
          const all = draws('2026-03-01')
            .filter((x) => x.kind === 'expired')
            .reduce((s, x) => s + x.amountMinor, 0);
          expect(posted.get('c1') ?? 0).toBeLessThanOrEqual(all);
          for (const p of expiryPostings(draws('2026-03-01'), posted))
            posted.set(p.creditId, (posted.get(p.creditId) ?? 0) + p.amountMinor);
          expect(posted.get('c1')).toBe(all);
        },
      ),
    );
  });
});

describe('return on spend', () => {
  it('is revenue per unit paid, to two decimals, or null when nothing was paid', () => {
    expect(revenuePerSpent(900_000, 50_000)).toBe(18);
    expect(revenuePerSpent(100, 300)).toBe(0.33);
    expect(revenuePerSpent(100, 0)).toBeNull();
  });
});
