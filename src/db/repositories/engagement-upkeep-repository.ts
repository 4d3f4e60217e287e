import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * What keeps coverage and routing going beside the order flow: rebuilding "who sold to whom" and the
 * accounts' channel runs from the stored lines, the programs whose coverage rules apply, and the facts
 * the routing roster is built from.
 */
export function engagementUpkeepRepository(db: Kysely<Database>) {
  return {
    /** Every vendor's id, in id order. */
    async vendorIds(): Promise<string[]> {
      return (await db.selectFrom('vendors').select('id').orderBy('id').execute()).map((v) => v.id);
    },
    /** The vendor's published versions, latest effective first (then id, descending). */
    publishedVersionsLatestFirst(vendorId: string) {
      return db
        .selectFrom('programVersions')
        .select(['id', 'programId', 'effectiveFrom', 'effectiveTo', 'definition'])
        .where('vendorId', '=', vendorId)
        .where('status', '=', 'published')
        .orderBy('effectiveFrom', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },
    /** The vendor's published versions' periods and definitions, earliest effective first. */
    publishedVersionsEarliestFirst(vendorId: string) {
      return db
        .selectFrom('programVersions')
        .select(['effectiveFrom', 'effectiveTo', 'definition'])
        .where('vendorId', '=', vendorId)
        .where('status', '=', 'published')
        .orderBy('effectiveFrom')
        .execute();
    },
    /**
     * Locks the vendor's rotation counter row (created at 0 if missing, left as it is otherwise): on
     * PostgreSQL a second rebuild of the vendor waits for the first to commit.
     */
    async lockRotation(vendorId: string): Promise<void> {
      await db
        .insertInto('routingCounters')
        .values({ vendorId, counter: 0 })
        .onConflict((oc) =>
          oc.column('vendorId').doUpdateSet((eb) => ({ counter: eb.ref('routingCounters.counter') })),
        )
        .execute();
    },
    /** Deletes the vendor's channel runs and its "who sold to whom" rows. */
    async clearCoverage(vendorId: string): Promise<void> {
      await db.deleteFrom('accountCoverage').where('vendorId', '=', vendorId).execute();
      await db.deleteFrom('channelSales').where('vendorId', '=', vendorId).execute();
    },
    /**
     * Writes the vendor's "who sold to whom" rows of one role from its order lines with that partner and
     * a positive quantity (`last_order_id`: the greatest order id of the partner's lines of the family to
     * the customer on the last purchase day).
     */
    async insertChannelSalesFromLines(vendorId: string, role: 'reseller' | 'distributor'): Promise<void> {
      const partner = sql.ref(role === 'reseller' ? 'reseller_id' : 'distributor_id');
      // The last purchase day and that day's greatest order id of the family, in one pass: the greatest
      // "day order-id" text (days are fixed-width ISO text), as order-by-order upkeep keeps them.
      await sql`
      insert into channel_sales (vendor_id, customer_id, partner_id, role, family, first_order_date,
        last_order_date, last_order_id, orders_count)
      select g.vendor_id, g.customer_id, g.partner_id, ${sql.lit(role)}, g.family, g.first_date,
        substr(g.last_key, 1, 10), substr(g.last_key, 12), g.n
      from (
        select vendor_id, customer_id, ${partner} as partner_id, family, min(order_date) as first_date,
          max(order_date || ' ' || order_id) as last_key, count(distinct order_id) as n
        from order_lines
        where vendor_id = ${vendorId} and ${partner} is not null and quantity > 0
        group by vendor_id, customer_id, ${partner}, family
      ) g`.execute(db);
    },
    async countChannelSales(vendorId: string): Promise<number> {
      const counted = await db
        .selectFrom('channelSales')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('vendorId', '=', vendorId)
        .executeTakeFirst();
      return Number(counted?.n ?? 0);
    },
    /**
     * Per customer of the vendor, from its reseller rows: the first purchase, and the row with the latest
     * one (last date, then order id, then partner id, descending), by customer id.
     */
    async resellerRuns(vendorId: string) {
      const runs = await sql<{
        customerId: string;
        since: string;
        lastDate: string;
        partnerId: string;
        orderId: string;
      }>`
    select customer_id, since, last_order_date as last_date, partner_id, last_order_id as order_id
    from (
      select customer_id, partner_id, last_order_date, last_order_id,
        min(first_order_date) over (partition by customer_id) as since,
        row_number() over (partition by customer_id
          order by last_order_date desc, last_order_id desc, partner_id desc) as rn
      from channel_sales
      where vendor_id = ${vendorId} and role = 'reseller'
    ) t
    where rn = 1
    order by customer_id`.execute(db);
      return runs.rows;
    },
    /** The vendor's accounts whose history has a `kind` event. */
    async customersWithEvent(vendorId: string, kind: string): Promise<string[]> {
      return (
        await db
          .selectFrom('coverageEvents')
          .select('customerId')
          .where('vendorId', '=', vendorId)
          .where('kind', '=', kind)
          .execute()
      ).map((e) => e.customerId);
    },
    /** Whether the vendor has any "who sold to whom" row. */
    async hasChannelSales(vendorId: string): Promise<boolean> {
      const known = await db
        .selectFrom('channelSales')
        .select('vendorId')
        .where('vendorId', '=', vendorId)
        .limit(1)
        .executeTakeFirst();
      return known !== undefined;
    },
    /** Whether the vendor has any order through a reseller. */
    async hasResoldOrder(vendorId: string): Promise<boolean> {
      const sold = await db
        .selectFrom('orders')
        .select('id')
        .where('resellerId', 'is not', null)
        .where('vendorId', '=', vendorId)
        .limit(1)
        .executeTakeFirst();
      return sold !== undefined;
    },

    // --- the routing roster ---
    /** The program's partners with an active enrolment, distributors left out. */
    enrolledSellers(programId: string) {
      return db
        .selectFrom('enrolments')
        .innerJoin('partners', 'partners.id', 'enrolments.partnerId')
        .select(['partners.id', 'partners.name', 'partners.country', 'partners.kind'])
        .where('enrolments.programId', '=', programId)
        .where('enrolments.status', '=', 'active')
        .where('partners.kind', '!=', 'distributor')
        .execute();
    },
    /** Every tier record of the program. */
    tierRecords(programId: string) {
      return db
        .selectFrom('memberships')
        .select(['partnerId', 'tierCode', 'validFrom', 'validTo'])
        .where('programId', '=', programId)
        .execute();
    },
    /** Every certification of the vendor. */
    certifications(vendorId: string) {
      return db
        .selectFrom('certifications')
        .select(['partnerId', 'family', 'earnedOn', 'expiresOn'])
        .where('vendorId', '=', vendorId)
        .execute();
    },
    /** The vendor's offer figures per partner. */
    offerStats(vendorId: string) {
      return db
        .selectFrom('routingPartnerStats')
        .select(['partnerId', 'openOffers', 'accepted', 'declined', 'lapsed'])
        .where('vendorId', '=', vendorId)
        .execute();
    },
  };
}
