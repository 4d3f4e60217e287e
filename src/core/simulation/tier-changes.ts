/** A partner's tier under the baseline's thresholds and under the draft's, on the same facts. */
export interface TierPair {
  readonly partnerId: string;
  readonly baseline: string;
  readonly draft: string;
}

export interface TierChange {
  partnerId: string;
  from: string;
  to: string;
  direction: 'up' | 'down';
}

export interface TierChanges {
  up: number;
  down: number;
  /** Partners per tier under each program's thresholds. */
  baselineTiers: Record<string, number>;
  draftTiers: Record<string, number>;
  /** Who moves, by partner id. */
  changes: TierChange[];
}

/**
 * Tier changes under a draft's thresholds (issue 14): partners whose evaluated tier differs, up or down by
 * the rank in `tierCodes` (lowest first; a tier the list does not know ranks lowest).
 */
export function tierChanges(tierCodes: readonly string[], pairs: readonly TierPair[]): TierChanges {
  const rank = (t: string) => tierCodes.indexOf(t);
  const out: TierChanges = { up: 0, down: 0, baselineTiers: {}, draftTiers: {}, changes: [] };
  for (const p of [...pairs].sort((a, b) =>
    a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0,
  )) {
    out.baselineTiers[p.baseline] = (out.baselineTiers[p.baseline] ?? 0) + 1;
    out.draftTiers[p.draft] = (out.draftTiers[p.draft] ?? 0) + 1;
    if (p.baseline === p.draft) continue;
    const direction = rank(p.draft) > rank(p.baseline) ? 'up' : 'down';
    out[direction]++;
    out.changes.push({ partnerId: p.partnerId, from: p.baseline, to: p.draft, direction });
  }
  return out;
}
