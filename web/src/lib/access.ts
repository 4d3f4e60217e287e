/**
 * Who is signed in (GET /api/me) and what the app offers them. The API decides every request (it answers
 * 403 outside a role) and tells the app what the person may do (`me.can`, computed by the same policy the
 * routes ask: src/core/access/capabilities.ts); these helpers only read it, so the app never mirrors the
 * policy.
 */
import type { Schema } from '../api/types';

export type Me = Schema<'Me'>;
export type Capability = keyof Me['can'];

/** Whether `me` may do `capability` (false while unknown or signed out). */
export function can(me: Me | null | undefined, capability: Capability): boolean {
  return me?.can[capability] ?? false;
}

export function hasRole(me: Me | null | undefined, ...roles: readonly string[]): boolean {
  return me ? me.roles.some((r) => roles.includes(r)) : false;
}

/** Vendor people: the vendor's books (closes, budget pools) and the vendor's view of statements and disputes. */
export function isVendorReader(me: Me | null | undefined): boolean {
  return can(me, 'readVendorBooks');
}

/** Statements and disputes: vendor readers, and a partner's admins (or a distributor) for their own. */
export function canReadSettlement(me: Me | null | undefined): boolean {
  return can(me, 'readSettlement');
}

/** Issue, approve and pay statements, close periods, decide disputes: vendor admins. */
export function canManageSettlement(me: Me | null | undefined): boolean {
  return can(me, 'manageSettlement');
}

/** Open a dispute on a line of one's own statement: a partner's admins and distributors. */
export function canOpenDisputes(me: Me | null | undefined): boolean {
  return can(me, 'openDisputes');
}

/** Register deals and follow them: a partner's admins and sales reps. */
export function canRegisterDeals(me: Me | null | undefined): boolean {
  return can(me, 'registerDeals');
}

/** Review deal registrations and work the abuse queue: vendor admins and channel managers. */
export function canReviewDeals(me: Me | null | undefined): boolean {
  return can(me, 'reviewDeals');
}

/** Coverage, the direct-named list and the routing log: the vendor's readers. */
export function canReadEngagement(me: Me | null | undefined): boolean {
  return can(me, 'readEngagement');
}

/** Add and remove direct-named accounts: vendor admins. */
export function canManageNamedAccounts(me: Me | null | undefined): boolean {
  return can(me, 'manageNamedAccounts');
}

/** The offers inbox (accept, decline) and the partner's own accounts: a partner's admins and sales reps. */
export function canAnswerOffers(me: Me | null | undefined): boolean {
  return can(me, 'answerOffers');
}

/**
 * Vendor agreements: a party's vendor people (the API shows a vendor only those it is party to) and a
 * partner's people (those binding a program it is enrolled in).
 */
export function canReadAgreements(me: Me | null | undefined): boolean {
  return can(me, 'readAgreements');
}

/** Program transfers (splits, merges) of one's vendor: its admins and auditors (read-only here). */
export function canReadTransfers(me: Me | null | undefined): boolean {
  return can(me, 'readTransfers');
}

/** Simulations of draft programs: the vendor's admins and channel managers with the whole vendor in view. */
export function canSimulate(me: Me | null | undefined): boolean {
  return can(me, 'simulate');
}

/** Market development funds: a partner's own funds and activities; the vendor's queues and reports. */
export function canReadMdf(me: Me | null | undefined): boolean {
  return can(me, 'readMdf');
}

/**
 * The server's health and what it holds (/system): operators (signed in without a vendor or a partner)
 * and vendor admins; never anyone's landing page.
 */
export function canReadSystem(me: Me | null | undefined): boolean {
  return me != null && ((me.vendorId == null && me.partnerId == null) || hasRole(me, 'vendor-admin'));
}

/** A link of the main navigation: where it goes and the key of its text (`nav.*` in web/src/i18n). */
export type NavEntry = readonly [href: string, labelKey: `nav.${string}`];

export const BASE_NAV: readonly NavEntry[] = [
  ['/', 'nav.overview'],
  ['/programs', 'nav.programs'],
  ['/partners', 'nav.partners'],
  ['/customers', 'nav.customers'],
  ['/orders', 'nav.orders'],
  ['/products', 'nav.products'],
];

/** The main navigation for `me` (null while unknown or signed out: the entries everyone has). */
export function navEntries(me: Me | null | undefined): readonly NavEntry[] {
  const extra: NavEntry[] = [];
  if (canReadSettlement(me)) extra.push(['/statements', 'nav.statements'], ['/disputes', 'nav.disputes']);
  if (isVendorReader(me)) extra.push(['/closes', 'nav.closes']);
  if (canRegisterDeals(me)) extra.push(['/deals', 'nav.deals']);
  // The abuse queue (/deal-flags) is linked from the review queue, keeping the bar on one line.
  if (canReviewDeals(me)) extra.push(['/deal-reviews', 'nav.dealReviews']);
  if (canReadEngagement(me))
    extra.push(
      ['/coverage', 'nav.coverage'],
      ['/direct-accounts', 'nav.directAccounts'],
      ['/routing', 'nav.routing'],
    );
  if (canAnswerOffers(me)) extra.push(['/offers', 'nav.offers'], ['/my-accounts', 'nav.myAccounts']);
  if (canReadAgreements(me)) extra.push(['/agreements', 'nav.agreements']);
  if (canReadTransfers(me)) extra.push(['/transfers', 'nav.transfers']);
  if (canSimulate(me)) extra.push(['/simulations', 'nav.simulations']);
  if (canReadMdf(me)) extra.push(['/mdf', 'nav.mdf']);
  return [...BASE_NAV, ...extra];
}
