import { normalizeName } from '../matching/normalize.js';
import { day, list, message, money, percent, renderEnglish, type Message } from '../messages/message.js';
import { applyRate } from '../money/rate.js';
import { addDuration } from '../programs/dates.js';
import type { Duration, IsoDate, SolutionReward } from '../programs/types.js';
import { allocateFunding, type FundedPart } from './funding.js';

/**
 * Cross-vendor solution rewards, pure. The facts are the smallest the parties share: for one partner and
 * one customer, which party sold which required family on which day (and, for the reward's base, the
 * amount of each such line). Customers are per vendor, so a customer is matched across vendors by
 * `customerMatchKey`: its country and its normalised name (core/matching: case, accents, legal forms,
 * abbreviations and fillers removed), e.g. "Acme Corp." and "ACME Corporation" in FR meet, the same name
 * in DE does not.
 */
export function customerMatchKey(name: string, country: string): string {
  return `${country.toUpperCase()}:${normalizeName(name, country).text}`;
}

/** One qualifying line: a required family of a required party, sold by the partner to the customer. */
export interface SolutionPurchase {
  /** The party's vendor slug. */
  readonly party: string;
  readonly lineId: string;
  readonly day: IsoDate;
  readonly family: string;
  readonly amountMinor: number;
}

export interface SolutionSet {
  /** The first purchase's day. */
  readonly startDay: IsoDate;
  /** The day the last required party's purchase completed the set. */
  readonly completedOn: IsoDate;
  readonly purchases: readonly SolutionPurchase[];
}

/**
 * The solution sets of one partner and customer, greedily in time: a set opens with the earliest purchase
 * not yet in a set, and completes on the first day on which every required party has a purchase on or
 * after the set's first day and before that day + window; it then holds every qualifying purchase from its
 * first day to its completion day. Purchases that cannot complete a set in time drop out (the set's first
 * day moves on to the next purchase). The next set opens after the completion day. Deterministic: the
 * same purchases give the same sets whatever their order.
 */
export function solutionSets(
  purchases: readonly SolutionPurchase[],
  requiredParties: readonly string[],
  window: Duration,
): SolutionSet[] {
  const sorted = [...purchases].sort((a, b) =>
    a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0,
  );
  const sets: SolutionSet[] = [];
  let start = 0;
  let i = 0;
  while (i < sorted.length) {
    const day = (sorted[i] as SolutionPurchase).day;
    let end = i;
    while (end < sorted.length && (sorted[end] as SolutionPurchase).day === day) end++;
    // The set's first purchase must be recent enough that `day` is inside its window.
    while (start < end && addDuration((sorted[start] as SolutionPurchase).day, window) <= day) start++;
    const inSet = sorted.slice(start, end);
    const parties = new Set(inSet.map((p) => p.party));
    if (requiredParties.every((r) => parties.has(r))) {
      sets.push({ startDay: (inSet[0] as SolutionPurchase).day, completedOn: day, purchases: inSet });
      start = end;
    }
    i = end;
  }
  return sets;
}

export interface SolutionRewardComputed {
  readonly baseMinor: number;
  readonly rewardMinor: number;
  readonly parts: readonly FundedPart[];
}

/** The reward of a set: the agreement's points on the set's revenue, split between its funders. */
export function rewardOf(
  set: SolutionSet,
  terms: Pick<SolutionReward, 'points' | 'funding'>,
): SolutionRewardComputed {
  const baseMinor = set.purchases.reduce((s, p) => s + p.amountMinor, 0);
  const rewardMinor = applyRate(baseMinor, terms.points);
  return { baseMinor, rewardMinor, parts: allocateFunding(rewardMinor, terms.funding) };
}

/** How the window reads in a sentence ("90 days", "3 months"). */
export function windowText(w: Duration): string {
  const parts: string[] = [];
  if (w.months > 0) parts.push(`${w.months} month${w.months === 1 ? '' : 's'}`);
  if (w.days > 0) parts.push(`${w.days} day${w.days === 1 ? '' : 's'}`);
  return parts.join(' and ') || '0 days';
}

/** The window as a message ("90 days", "3 months", "1 month and 10 days"). */
export function windowMessage(w: Duration): Message {
  const months = message('agreements.months', { count: w.months });
  const days = message('agreements.days', { count: w.days });
  if (w.months > 0 && w.days > 0)
    return message('agreements.monthsAndDays', { months: { message: months }, days: { message: days } });
  return w.months > 0 ? months : days;
}

export interface FunderExplanationInput {
  agreementName: string;
  agreementCode: string;
  funder: string;
  points: number;
  window: Duration;
  completedOn: IsoDate;
  ownPurchases: readonly SolutionPurchase[];
  part: FundedPart;
  currency: string;
}

/**
 * The sentence on a funder's ledger line (seen by that vendor and the partner): the funder's own lines and
 * amounts, and the other parties' part only as "a qualifying purchase from another party to the agreement
 * within N days": never their order ids, products, families or amounts. As a message the app translates.
 */
export function funderMessage(input: FunderExplanationInput): Message {
  const own = input.ownPurchases;
  const ownMinor = own.reduce((s, p) => s + p.amountMinor, 0);
  const families = [...new Set(own.map((p) => p.family))].sort();
  const yours =
    own.length === 0
      ? message('agreements.noLineOfYours')
      : message('agreements.yours', {
          count: own.length,
          families: list(families),
          lines: list(own.map((p) => p.lineId)),
          amount: money(ownMinor, input.currency),
        });
  return message('agreements.solutionReward', {
    agreement: input.agreementName,
    code: input.agreementCode,
    points: percent(input.points),
    completedOn: day(input.completedOn),
    yours: { message: yours },
    window: { message: windowMessage(input.window) },
    funder: input.funder,
    shareWhole: Math.trunc(input.part.basisPoints / 100),
    shareCents: String(input.part.basisPoints % 100).padStart(2, '0'),
    amount: money(input.part.amountMinor, input.currency),
  });
}

/** `funderMessage` in English (the ledger line's and the reward's text). */
export function funderExplanation(input: FunderExplanationInput): string {
  return renderEnglish(funderMessage(input));
}
