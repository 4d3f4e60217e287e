import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';

/**
 * The condition that keeps a vendor-owned row (with a vendor id column at `vendorRef`) within scope.
 * Partners see vendor-owned reference data (programs, catalogue) of the vendors they are enrolled with.
 */
export function vendorOwned(scope: Scope, vendorRef: string): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'vendor':
      return sql<SqlBool>`${sql.ref(vendorRef)} = ${scope.vendorId}`;
    case 'partner':
      return sql<SqlBool>`${sql.ref(vendorRef)} in (select e.vendor_id from enrolments e where e.partner_id = ${scope.partnerId})`;
  }
}

/**
 * The condition for rows that belong to a vendor AND may involve a partner as reseller or distributor
 * (orders, order lines): vendors see their own; partners only rows where they are the reseller or distributor.
 */
export function partnerInvolved(
  scope: Scope,
  vendorRef: string,
  resellerRef: string,
  distributorRef: string,
  regionRef?: string,
): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'vendor':
      return sql<SqlBool>`${sql.ref(vendorRef)} = ${scope.vendorId} and ${inRegions(scope.regions, regionRef)}`;
    case 'partner':
      return sql<SqlBool>`(${sql.ref(resellerRef)} = ${scope.partnerId} or ${sql.ref(distributorRef)} = ${scope.partnerId})`;
  }
}

/** Channel managers limited to regions see only rows of those regions; an empty list means all. */
export function inRegions(regions: readonly string[], regionRef: string | undefined): RawBuilder<SqlBool> {
  if (regions.length === 0 || !regionRef) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(regionRef)} in (${sql.join(regions.map((r) => sql`${r}`))})`;
}
