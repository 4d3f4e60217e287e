/**
 * The administration screens (API tokens, audit trail, certifications, imports): their paths and the
 * navigation entries `me` is offered, read from `me.can` like the rest of the navigation (lib/access.ts).
 */
import { can, type Me, type NavEntry } from '../lib/access';

export type AdminPage = 'tokens' | 'webhooks' | 'audit' | 'certifications' | 'imports' | 'sso' | 'rates';

export const ADMIN_PATHS: Readonly<Record<AdminPage, string>> = {
  tokens: '/tokens',
  webhooks: '/webhooks',
  audit: '/audit',
  certifications: '/certifications',
  imports: '/imports',
  sso: '/single-sign-on',
  rates: '/exchange-rates',
};

/** The administration screen at `pathname`, or null for any other path. */
export function matchAdminPage(pathname: string): AdminPage | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [name, href] of Object.entries(ADMIN_PATHS)) if (href === path) return name as AdminPage;
  return null;
}

/** Orders import with writeOrders; deal registrations import with registerDeals. */
export function canImport(me: Me | null | undefined): boolean {
  return can(me, 'writeOrders') || can(me, 'registerDeals');
}

/**
 * Certifications are read by every role (a vendor those it granted, a partner its own people's): offered
 * to anyone signed in with a role.
 */
export function canReadCertifications(me: Me | null | undefined): boolean {
  return me != null && me.roles.length > 0;
}

/** The administration entries of the main navigation for `me`, after the others. */
export function adminNavEntries(me: Me | null | undefined): readonly NavEntry[] {
  const entries: NavEntry[] = [];
  if (canReadCertifications(me)) entries.push([ADMIN_PATHS.certifications, 'nav.certifications']);
  if (canImport(me)) entries.push([ADMIN_PATHS.imports, 'nav.imports']);
  // Exchange rates are the vendor's treasury data: its readers see the page, its admins load rates.
  if (can(me, 'readRates')) entries.push([ADMIN_PATHS.rates, 'nav.rates']);
  if (can(me, 'readAudit')) entries.push([ADMIN_PATHS.audit, 'nav.audit']);
  if (can(me, 'manageTokens')) entries.push([ADMIN_PATHS.tokens, 'nav.tokens']);
  if (can(me, 'manageSso')) entries.push([ADMIN_PATHS.sso, 'nav.sso']);
  if (can(me, 'manageWebhooks')) entries.push([ADMIN_PATHS.webhooks, 'nav.webhooks']);
  return entries;
}
