import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PPM_ONE } from '../money/rate.js';
import { growsAbove } from './close.js';

/** The growth test in BigInt only: (revenue - prior) x 1,000,000 > above x prior. */
const reference = (revenue: number, prior: number, above: number) =>
  BigInt(revenue - prior) * BigInt(PPM_ONE) > BigInt(above) * BigInt(prior);

describe('growsAbove (growth strictly above a threshold, exactly)', () => {
  it('equals the comparison in BigInt, in doubles and past them', () => {
    // Amounts up to 2^53 - 1 minor units, and small ones (where ties are likely); thresholds -100% to 1000%.
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: 2 ** 40, max: 2 ** 44 }),
    );
    fc.assert(
      fc.property(
        amount,
        amount.filter((p) => p > 0),
        fc.integer({ min: -PPM_ONE, max: 10 * PPM_ONE }),
        (revenue, prior, above) => {
          fc.pre(Number.isSafeInteger(revenue - prior));
          expect(growsAbove(revenue, prior, above)).toBe(reference(revenue, prior, above));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is strict at the threshold', () => {
    // +10% exactly is not above 10%; one minor unit more is.
    expect(growsAbove(1_100, 1_000, 100_000)).toBe(false);
    expect(growsAbove(1_101, 1_000, 100_000)).toBe(true);
    // Past the doubles (x 1,000,000 leaves 2^53): +10% exactly, and one minor unit more.
    const prior = 10 * 2 ** 46;
    expect(growsAbove(prior + prior / 10, prior, 100_000)).toBe(
      reference(prior + prior / 10, prior, 100_000),
    );
  });
});
