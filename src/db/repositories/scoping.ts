import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';

/**
 * The marker of a statement that reads several vendors' rows of distributed tables on purpose (a partner's
 * reads across its vendors, two parties of an agreement): on Citus it runs on several nodes. The router
 * audit of the partitioned test suites (test/support/router-audit.ts) lets a statement carrying it pass;
 * docs/architecture.md, "Queries when distributed".
 */
export const MULTI_VENDOR = 'trellis:multi-vendor';

/** The marker with its reason, as an SQL comment: `.modifyEnd(multiVendor('...'))` or inside `sql`. */
export function multiVendor(reason: string): RawBuilder<unknown> {
  return sql.raw(`/* ${MULTI_VENDOR} ${reason.replace(/\*\//g, '')} */`);
}

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
