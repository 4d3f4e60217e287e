import type { MonthDay, IsoDate, QualificationPolicy } from '../programs/types.js';
import { addDuration } from '../programs/dates.js';
import { TrellisError } from '../shared/errors.js';

/** Where a partner's current tier came from (the `memberships.source` column). */
export type MembershipSource =
  | 'earned'
  | 'invited'
  | 'status-match'
  | 'grandfathered'
  | 'manual'
  /** Carried from another vendor's program by a split (src/app/transfers). */
  | 'transfer';

export interface CurrentMembership {
  readonly tier: string;
  /** The day the partner has held this tier since. */
  readonly since: IsoDate;
  readonly source: MembershipSource;
  /** The tier may not be downgraded before this day (status match: the first year after the merge). */
  readonly grandfatheredUntil?: IsoDate | null;
}

export type TierAction = 'none' | 'upgrade' | 'downgrade' | 'hold';

export interface TierDecision {
  readonly action: TierAction;
  /** The tier the partner holds after the decision. */
  readonly tier: string;
  /** When `tier` applies from: asOf for a change, `since` for none/hold. */
  readonly effectiveFrom: IsoDate;
  /** For a hold: the first day the pending downgrade may take effect. */
  readonly downgradeFrom?: IsoDate;
  readonly reason: string;
}

export interface DecideTierChangeInput {
  readonly current: CurrentMembership;
  /** The evaluated tier (a code, or anything carrying `tier`, such as a TierEvaluation). */
  readonly evaluated: string | { readonly tier: string };
  readonly asOf: IsoDate;
  readonly policy: QualificationPolicy;
  /** Tier codes in rank order, floor first (program.tiers codes or evaluator.tierCodes). */
  readonly tiers: readonly string[];
  /** Whether asOf is the yearly audit; defaults to asOf falling on policy.auditDate. */
  readonly isAuditDate?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** True when the date falls on the month and day of the yearly audit. */
export function isAuditDay(date: IsoDate, auditDate: MonthDay): boolean {
  return date.slice(5, 10) === `${pad(auditDate.month)}-${pad(auditDate.day)}`;
}

/** The first audit date on or after `date`. */
export function nextAuditDate(date: IsoDate, auditDate: MonthDay): IsoDate {
  const year = Number(date.slice(0, 4));
  const candidate = `${year}-${pad(auditDate.month)}-${pad(auditDate.day)}`;
  return candidate >= date ? candidate : `${year + 1}-${pad(auditDate.month)}-${pad(auditDate.day)}`;
}

/**
 * What to do with a partner's tier given a fresh evaluation:
 * - a higher evaluated tier applies at once (upgrade, effective asOf);
 * - a lower one is held while the tier is protected: before `grandfatheredUntil`, and before
 *   `since + policy.grandfathering` (a tier reached or matched is kept at least that long);
 * - after that, under `immediately` the downgrade applies at once; under `at-audit` only on the yearly
 *   audit date (otherwise held, with the date it may apply from).
 * A downgrade goes straight to the evaluated tier, however many ranks lower.
 */
export function decideTierChange(input: DecideTierChangeInput): TierDecision {
  const { current, asOf, policy, tiers } = input;
  const target = typeof input.evaluated === 'string' ? input.evaluated : input.evaluated.tier;
  const from = tiers.indexOf(current.tier);
  const to = tiers.indexOf(target);
  if (to < 0) throw new TrellisError('invalid_input', `unknown evaluated tier "${target}"`);
  if (from < 0) {
    // The current tier is not in this program version (e.g. removed): take the evaluated tier.
    return {
      action: 'upgrade',
      tier: target,
      effectiveFrom: asOf,
      reason: `current tier "${current.tier}" is not a tier of this program; evaluated ${target} applies`,
    };
  }
  if (to === from)
    return {
      action: 'none',
      tier: current.tier,
      effectiveFrom: current.since,
      reason: `still qualifies for ${target}`,
    };
  if (to > from) {
    return {
      action: 'upgrade',
      tier: target,
      effectiveFrom: asOf,
      reason: `qualifies for ${target} (above ${current.tier}); upgrades apply at once`,
    };
  }
  // Downgrade: protected first.
  let protectedUntil: IsoDate | null = current.grandfatheredUntil ?? null;
  let protection = protectedUntil ? `grandfathered (${current.source}) until ${protectedUntil}` : '';
  if (policy.grandfathering) {
    const kept = addDuration(current.since, policy.grandfathering);
    if (protectedUntil === null || kept > protectedUntil) {
      protectedUntil = kept;
      protection = `a tier is kept at least until ${kept} (held since ${current.since})`;
    }
  }
  const hold = (downgradeFrom: IsoDate, why: string): TierDecision => ({
    action: 'hold',
    tier: current.tier,
    effectiveFrom: current.since,
    downgradeFrom,
    reason: `evaluated ${target}, below ${current.tier}: ${why}`,
  });
  const atAudit = policy.downgrade === 'at-audit';
  if (protectedUntil !== null && asOf < protectedUntil) {
    const first = atAudit ? nextAuditDate(protectedUntil, policy.auditDate) : protectedUntil;
    return hold(first, `${protection}; no downgrade before ${first}`);
  }
  if (atAudit) {
    const audit = input.isAuditDate ?? isAuditDay(asOf, policy.auditDate);
    if (!audit) {
      const next = nextAuditDate(asOf, policy.auditDate);
      return hold(next, `downgrades wait for the yearly audit (${next})`);
    }
    return {
      action: 'downgrade',
      tier: target,
      effectiveFrom: asOf,
      reason: `no longer qualifies for ${current.tier}; downgraded to ${target} at the yearly audit`,
    };
  }
  return {
    action: 'downgrade',
    tier: target,
    effectiveFrom: asOf,
    reason: `no longer qualifies for ${current.tier}; downgraded to ${target} (downgrades apply immediately)`,
  };
}
