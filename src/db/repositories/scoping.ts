import { sql, SqliteAdapter, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../schema.js';
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

/**
 * The vendor half of a look-up by a vendor-owned row's key, `ref = vendorId` (`ref` a column in SQL:
 * `vendor_id`, `l.vendor_id`). On PostgreSQL the key is (vendor_id, id): the equality lets the key serve
 * the look-up (and routes it to the vendor's shard on Citus). On SQLite the key is on id alone, and the
 * plain equality can steer the planner to an index that starts with the vendor, which walks the vendor's
 * rows instead of finding the ids (its statistics count few rows per vendor): the same test is written
 * there so that no index serves it (`coalesce`). docs/architecture.md, "Look-ups by id".
 */
export function keyVendor(db: Kysely<Database>, ref: string, vendorId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.raw(keyVendorColumn(db.getExecutor().adapter instanceof SqliteAdapter, ref))} = ${vendorId}`;
}

/** `keyVendor`'s left side as SQL text, for statements written as text (`column` from code, never input). */
export function keyVendorColumn(sqlite: boolean, column: string): string {
  return sqlite ? `coalesce(${column}, '')` : column;
}
