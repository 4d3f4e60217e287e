import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, OrderLinesTable, OrdersTable } from '../schema.js';

/**
 * What order intake reads and writes, always within one vendor (the caller's vendor, resolved by the use
 * case): the idempotency key, the references an order points at, and the insert itself.
 */
export function orderIntakeRepository(db: Kysely<Database>) {
  return {
    byKey(vendorId: string, source: string, externalId: string) {
      return db
        .selectFrom('orders')
        .select(['id', 'inputHash'])
        .where('vendorId', '=', vendorId)
        .where('source', '=', source)
        .where('externalId', '=', externalId)
        .executeTakeFirst();
    },
    customer(vendorId: string, id: string) {
      return db
        .selectFrom('customers')
        .select(['id', 'name', 'country', 'region', 'segment'])
        .where('vendorId', '=', vendorId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    products(vendorId: string, ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('products')
        .select(['id', 'family', 'currency'])
        .where('vendorId', '=', vendorId)
        .where('id', 'in', ids)
        .execute();
    },
    /** Partners among `ids` enrolled (not terminated) with the vendor. */
    enrolledPartners(vendorId: string, ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('partners as p')
        .innerJoin('enrolments as e', 'e.partnerId', 'p.id')
        .select(['p.id', 'p.kind'])
        .where('e.vendorId', '=', vendorId)
        .where('e.status', '!=', 'terminated')
        .where('p.id', 'in', ids)
        .distinct()
        .execute();
    },
    supplies(vendorId: string, distributorId: string) {
      return db
        .selectFrom('supplyRelationships')
        .select('resellerId')
        .where('vendorId', '=', vendorId)
        .where('distributorId', '=', distributorId)
        .execute();
    },
    periods(vendorId: string) {
      return db
        .selectFrom('programVersions as v')
        .innerJoin('programs as p', 'p.id', 'v.programId')
        .select(['p.code', 'v.effectiveFrom', 'v.effectiveTo'])
        .where('v.vendorId', '=', vendorId)
        .where('v.status', '=', 'published')
        .execute();
    },
    /** For each line: its customer, product, and the quantity not yet returned. */
    async returnable(vendorId: string, lineIds: readonly string[]) {
      if (lineIds.length === 0) return [];
      const rows = await sql<{
        id: string;
        customerId: string;
        productId: string;
        remaining: number | string;
      }>`
        select l.id, l.customer_id, l.product_id,
          l.quantity + coalesce((select sum(r.quantity) from order_lines r where r.returns_line_id = l.id), 0) as remaining
        from order_lines l
        where l.vendor_id = ${vendorId} and l.quantity > 0 and l.id in (${sql.join(lineIds.map((id) => sql`${id}`))})`.execute(
        db,
      );
      return rows.rows.map((r) => ({ ...r, remaining: Number(r.remaining) }));
    },
    async insert(order: Insertable<OrdersTable>, lines: Insertable<OrderLinesTable>[]): Promise<void> {
      await db.insertInto('orders').values(order).execute();
      await db.insertInto('orderLines').values(lines).execute();
    },
  };
}
