import type { Role } from '../model/people.js';

/**
 * What an API token may do. `read` reads; each write scope allows one kind of write (the permissions each
 * opens are listed in `TOKEN_SCOPE_FOR`, src/core/access/policy.ts). A scope that opens nothing is not here.
 */
export const TOKEN_SCOPES = [
  'read',
  'orders:write',
  'certifications:write',
  'tiers:write',
  'settlement:write',
  'disputes:write',
  'deals:write',
  'engagement:write',
  'catalogue:write',
  'files:write',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A signed-in person, through a session cookie. */
export interface PersonActor {
  kind: 'person';
  personId: string;
  sessionId: string;
  email: string;
  name: string;
  vendorId: string | null;
  partnerId: string | null;
  roles: readonly Role[];
  /** For channel managers limited to sales regions; empty = every region. */
  regions: readonly string[];
}

/** An integration calling with `Authorization: Bearer`; it acts with one role and its scopes. */
export interface TokenActor {
  kind: 'token';
  tokenId: string;
  vendorId: string | null;
  partnerId: string | null;
  role: Role;
  scopes: readonly TokenScope[];
}

export type Actor = PersonActor | TokenActor;

export function actorRoles(actor: Actor): readonly Role[] {
  return actor.kind === 'person' ? actor.roles : [actor.role];
}

/** Roles from the strongest to the weakest. */
export const ROLE_STRENGTH: readonly Role[] = [
  'vendor-admin',
  'auditor',
  'channel-manager',
  'partner-admin',
  'distributor',
  'partner-sales-rep',
];

/** The role recorded in the audit trail: the strongest one the actor holds. */
export function primaryRole(actor: Actor): Role | null {
  const roles = actorRoles(actor);
  return ROLE_STRENGTH.find((r) => roles.includes(r)) ?? null;
}
