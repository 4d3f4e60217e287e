import type { Role } from '../model/people.js';
import { actorRoles, TOKEN_SCOPES, type Actor, type TokenScope } from './actor.js';
import type { Scope } from './scope.js';

/**
 * The one place that answers "may this actor do this to this kind of record, and within which scope".
 * Routes declare a Permission; the HTTP layer asks authorize() before the handler runs and passes the
 * returned scope to the use case, whose queries can only see rows inside it.
 */
export const RESOURCES = [
  'vendor',
  'program',
  'partner',
  'product',
  'customer',
  'order',
  'audit',
  'token',
  'certification',
  'membership',
  'earning',
  'close',
  'statement',
  'dispute',
  'job',
  'deal',
  'deal-flag',
  'coverage',
  'named-account',
  'routing',
  'offer',
  'agreement',
  'transfer',
  'simulation',
  'sso',
  'webhook',
  'mdf',
  'file',
  'exchange-rate',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = ['read', 'write', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Permission {
  resource: Resource;
  action: Action;
}

export type Decision =
  | { allowed: true; scope: Scope }
  | { allowed: false; status: 'unauthenticated' | 'forbidden'; reason: string };

const VENDOR_READERS: readonly Role[] = ['vendor-admin', 'channel-manager', 'auditor'];
const PARTNER_READERS: readonly Role[] = ['partner-admin', 'partner-sales-rep', 'distributor'];
const EVERYONE: readonly Role[] = [...VENDOR_READERS, ...PARTNER_READERS];

/** Which roles may take each action on each resource. Anything absent is refused. */
const MATRIX: Record<Resource, Partial<Record<Action, readonly Role[]>>> = {
  vendor: { read: EVERYONE },
  program: { read: EVERYONE },
  // The catalogue: everyone reads; vendor admins add products (with their licensing and solution).
  product: { read: EVERYONE, write: ['vendor-admin'] },
  // A partner's payout currency (per enrolment): its admins (a distributor's) and the vendor's admins set it.
  partner: { read: EVERYONE, manage: ['vendor-admin', 'partner-admin', 'distributor'] },
  customer: { read: EVERYONE },
  order: { read: EVERYONE, write: ['vendor-admin', 'distributor'] },
  audit: { read: ['vendor-admin', 'auditor'] },
  token: { read: ['vendor-admin', 'partner-admin'], manage: ['vendor-admin', 'partner-admin'] },
  // Vendors grant certifications; partners read their own people's.
  certification: { read: EVERYONE, write: ['vendor-admin', 'channel-manager'] },
  // Tier standing: everyone reads what is in scope; vendor admins run evaluations and grant statuses.
  membership: { read: EVERYONE, write: ['vendor-admin'], manage: ['vendor-admin'] },
  // Earnings are read in scope: a partner its own, a vendor those it owes.
  earning: { read: EVERYONE },
  // Period closes and budget pools are the vendor's books; admins close.
  close: { read: VENDOR_READERS, write: ['vendor-admin'] },
  // Statements: the vendor issues, approves and pays; a partner's admins read their own once issued.
  statement: { read: [...VENDOR_READERS, 'partner-admin', 'distributor'], write: ['vendor-admin'] },
  // Disputes: a partner's admins open them on their statements; vendor admins decide.
  dispute: {
    read: [...VENDOR_READERS, 'partner-admin', 'distributor'],
    write: ['partner-admin', 'distributor'],
    manage: ['vendor-admin'],
  },
  // Background jobs are read in scope: a vendor's its vendor's, a partner's those it started.
  job: { read: EVERYONE },
  // Deal registrations: a partner's admins and sales reps register (a rep sees only its own); the vendor's
  // admins and channel managers (in their regions) review; auditors read.
  deal: {
    read: EVERYONE,
    write: ['partner-admin', 'partner-sales-rep'],
    manage: ['vendor-admin', 'channel-manager'],
  },
  // Abuse flags raised by the deal-registration checks: the vendor's queue only.
  'deal-flag': { read: VENDOR_READERS, manage: ['vendor-admin', 'channel-manager'] },
  // Rules of engagement: the vendor reads every account's coverage (a partner, the accounts it sold to);
  // vendor admins manage the direct-named list; the routing log is the vendor's; a partner's admins and
  // sales reps answer the offers routed to it; vendor admins run the lapse sweep.
  coverage: { read: [...VENDOR_READERS, 'partner-admin', 'partner-sales-rep'], manage: ['vendor-admin'] },
  'named-account': { read: VENDOR_READERS, manage: ['vendor-admin'] },
  routing: { read: VENDOR_READERS, manage: ['vendor-admin'] },
  offer: {
    read: [...VENDOR_READERS, 'partner-admin', 'partner-sales-rep'],
    write: ['partner-admin', 'partner-sales-rep'],
  },
  // Vendor agreements: a party's people read it (its own funding and rewards), a partner the agreements
  // binding its programs (its own rewards); a party's vendor admins give notice (signed in: no token).
  agreement: { read: EVERYONE, manage: ['vendor-admin'] },
  // Program transfers (splits and merges) move partners between vendors' programs: the admins and
  // auditors of every vendor a transfer concerns read it (the repository keeps to those vendors); a
  // vendor admin starts one within the rules of src/app/transfers (a split: the source vendor's admin
  // under an agreement by which the target consented; a merge: the target's admin over its own legacy
  // programs); the platform operator (the CLI) runs any. No API token may start one (no token scope).
  transfer: { read: ['vendor-admin', 'auditor'], manage: ['vendor-admin'] },
  // Simulations of draft programs against the vendor's history: its admins and channel managers run and
  // read them (the use case refuses people limited to some regions: a simulation is vendor-wide).
  simulation: {
    read: ['vendor-admin', 'channel-manager'],
    write: ['vendor-admin', 'channel-manager'],
  },
  // Single sign-on: an organisation's admins read and manage its identity provider (signed in: no token
  // scope opens it, as it decides who may sign in).
  sso: { read: ['vendor-admin', 'partner-admin'], manage: ['vendor-admin', 'partner-admin'] },
  // Webhook endpoints: a vendor's admins register them for the vendor's events, a partner's admins for
  // the events about their partner (src/app/webhooks). Signed-in admins only: no token scope manages them.
  webhook: { read: ['vendor-admin', 'partner-admin'], manage: ['vendor-admin', 'partner-admin'] },
  // Market development funds: a partner's admins (and a distributor's) propose, claim, withdraw and link
  // their activities and read their funds; the vendor's admins and channel managers (in their regions)
  // pre-approve, refuse, approve and reject, and admins run the expiry; auditors read.
  mdf: {
    read: [...VENDOR_READERS, 'partner-admin', 'distributor'],
    write: ['partner-admin', 'distributor'],
    manage: ['vendor-admin', 'channel-manager'],
  },
  // Stored files (proof of MDF claims): read in scope (a partner its own partner's, a vendor its vendor's)
  // by those who see MDF; uploaded by the people who make claims and by the vendor's admins and channel
  // managers (src/app/files).
  // A sales rep has no MDF access: neither the claims' proof nor uploading it.
  file: {
    read: [...VENDOR_READERS, 'partner-admin', 'distributor'],
    write: ['vendor-admin', 'channel-manager', 'partner-admin', 'distributor'],
  },
  // Exchange rates by day (issue 17): the vendor's treasury data. Its readers read them and check
  // conversions; its admins load and replace them (src/app/currencies/rates.ts). Partners never see them.
  'exchange-rate': { read: VENDOR_READERS, write: ['vendor-admin'] },
};

/**
 * The token scope each write needs; every read needs `read`. A permission absent here is never a token's
 * (managing tokens needs a signed-in admin). Each scope of TOKEN_SCOPES opens at least one permission.
 */
const TOKEN_SCOPE_FOR: Partial<Record<Resource, Partial<Record<Exclude<Action, 'read'>, TokenScope>>>> = {
  order: { write: 'orders:write' },
  product: { write: 'catalogue:write' },
  certification: { write: 'certifications:write' },
  membership: { write: 'tiers:write', manage: 'tiers:write' },
  close: { write: 'settlement:write' },
  simulation: { write: 'settlement:write' },
  statement: { write: 'settlement:write' },
  partner: { manage: 'settlement:write' },
  dispute: { write: 'disputes:write', manage: 'disputes:write' },
  deal: { write: 'deals:write', manage: 'deals:write' },
  'deal-flag': { manage: 'deals:write' },
  coverage: { manage: 'engagement:write' },
  'named-account': { manage: 'engagement:write' },
  routing: { manage: 'engagement:write' },
  offer: { write: 'engagement:write' },
  file: { write: 'files:write' },
  // Rates feed settlement (statements paid in other currencies): the treasury integration's scope.
  'exchange-rate': { write: 'settlement:write' },
};

/** The token scope a permission needs, or null when no token may have it. */
export function tokenScopeFor(permission: Permission): TokenScope | null {
  if (permission.action === 'read') return 'read';
  return TOKEN_SCOPE_FOR[permission.resource]?.[permission.action] ?? null;
}

/** The scopes that do something for a token acting with `role`: those of permissions the role holds. */
export function tokenScopesOf(role: Role): TokenScope[] {
  const held = new Set<TokenScope>();
  for (const resource of RESOURCES)
    for (const action of ACTIONS) {
      if (!(MATRIX[resource][action] ?? []).includes(role)) continue;
      const scope = tokenScopeFor({ resource, action });
      if (scope) held.add(scope);
    }
  return TOKEN_SCOPES.filter((s) => held.has(s));
}

export function authorize(actor: Actor | null, permission: Permission): Decision {
  if (!actor) return { allowed: false, status: 'unauthenticated', reason: 'sign in or send an API token' };
  const allowedRoles = MATRIX[permission.resource][permission.action] ?? [];
  const roles = actorRoles(actor);
  if (!roles.some((r) => allowedRoles.includes(r))) {
    return {
      allowed: false,
      status: 'forbidden',
      reason: `your role (${roles.join(', ') || 'none'}) may not ${permission.action} ${permission.resource} records`,
    };
  }
  if (actor.kind === 'token') {
    if (permission.resource === 'token' && permission.action === 'manage')
      return {
        allowed: false,
        status: 'forbidden',
        reason: 'API tokens cannot manage API tokens; sign in as an admin',
      };
    const needed = tokenScopeFor(permission);
    if (!needed)
      return {
        allowed: false,
        status: 'forbidden',
        reason: `API tokens cannot ${permission.action} ${permission.resource} records; sign in`,
      };
    // A token follows the jobs it starts (an import with only orders:write); without `read` it sees only
    // those (the jobs routes narrow to them).
    const ownJobs = permission.resource === 'job' && permission.action === 'read';
    if (!ownJobs && !actor.scopes.includes(needed))
      return { allowed: false, status: 'forbidden', reason: `this token lacks the "${needed}" scope` };
  }
  const scope = scopeOf(actor);
  if (!scope)
    return { allowed: false, status: 'forbidden', reason: 'this account belongs to no vendor or partner' };
  return { allowed: true, scope };
}

/** The data scope of an actor: its vendor (with regions for channel managers) or its partner. */
export function scopeOf(actor: Actor): Scope | null {
  const roles = actorRoles(actor);
  if (actor.vendorId) {
    const limited =
      actor.kind === 'person' &&
      roles.includes('channel-manager') &&
      !roles.includes('vendor-admin') &&
      !roles.includes('auditor');
    return { kind: 'vendor', vendorId: actor.vendorId, regions: limited ? actor.regions : [] };
  }
  if (actor.partnerId) {
    // A sales rep sees the deals it owns; an admin (or distributor) sees all of its company's.
    const ownerOnly = roles.includes('partner-sales-rep') && !roles.includes('partner-admin');
    return {
      kind: 'partner',
      partnerId: actor.partnerId,
      ownerPersonId: ownerOnly && actor.kind === 'person' ? actor.personId : null,
    };
  }
  return null;
}

/**
 * Whether a caller may read a summary of a partner's standing (tier progress, earnings). A summary adds up
 * the partner's whole business, including what never involved the caller, so another partner never reads
 * it, not even a distributor about the resellers it supplies (it sees their shared orders instead). Vendors
 * read the summaries of their partners (the partner lookup keeps regions and enrolments).
 */
export function readsStandingOf(scope: Scope, partnerId: string): boolean {
  return scope.kind !== 'partner' || scope.partnerId === partnerId;
}

/** A record as the policy sees it: who owns it and who is involved in it. */
export interface RecordRef {
  vendorId: string | null;
  /** Partners involved (reseller, distributor, the partner itself). */
  partnerIds: readonly string[];
  ownerPersonId?: string | null;
  region?: string | null;
}

/** Whether a record lies inside a scope; the same rule the repositories apply in SQL. */
export function inScope(scope: Scope, record: RecordRef): boolean {
  switch (scope.kind) {
    case 'system':
      return true;
    case 'vendor':
      return (
        record.vendorId === scope.vendorId &&
        (scope.regions.length === 0 || record.region == null || scope.regions.includes(record.region))
      );
    case 'partner':
      return (
        record.partnerIds.includes(scope.partnerId) &&
        (scope.ownerPersonId === null ||
          record.ownerPersonId == null ||
          record.ownerPersonId === scope.ownerPersonId)
      );
  }
}
