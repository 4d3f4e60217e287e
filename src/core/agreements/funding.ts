import type { FundingShare } from '../programs/types.js';

export const BASIS_POINTS_ONE = 10_000;

export interface FundedPart {
  readonly vendor: string;
  readonly basisPoints: number;
  readonly amountMinor: number;
}

/**
 * Splits a reward between the parties that fund it, by basis points, so that the parts sum exactly to
 * the reward: each party first gets the floor of its exact part, then the cents left over go one each to
 * the parties with the largest remainders; equal remainders go in the order the agreement lists the
 * funders (deterministic). A negative reward splits as its opposite, negated. The split must sum to 10000.
 */
export function allocateFunding(rewardMinor: number, funding: readonly FundingShare[]): FundedPart[] {
  if (!Number.isSafeInteger(rewardMinor)) throw new RangeError(`reward ${rewardMinor} is not a whole amount`);
  const total = funding.reduce((s, f) => s + f.basisPoints, 0);
  if (total !== BASIS_POINTS_ONE) throw new RangeError(`funding sums to ${total} basis points, not 10000`);
  const sign = rewardMinor < 0 ? -1 : 1;
  const reward = BigInt(Math.abs(rewardMinor));
  const one = BigInt(BASIS_POINTS_ONE);
  const parts = funding.map((f, index) => {
    const exact = reward * BigInt(f.basisPoints);
    return { index, floor: exact / one, remainder: exact % one };
  });
  let left = reward - parts.reduce((s, p) => s + p.floor, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const extra = new Set<number>();
  for (const p of order) {
    if (left <= 0n) break;
    if (p.remainder === 0n) continue;
    extra.add(p.index);
    left -= 1n;
  }
  return funding.map((f, i) => {
    const p = parts[i] as (typeof parts)[number];
    const amount = Number(p.floor + (extra.has(i) ? 1n : 0n));
    return {
      vendor: f.vendor,
      basisPoints: f.basisPoints,
      amountMinor: sign * amount === 0 ? 0 : sign * amount,
    };
  });
}
