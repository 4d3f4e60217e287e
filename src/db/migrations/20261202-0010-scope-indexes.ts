import type { Kysely } from 'kysely';

/**
 * Scope indexes (issue 9, item 5): every list and detail query of every role reads an index for its scope.
 *
 * - orders by customer (a customer's orders; whether a partner sold to a customer);
 * - the customers a partner sold to, as reseller and as distributor: covering indexes, so the customers
 *   list of a partner is the union of two index ranges, never a probe of orders per customer.
 *
 * The demo loader drops and rebuilds every plain index of the tables it fills (bulk-loader.ts reads them
 * from the catalogue), so these are built there too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('orders_customer_date_ix')
    .on('orders')
    .columns(['customer_id', 'order_date'])
    .execute();
  await db.schema
    .createIndex('orders_reseller_customer_ix')
    .on('orders')
    .columns(['reseller_id', 'customer_id'])
    .where('reseller_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('orders_distributor_customer_ix')
    .on('orders')
    .columns(['distributor_id', 'customer_id'])
    .where('distributor_id', 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_distributor_customer_ix').execute();
  await db.schema.dropIndex('orders_reseller_customer_ix').execute();
  await db.schema.dropIndex('orders_customer_date_ix').execute();
}
