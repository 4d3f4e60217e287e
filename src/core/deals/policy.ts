import type { Money } from '../money/money.js';
import { addMoney, formatMoney, money } from '../money/money.js';
import type { ProductFamily } from '../model/catalog.js';
import type { Region, Segment } from '../model/geography.js';
import { addDays } from '../programs/dates.js';
import type { DealRegistrationPolicy, DealSizeRule, IsoDate } from '../programs/types.js';
import { TrellisError } from '../shared/errors.js';

/**
 * The deal-registration policy of a program file, as pure functions: minimum deal sizes, review due
 * times, protection end dates and extensions. No clock: callers pass the instants and days. The rules
 * chosen where the file is silent are in ./README.md.
 */

export interface DealSizeQuery {
  /** null = unknown: only rules without a region match. */
  readonly region: Region | null;
  readonly segment: Segment | null;
  readonly family: ProductFamily | null;
}

export interface DealSizeMinimum {
  readonly minimum: Money;
  /** The rule that set it; null = `minimumDealSize.default`. */
  readonly rule: DealSizeRule | null;
}

function specificity(rule: DealSizeRule): number {
  return (rule.region === null ? 0 : 1) + (rule.segment === null ? 0 : 1) + (rule.family === null ? 0 : 1);
}

function matches(rule: DealSizeRule, q: DealSizeQuery): boolean {
  return (
    (rule.region === null || rule.region === q.region) &&
    (rule.segment === null || rule.segment === q.segment) &&
    (rule.family === null || rule.family === q.family)
  );
}

/**
 * The minimum deal size for a region, segment and family: of the rules whose every stated field equals
 * the query's (a rule's null field matches anything; a query's null matches only a rule's null), the
 * one stating the most fields; ties: the first in the file. No rule matches: the default.
 */
export function minimumDealSize(
  policy: Pick<DealRegistrationPolicy, 'minimumDealSize'>,
  query: DealSizeQuery,
): DealSizeMinimum {
  let best: DealSizeRule | null = null;
  for (const rule of policy.minimumDealSize.rules) {
    if (!matches(rule, query)) continue;
    if (best === null || specificity(rule) > specificity(best)) best = rule;
  }
  return best === null
    ? { minimum: policy.minimumDealSize.default, rule: null }
    : { minimum: best.minimum, rule: best };
}

export interface RegistrationLine {
  readonly family: ProductFamily;
  readonly amount: Money;
}

export interface MinimumProblem {
  /** The family whose amount is short; null = the deal total. */
  readonly family: ProductFamily | null;
  /** What the registration holds: the family's lines summed, or the deal total. */
  readonly amount: Money;
  readonly minimum: Money;
  /** The rule that set the minimum; null = the default. */
  readonly rule: DealSizeRule | null;
  /** For the partner, e.g. "storage: USD 8,000.00 is below the minimum of USD 10,000.00 (na, commercial, storage)". */
  readonly message: string;
}

function ruleText(rule: DealSizeRule | null): string {
  if (rule === null) return 'the default';
  return [rule.region, rule.segment, rule.family].filter((x) => x !== null).join(', ');
}

/**
 * Checks a registration against the minimum deal sizes (README: "Minimum deal size"):
 *
 * 1. the deal total (all lines) must reach the minimum for (region, segment, family null);
 * 2. each family whose minimum (query with that family) comes from a rule naming that family must reach
 *    it with the sum of its lines; a family whose minimum is a family-less rule or the default is only
 *    measured through the total (so a small services line does not sink a large storage deal).
 *
 * Returns the problems (empty = the registration is large enough): the total first, then families in
 * the order they first appear. Amounts must all be in one currency, the one of every minimum they are
 * compared with (convert first); anything else is `invalid_input`.
 */
export function registrationMinimumCheck(
  policy: Pick<DealRegistrationPolicy, 'minimumDealSize'>,
  deal: {
    readonly region: Region | null;
    readonly segment: Segment | null;
    readonly lines: readonly RegistrationLine[];
  },
): MinimumProblem[] {
  const dealMin = minimumDealSize(policy, { region: deal.region, segment: deal.segment, family: null });
  const currency = deal.lines[0]?.amount.currency ?? dealMin.minimum.currency;
  const byFamily = new Map<ProductFamily, Money>();
  let total = money(0, currency);
  deal.lines.forEach((line, i) => {
    if (line.amount.currency !== currency) {
      throw new TrellisError(
        'invalid_input',
        `registration lines in ${currency} and ${line.amount.currency}`,
        [{ location: `/lines/${i}/amount`, message: `expected ${currency}, as the other lines` }],
      );
    }
    byFamily.set(line.family, addMoney(byFamily.get(line.family) ?? money(0, currency), line.amount));
    total = addMoney(total, line.amount);
  });
  const short = (family: ProductFamily | null, amount: Money, found: DealSizeMinimum): MinimumProblem[] => {
    if (found.minimum.currency !== currency) {
      throw new TrellisError(
        'invalid_input',
        `the minimum deal size (${ruleText(found.rule)}) is in ${found.minimum.currency}; convert the registration's ${currency} amounts first`,
      );
    }
    if (amount.amountMinor >= found.minimum.amountMinor) return [];
    const what = family === null ? 'deal total' : family;
    return [
      {
        family,
        amount,
        minimum: found.minimum,
        rule: found.rule,
        message: `${what}: ${formatMoney(amount)} is below the minimum of ${formatMoney(found.minimum)} (${ruleText(found.rule)})`,
      },
    ];
  };
  const problems = short(null, total, dealMin);
  for (const [family, amount] of byFamily) {
    const found = minimumDealSize(policy, { region: deal.region, segment: deal.segment, family });
    if (found.rule?.family !== family) continue;
    problems.push(...short(family, amount, found));
  }
  return problems;
}

/** The review SLA of a region in hours: `byRegion`, else `default`. */
export function reviewSlaHours(
  policy: Pick<DealRegistrationPolicy, 'reviewSlaHours'>,
  region: Region | null,
): number {
  return (
    (region === null ? undefined : policy.reviewSlaHours.byRegion[region]) ?? policy.reviewSlaHours.default
  );
}

/**
 * When the review of a submission is due: submittedAt + the region's SLA in clock hours (around the
 * clock, weekends and holidays included; fractions of an hour to the millisecond).
 */
export function reviewDueAt(
  policy: Pick<DealRegistrationPolicy, 'reviewSlaHours'>,
  region: Region | null,
  submittedAt: Date,
): Date {
  return new Date(submittedAt.getTime() + Math.round(reviewSlaHours(policy, region) * 3_600_000));
}

/** A review not decided before its due time is breached: at the due instant itself it is. */
export function isReviewOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() >= dueAt.getTime();
}

function checkExtensions(extensionsGranted: number): void {
  if (!Number.isSafeInteger(extensionsGranted) || extensionsGranted < 0) {
    throw new TrellisError(
      'invalid_input',
      `extensionsGranted must be a whole number >= 0, got ${extensionsGranted}`,
    );
  }
}

/**
 * The last protected day: approved on D with N protection days and k extensions of E days, protected
 * from D through D + N + k x E - 1 inclusive (UTC days); protection ends at 00:00 UTC the day after.
 * Counts the extensions granted, even past a later program's `maxCount`.
 */
export function protectionEndsOn(
  policy: Pick<DealRegistrationPolicy, 'protectionDays' | 'extensions'>,
  approvedOn: IsoDate,
  extensionsGranted: number,
): IsoDate {
  checkExtensions(extensionsGranted);
  return addDays(approvedOn, policy.protectionDays + extensionsGranted * policy.extensions.days - 1);
}

/** The instant protection ends: 00:00 UTC the day after `protectionEndsOn`. */
export function protectionExpiresAt(
  policy: Pick<DealRegistrationPolicy, 'protectionDays' | 'extensions'>,
  approvedOn: IsoDate,
  extensionsGranted: number,
): Date {
  return new Date(`${addDays(protectionEndsOn(policy, approvedOn, extensionsGranted), 1)}T00:00:00.000Z`);
}

export type ExtensionEligibility =
  | { readonly allowed: true; readonly remaining: number; readonly days: number }
  | {
      readonly allowed: false;
      readonly reason: 'extensions-not-on-request' | 'extension-limit-reached';
      readonly maxCount: number;
      readonly message: string;
    };

/**
 * Whether the partner may ask for one more extension, by the policy alone (the registration's state,
 * e.g. approved and not yet expired, is the caller's to check). `remaining` counts this one.
 */
export function canRequestExtension(
  policy: Pick<DealRegistrationPolicy, 'extensions'>,
  extensionsGranted: number,
): ExtensionEligibility {
  checkExtensions(extensionsGranted);
  const { maxCount, days, onRequest } = policy.extensions;
  if (!onRequest) {
    return {
      allowed: false,
      reason: 'extensions-not-on-request',
      maxCount,
      message: 'this program does not take extension requests',
    };
  }
  if (extensionsGranted >= maxCount) {
    return {
      allowed: false,
      reason: 'extension-limit-reached',
      maxCount,
      message: `${extensionsGranted} of at most ${maxCount} extension(s) already granted`,
    };
  }
  return { allowed: true, remaining: maxCount - extensionsGranted, days };
}
