import { describe, expect, it } from 'vitest';
import type { EarningsPeriod, Measure, RequirementProgress, TierProgress } from '../pages/types';
import { closestNextTier, earningsFigures } from './partner-home';

const period = (over: Partial<EarningsPeriod>): EarningsPeriod => ({
  programId: 'prg_dell',
  period: 'FY22-Q1',
  currency: 'USD',
  accruedMinor: 0,
  earnedMinor: 0,
  paidMinor: 0,
  projectedMinor: 0,
  closed: true,
  components: [],
  ...over,
});

const req = (measure: Measure, current: number, target: number): RequirementProgress => ({
  measure,
  family: null,
  kind: null,
  current,
  target,
  gap: Math.max(0, target - current),
  met: current >= target,
});

describe('the earnings on a partner home card', () => {
  it('adds the program year and the current period, per currency, to the cent; other years left out', () => {
    const figures = earningsFigures(
      [
        period({ period: 'FY21-Q4', earnedMinor: 999_99, paidMinor: 999_99 }),
        period({ period: 'FY22-Q1', earnedMinor: 1_000_01, paidMinor: 1_000_01 }),
        period({ period: 'FY22-Q2', earnedMinor: 2_500_50, paidMinor: 0 }),
        period({ period: 'FY22-Q3', earnedMinor: 617_29, paidMinor: 0, closed: false }),
        period({ period: 'FY22-Q3', currency: 'EUR', earnedMinor: 10_00, closed: true }),
      ],
      ['FY22-Q1', 'FY22-Q2', 'FY22-Q3', 'FY22-Q4'],
      'FY22-Q3',
    );
    expect(figures).toEqual([
      {
        currency: 'EUR',
        yearEarnedMinor: 10_00,
        yearPaidMinor: 0,
        quarterEarnedMinor: 10_00,
        quarterPaidMinor: 0,
        provisional: false,
      },
      {
        currency: 'USD',
        yearEarnedMinor: 4_117_80,
        yearPaidMinor: 1_000_01,
        quarterEarnedMinor: 617_29,
        quarterPaidMinor: 0,
        provisional: true,
      },
    ]);
  });

  it('is empty when nothing was earned in the year', () => {
    expect(earningsFigures([period({ period: 'FY18-Q1', earnedMinor: 5 })], ['FY22-Q1'], 'FY22-Q1')).toEqual(
      [],
    );
  });
});

describe('the closest next tier', () => {
  const targets: TierProgress[] = [
    {
      tier: 'platinum',
      rank: 3,
      available: true,
      paths: [{ index: 0, name: 'Revenue', met: false, requirements: [req('revenue', 10, 1000)] }],
    },
    {
      tier: 'gold',
      rank: 2,
      available: true,
      paths: [
        {
          index: 0,
          name: 'Revenue and people',
          met: false,
          requirements: [req('revenue', 900, 1000), req('certifiedPeople', 1, 4)],
        },
        {
          index: 1,
          name: 'Credits',
          met: false,
          requirements: [req('credits', 50, 100), req('revenue', 1000, 1000)],
        },
      ],
    },
    { tier: 'titanium', rank: 1, available: false, paths: [] },
  ];

  it('takes the lowest higher tier available, through its path with the fewest gaps', () => {
    const next = closestNextTier(targets);
    expect(next?.tier).toBe('gold');
    expect(next?.pathName).toBe('Credits');
    expect(next?.gaps.map((g) => [g.measure, g.gap])).toEqual([['credits', 50]]);
    expect(next?.percent).toBe(75);
  });

  it('breaks a tie on the number of gaps by progress', () => {
    const tied = closestNextTier([
      {
        tier: 'gold',
        rank: 2,
        available: true,
        paths: [
          { index: 0, name: 'A', met: false, requirements: [req('revenue', 10, 100)] },
          { index: 1, name: 'B', met: false, requirements: [req('credits', 90, 100)] },
        ],
      },
    ]);
    expect(tied?.pathName).toBe('B');
  });

  it('is null at the top', () => {
    expect(closestNextTier([])).toBeNull();
    expect(closestNextTier([{ tier: 'x', rank: 4, available: false, paths: [] }])).toBeNull();
  });
});
