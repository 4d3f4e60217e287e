import type { MonthDay, IsoDate, QualificationPolicy } from '../programs/types.js';
import { day, message, renderEnglish, type Message } from '../messages/message.js';
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
  /** Why, in English (`reasonMessage`'s text). */
  readonly reason: string;
  /** Why, as a message the app translates. */
  readonly reasonMessage: Message;
}

/** A decision with its reason, in English and as a message. */
function decided(d: Omit<TierDecision, 'reason' | 'reasonMessage'>, reason: Message): TierDecision {
  return { ...d, reason: renderEnglish(reason), reasonMessage: reason };
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
    return decided(
      { action: 'upgrade', tier: target, effectiveFrom: asOf },
      message('tiers.unknownCurrent', { current: current.tier, target }),
    );
  }
  if (to === from)
    return decided(
      { action: 'none', tier: current.tier, effectiveFrom: current.since },
      message('tiers.stillQualifies', { target }),
    );
  if (to > from) {
    return decided(
      { action: 'upgrade', tier: target, effectiveFrom: asOf },
      message('tiers.upgrade', { target, current: current.tier }),
    );
  }
  // Downgrade: protected first.
  let protectedUntil: IsoDate | null = current.grandfatheredUntil ?? null;
  let protection: Message | null = protectedUntil
    ? message('tiers.grandfathered', { source: current.source, until: day(protectedUntil) })
    : null;
  if (policy.grandfathering) {
    const kept = addDuration(current.since, policy.grandfathering);
    if (protectedUntil === null || kept > protectedUntil) {
      protectedUntil = kept;
      protection = message('tiers.keptUntil', { kept: day(kept), since: day(current.since) });
    }
  }
  const hold = (downgradeFrom: IsoDate, why: Message): TierDecision =>
    decided(
      { action: 'hold', tier: current.tier, effectiveFrom: current.since, downgradeFrom },
      message('tiers.hold', { target, current: current.tier, why: { message: why } }),
    );
  const atAudit = policy.downgrade === 'at-audit';
  if (protectedUntil !== null && asOf < protectedUntil) {
    const first = atAudit ? nextAuditDate(protectedUntil, policy.auditDate) : protectedUntil;
    return hold(
      first,
      message('tiers.holdProtected', {
        protection: protection ? { message: protection } : '',
        first: day(first),
      }),
    );
  }
  if (atAudit) {
    const audit = input.isAuditDate ?? isAuditDay(asOf, policy.auditDate);
    if (!audit) {
      const next = nextAuditDate(asOf, policy.auditDate);
      return hold(next, message('tiers.holdAudit', { next: day(next) }));
    }
    return decided(
      { action: 'downgrade', tier: target, effectiveFrom: asOf },
      message('tiers.downgradeAudit', { current: current.tier, target }),
    );
  }
  return decided(
    { action: 'downgrade', tier: target, effectiveFrom: asOf },
    message('tiers.downgrade', { current: current.tier, target }),
  );
}
