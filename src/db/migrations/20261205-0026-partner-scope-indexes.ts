import type { Kysely } from 'kysely';

/**
 * A partner's own reads of its order lines, indexed for that scope: its home's projection (a dry-run
 * close of the current period for that partner alone reads its lines and its revenue per family) and its
 * growth base (the same period a year earlier). Without it those reads walk every line of the vendor in
 * the period (medium demo: about 230 ms per read, against a few milliseconds). A distributor's sell-out
 * reads its lines the same way. The projection's new-business test reads the purchases of that partner's
 * customers over the look-back year: the customer index answers it from the index alone (covering),
 * where the vendor-and-day index walked every purchase of the vendor's year.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('order_lines_reseller_vendor_day_ix')
    .on('order_lines')
    .columns(['reseller_id', 'vendor_id', 'order_date'])
    .where('reseller_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('order_lines_distributor_vendor_day_ix')
    .on('order_lines')
    .columns(['distributor_id', 'vendor_id', 'order_date'])
    .where('distributor_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('order_lines_customer_vendor_day_cover_ix')
    .on('order_lines')
    .columns(['customer_id', 'vendor_id', 'order_date', 'family', 'quantity'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_lines_customer_vendor_day_cover_ix').execute();
  await db.schema.dropIndex('order_lines_distributor_vendor_day_ix').execute();
  await db.schema.dropIndex('order_lines_reseller_vendor_day_ix').execute();
}
