/**
 * The partner's home across its vendors: what one card per program shows, from the standing
 * (GET /api/partners/{id}/progress) and the earnings (GET /api/partners/{id}/earnings) of that program.
 */
import type { EarningsPeriod, RequirementProgress, TierProgress } from '../pages/types';
import { percentOf } from './standing';

export interface EarningsFigures {
  readonly currency: string;
  readonly yearEarnedMinor: number;
  readonly yearPaidMinor: number;
  readonly quarterEarnedMinor: number;
  readonly quarterPaidMinor: number;
  /** Whether a period counted is not closed yet (its figures may still change). */
  readonly provisional: boolean;
}

/**
 * Earned and paid in the program year (its periods) and in the current period, per currency; periods of
 * other years are left out. Exact integer sums.
 */
export function earningsFigures(
  periods: readonly EarningsPeriod[],
  yearPeriods: readonly string[],
  currentPeriod: string | null,
): EarningsFigures[] {
  const year = new Set(yearPeriods);
  const byCurrency = new Map<string, EarningsFigures>();
  for (const p of periods) {
    if (!year.has(p.period)) continue;
    const f = byCurrency.get(p.currency) ?? {
      currency: p.currency,
      yearEarnedMinor: 0,
      yearPaidMinor: 0,
      quarterEarnedMinor: 0,
      quarterPaidMinor: 0,
      provisional: false,
    };
    const current = p.period === currentPeriod;
    byCurrency.set(p.currency, {
      currency: p.currency,
      yearEarnedMinor: f.yearEarnedMinor + p.earnedMinor,
      yearPaidMinor: f.yearPaidMinor + p.paidMinor,
      quarterEarnedMinor: f.quarterEarnedMinor + (current ? p.earnedMinor : 0),
      quarterPaidMinor: f.quarterPaidMinor + (current ? p.paidMinor : 0),
      provisional: f.provisional || !p.closed,
    });
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export interface NextTier {
  readonly tier: string;
  readonly pathName: string;
  /** The path's requirements not met yet, with their gaps. */
  readonly gaps: readonly RequirementProgress[];
  /** The path's average progress, 0-100. */
  readonly percent: number;
}

/**
 * The closest tier above the current one: the lowest-ranked higher tier available in the partner's zone,
 * through its path with the fewest requirements left (then the most progress). Null at the top.
 */
export function closestNextTier(targets: readonly TierProgress[]): NextTier | null {
  const next = [...targets]
    .filter((t) => t.available && t.paths.length > 0)
    .sort((a, b) => a.rank - b.rank)[0];
  if (!next) return null;
  let best: NextTier | null = null;
  for (const path of next.paths) {
    const gaps = path.requirements.filter((r) => !r.met);
    const percents = path.requirements.map((r) => percentOf(r.current, r.target));
    const percent = percents.length ? Math.floor(percents.reduce((s, x) => s + x, 0) / percents.length) : 100;
    const candidate: NextTier = { tier: next.tier, pathName: path.name, gaps, percent };
    if (
      best === null ||
      candidate.gaps.length < best.gaps.length ||
      (candidate.gaps.length === best.gaps.length && candidate.percent > best.percent)
    )
      best = candidate;
  }
  return best;
}
