import { isRole, PARTNER_ROLES, VENDOR_ROLES, type Role } from '../model/people.js';

/** One line of an organisation's mapping: people in the provider's `group` hold `role` in Trellis. */
export interface RoleMappingLine {
  group: string;
  role: Role;
}

export type RoleMappingResult =
  { status: 'mapped'; roles: Role[]; groups: string[] } | { status: 'refused'; reason: string };

/**
 * The Trellis roles of a person signing in through SSO: every mapping line whose group the provider
 * says the person is in (exact, case-sensitive, as providers send group names or ids). No group at all,
 * or no mapped group, is refused with the reason (a person never signs in with no role).
 */
export function mapRoles(
  claimValue: unknown,
  claim: string,
  mapping: readonly RoleMappingLine[],
): RoleMappingResult {
  const groups = groupsOf(claimValue);
  if (groups.length === 0)
    return {
      status: 'refused',
      reason: `the identity provider sent no "${claim}" claim for this person; ask your administrator to add you to a group mapped to a Trellis role`,
    };
  const roles = [...new Set(mapping.filter((m) => groups.includes(m.group)).map((m) => m.role))];
  if (roles.length === 0)
    return {
      status: 'refused',
      reason: `none of your groups (${groups.join(', ')}) is mapped to a Trellis role; ask your administrator to map one`,
    };
  return { status: 'mapped', roles, groups };
}

/** A claim's value as a list of group names: an array of strings, or one string. */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return [];
}

/** Problems of a role mapping for an organisation's side, each with where it is; empty = valid. */
export function mappingProblems(
  mapping: readonly { group: string; role: string }[],
  side: 'vendor' | 'partner',
): { location: string; message: string }[] {
  const allowed = side === 'vendor' ? VENDOR_ROLES : PARTNER_ROLES;
  const problems: { location: string; message: string }[] = [];
  if (mapping.length === 0)
    problems.push({ location: 'body.roleMapping', message: 'map at least one group to a role' });
  mapping.forEach((m, i) => {
    if (!isRole(m.role) || !allowed.includes(m.role))
      problems.push({
        location: `body.roleMapping[${i}].role`,
        message: `a ${side}'s people may hold ${allowed.join(', ')}, not "${m.role}"`,
      });
  });
  return problems;
}

/**
 * Whether an issuer URL may be used: https, or http on a loopback host (a provider on this machine, as
 * in development and tests). Returns the reason it may not, or null.
 */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `"${issuer}" is not a URL`;
  }
  if (url.search || url.hash) return 'an issuer URL has no query or fragment';
  if (url.protocol === 'https:') return null;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback) return null;
  return 'the issuer must be an https:// URL (http:// only for a provider on this machine)';
}

/** The domain of an e-mail address, lower-case; null when it is not one. */
export function emailDomain(email: string): string | null {
  const m = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email.trim().toLowerCase());
  return m?.[1] ?? null;
}
