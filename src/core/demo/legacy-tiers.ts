import type { PartnerWorld } from './partners.js';
import { FIXED_PARTNERS, KIND_DISTRIBUTOR } from './partners.js';
import { normal, streamFor } from './random-tools.js';

/** A legacy program a merged program status-matches from, with its tiers floor first. */
export interface LegacyProgramInput {
  readonly program: string;
  /** Legacy tier codes, floor first (Dell: registered, preferred, premier, premier-plus). */
  readonly tiers: readonly string[];
}

/** One partner's tier in one legacy program (a row of the status-match file). */
export interface LegacyTierRow {
  readonly partnerId: string;
  readonly legacyProgram: string;
  readonly legacyTier: string;
}

/** Share of legacy partners on each of four tiers, floor first (most partners sit on the entry tier). */
const FOUR_TIER_SHARES = [0.55, 0.3, 0.12, 0.03];
/** How far a partner's legacy tier strays from its size (in percentile points, one standard deviation). */
const NOISE = 0.07;

/**
 * The tiers a vendor's partners held in the legacy programs before a merge (Dell EMC, 2017): each
 * partner enrolled with the vendor (and not terminated) was in one legacy program or both (distributors
 * and the fixed demo partners in both, a quarter of the others in both, else one, the first listed a bit
 * more often); its tier follows its size (the percentile of its business) with some noise, so big
 * partners tend to be Premier+ or Platinum and most sit on the entry tier. Deterministic for the seed.
 */
export function legacyTierRows(
  world: PartnerWorld,
  seed: number,
  /** The merged program (the vendor's demo program): its enrolments are the partners matched. */
  programId: string,
  programs: readonly LegacyProgramInput[],
): LegacyTierRow[] {
  const rows: LegacyTierRow[] = [];
  if (programs.length === 0) return rows;
  const rng = streamFor(seed, `legacy-tiers:${programId}`);
  const index = new Map(world.partners.map((p, i) => [p.id, i]));
  for (const e of world.enrolments) {
    const p = index.get(e.partnerId);
    if (e.programId !== programId || p === undefined || e.status === 'terminated') continue;
    const both = p < FIXED_PARTNERS.length || world.kind[p] === KIND_DISTRIBUTOR || rng.chance(0.25);
    const one = rng.chance(0.55) ? 0 : programs.length - 1;
    const size = world.percentile[p] as number;
    programs.forEach((program, k) => {
      if (!both && k !== one) return;
      const q = Math.min(0.999, Math.max(0, size + NOISE * normal(rng)));
      rows.push({
        partnerId: e.partnerId,
        legacyProgram: program.program,
        legacyTier: tierAt(program.tiers, q),
      });
    });
  }
  return rows;
}

/** The tier at quantile q: four tiers by FOUR_TIER_SHARES, other counts evenly. */
function tierAt(tiers: readonly string[], q: number): string {
  const shares =
    tiers.length === FOUR_TIER_SHARES.length ? FOUR_TIER_SHARES : tiers.map(() => 1 / tiers.length);
  let cum = 0;
  for (let i = 0; i < tiers.length; i++) {
    cum += shares[i] as number;
    if (q < cum) return tiers[i] as string;
  }
  return tiers[tiers.length - 1] as string;
}
