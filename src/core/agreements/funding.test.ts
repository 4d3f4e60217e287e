import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateFunding } from './funding.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

/** A funding split: 1 to 5 parties whose basis points sum to exactly 10000. */
const splitArb = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 4 }).map((cuts) => {
  const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
  return points.slice(1).map((p, i) => ({ vendor: `v${i}`, basisPoints: p - (points[i] as number) }));
});

describe('allocateFunding', () => {
  it('splits 1% of USD 1,234.57 half and half to the cent (the odd cent to the first listed)', () => {
    expect(
      allocateFunding(1235, [
        { vendor: 'dell', basisPoints: 5000 },
        { vendor: 'vmware', basisPoints: 5000 },
      ]),
    ).toEqual([
      { vendor: 'dell', basisPoints: 5000, amountMinor: 618 },
      { vendor: 'vmware', basisPoints: 5000, amountMinor: 617 },
    ]);
  });

  it('gives the left-over cents to the largest remainders', () => {
    // 100 x (3333, 3333, 3334) = 33.33, 33.33, 33.34: floors 33, 33, 33; remainders 3300, 3300, 3400.
    expect(
      allocateFunding(100, [
        { vendor: 'a', basisPoints: 3333 },
        { vendor: 'b', basisPoints: 3333 },
        { vendor: 'c', basisPoints: 3334 },
      ]).map((p) => p.amountMinor),
    ).toEqual([33, 33, 34]);
    expect(
      allocateFunding(2, [
        { vendor: 'a', basisPoints: 3333 },
        { vendor: 'b', basisPoints: 3334 },
        { vendor: 'c', basisPoints: 3333 },
      ]).map((p) => p.amountMinor),
    ).toEqual([1, 1, 0]);
  });

  it('refuses a split that does not sum to 10000', () => {
    expect(() => allocateFunding(100, [{ vendor: 'a', basisPoints: 9999 }])).toThrow(/9999/);
  });

  it('property: every split sums to the reward to the cent, each part within a cent of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), splitArb, (reward, split) => {
        const parts = allocateFunding(reward, split);
        expect(parts.reduce((s, p) => s + p.amountMinor, 0)).toBe(reward);
        parts.forEach((p, i) => {
          const exact = (reward * (split[i]?.basisPoints ?? 0)) / 10_000;
          expect(Math.abs(p.amountMinor - exact)).toBeLessThan(1.0001);
          if ((split[i]?.basisPoints ?? 0) === 0) expect(p.amountMinor).toBe(0);
        });
        // Deterministic: the same input gives the same parts.
        expect(allocateFunding(reward, split)).toEqual(parts);
      }),
      { numRuns: 500 },
    );
  });
});
