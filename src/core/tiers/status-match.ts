import { day, message, optional, renderEnglish, type Message } from '../messages/message.js';
import { addDuration } from '../programs/dates.js';
import type { IsoDate, ProgramDefinition } from '../programs/types.js';

export interface LegacyMembership {
  /** Legacy program code (e.g. dell-partnerdirect) or its name as listed in statusMatch. */
  readonly program: string;
  /** Legacy tier code (e.g. premier-plus); "Premier+" or "Premier Plus" are read the same way. */
  readonly tier: string;
}

export interface StatusMatchCandidate {
  readonly program: string;
  readonly legacyTier: string;
  readonly tier: string;
  readonly rank: number;
}

export interface StatusMatchResult {
  /** The matched tier; null when nothing could be matched. */
  readonly tier: string | null;
  /** The mapping that gave the tier. */
  readonly mapping: StatusMatchCandidate | null;
  readonly candidates: readonly StatusMatchCandidate[];
  readonly ignored: readonly { readonly program: string; readonly tier: string; readonly why: string }[];
  /** The tier may not be downgraded before this day (statusMatch.effective + grandfatherPeriod). */
  readonly grandfatheredUntil: IsoDate | null;
  readonly effectiveFrom: IsoDate | null;
  readonly reason: string;
  /** The reason as a message the app translates. */
  readonly reasonMessage: Message;
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/\+/g, '-plus')
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');

/**
 * Year-one status match of a merged program: each legacy membership is mapped through
 * program.statusMatch; under rule `highest` the highest mapped tier wins (ties: the first listed).
 */
export function statusMatch(
  program: ProgramDefinition,
  legacy: readonly LegacyMembership[],
): StatusMatchResult {
  const sm = program.statusMatch;
  if (sm === null) {
    const none = message('tiers.noStatusMatch', { program: program.code });
    return {
      tier: null,
      mapping: null,
      candidates: [],
      ignored: legacy.map((l) => ({ ...l, why: `${program.code} has no status match` })),
      grandfatheredUntil: null,
      effectiveFrom: null,
      reason: renderEnglish(none),
      reasonMessage: none,
    };
  }
  const ranks = program.tiers.map((t) => t.code);
  const candidates: StatusMatchCandidate[] = [];
  const ignored: { program: string; tier: string; why: string }[] = [];
  for (const l of legacy) {
    const mapping = sm.legacyPrograms.find(
      (p) => norm(p.program) === norm(l.program) || (p.name !== null && norm(p.name) === norm(l.program)),
    );
    if (!mapping) {
      ignored.push({
        ...l,
        why: `"${l.program}" is not a legacy program of ${program.code} (known: ${sm.legacyPrograms.map((p) => p.program).join(', ')})`,
      });
      continue;
    }
    const legacyTier = Object.keys(mapping.tiers).find((t) => norm(t) === norm(l.tier));
    const tier = legacyTier === undefined ? undefined : mapping.tiers[legacyTier];
    if (legacyTier === undefined || tier === undefined) {
      ignored.push({
        ...l,
        why: `tier "${l.tier}" is not mapped for ${mapping.program} (known: ${Object.keys(mapping.tiers).join(', ')})`,
      });
      continue;
    }
    candidates.push({ program: mapping.program, legacyTier, tier, rank: ranks.indexOf(tier) });
  }
  let best: StatusMatchCandidate | null = null;
  for (const c of candidates) if (best === null || c.rank > best.rank) best = c;
  const grandfatheredUntil = addDuration(sm.effective, sm.grandfatherPeriod);
  if (best === null) {
    return {
      tier: null,
      mapping: null,
      candidates,
      ignored,
      grandfatheredUntil: null,
      effectiveFrom: null,
      reason: renderEnglish(message('tiers.noLegacyMatched')),
      reasonMessage: message('tiers.noLegacyMatched'),
    };
  }
  const others = candidates.filter((c) => c !== best).map((c) => `${c.program} ${c.legacyTier} -> ${c.tier}`);
  const matched = message('tiers.statusMatched', {
    program: best.program,
    legacyTier: best.legacyTier,
    tier: best.tier,
    others: optional(
      others.length > 0 ? message('tiers.statusMatchedOthers', { others: others.join('; ') }) : null,
    ),
    until: day(grandfatheredUntil),
  });
  return {
    tier: best.tier,
    mapping: best,
    candidates,
    ignored,
    grandfatheredUntil,
    effectiveFrom: sm.effective,
    reason: renderEnglish(matched),
    reasonMessage: matched,
  };
}
