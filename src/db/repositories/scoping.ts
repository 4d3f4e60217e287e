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
export function partnerInvolved(scope: Scope, vendorRef: string, resellerRef: string, distributorRef: string): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'vendor':
      return sql<SqlBool>`${sql.ref(vendorRef)} = ${scope.vendorId}`;
    case 'partner':
      return sql<SqlBool>`(${sql.ref(resellerRef)} = ${scope.partnerId} or ${sql.ref(distributorRef)} = ${scope.partnerId})`;
  }
}
