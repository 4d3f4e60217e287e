import type { RequirementProgress, TierProgress } from './types.js';

/** How far a requirement is met, 0-100 (100 only when met; integer, rounded down). */
export function percentOf(current: number, target: number): number {
  if (!(target > 0)) return 100;
  if (!(current > 0)) return 0;
  if (current >= target) return 100;
  return Math.min(99, Math.floor((current * 100) / target));
}

export interface NextTier {
  readonly tier: string;
  readonly path: string;
  /** The path's requirements not met yet, with their gaps. */
  readonly gaps: readonly RequirementProgress[];
  /** The path's average progress, 0-100. */
  readonly percent: number;
}

/**
 * The closest tier above the current one (`aboveRank`: the rank held, -1 for none): the lowest-ranked
 * higher tier available in the partner's zone, through its path with the fewest requirements left (then
 * the most progress). Null at the top.
 */
export function closestNextTier(targets: readonly TierProgress[], aboveRank = -1): NextTier | null {
  const next = [...targets]
    .filter((t) => t.available && t.paths.length > 0 && t.rank > aboveRank)
    .sort((a, b) => a.rank - b.rank)[0];
  if (!next) return null;
  let best: NextTier | null = null;
  for (const path of next.paths) {
    const gaps = path.requirements.filter((r) => !r.met);
    const percents = path.requirements.map((r) => percentOf(r.current, r.target));
    const percent = percents.length ? Math.floor(percents.reduce((s, x) => s + x, 0) / percents.length) : 100;
    const candidate: NextTier = { tier: next.tier, path: path.name, gaps, percent };
    if (
      best === null ||
      candidate.gaps.length < best.gaps.length ||
      (candidate.gaps.length === best.gaps.length && candidate.percent > best.percent)
    )
      best = candidate;
  }
  return best;
}
