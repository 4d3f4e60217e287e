import { describe, expect, it } from 'vitest';
import { closestNextTier, percentOf } from './next-tier.js';
import type { RequirementProgress, TierProgress } from './types.js';

const req = (current: number, target: number): RequirementProgress => ({
  measure: 'revenue',
  family: null,
  kind: null,
  target,
  current,
  gap: Math.max(0, target - current),
  met: current >= target,
});

describe('the closest next tier', () => {
  it('takes the lowest available higher tier through the path with the fewest gaps, then the most progress', () => {
    const targets: TierProgress[] = [
      {
        tier: 'platinum',
        rank: 2,
        available: true,
        paths: [{ index: 0, name: 'p', met: false, requirements: [req(0, 10)] }],
      },
      {
        tier: 'gold',
        rank: 1,
        available: true,
        paths: [
          { index: 0, name: 'revenue', met: false, requirements: [req(5, 10), req(1, 10)] },
          { index: 1, name: 'services', met: false, requirements: [req(9, 10), req(10, 10)] },
          { index: 2, name: 'other', met: false, requirements: [req(2, 10), req(10, 10)] },
        ],
      },
    ];
    expect(closestNextTier(targets)).toMatchObject({ tier: 'gold', path: 'services', percent: 95 });
    expect(closestNextTier(targets)?.gaps).toEqual([req(9, 10)]);
    // Held at gold (rank 1): the next is platinum, whatever the evaluation of gold says.
    expect(closestNextTier(targets, 1)?.tier).toBe('platinum');
  });

  it('is null at the top, and a requirement met is 100%, an unmet one at most 99%', () => {
    expect(closestNextTier([])).toBeNull();
    expect(percentOf(10, 10)).toBe(100);
    expect(percentOf(9_999, 10_000)).toBe(99);
    expect(percentOf(0, 10)).toBe(0);
  });
});
