import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { heldStatements } from '../held-prepared.js';
import { keyVendor } from './scoping.js';

/**
 * What deal registration reads and writes beside the registrations themselves (`dealRepository`): the
 * registrations orders name as the registered-deal benefit reads them, the orders and products a
 * submission is checked against, the parties the matcher indexes and the names a reviewer sees.
 */
export function dealSupportRepository(db: Kysely<Database>) {
  return {
    // --- the registered-deal benefit ---
    /** The vendor's registrations by id, with what the benefit reads of them. */
    benefitRows(vendorId: string, ids: readonly string[]) {
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'partnerId', 'customerId', 'status', 'approvedOn', 'protectedUntil', 'closedAt'])
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('id', 'in', ids)
        .execute();
    },
    /**
     * The families of the vendor's registrations' lines (one row per line), by their key (vendor,
     * registration, line) on PostgreSQL.
     */
    lineFamilies(vendorId: string, registrationIds: readonly string[]) {
      return db
        .selectFrom('dealRegistrationLines')
        .select(['registrationId', 'family'])
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('registrationId', 'in', registrationIds)
        .execute();
    },
    /**
     * The vendor's order lines by id with their order's registration: the sales that returns return (by
     * the vendor's key: on PostgreSQL a look-up by id alone reads every line).
     */
    returnedSales(vendorId: string, lineIds: readonly string[]) {
      return db
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.vendorId', '=', 'l.vendorId').onRef('o.id', '=', 'l.orderId'),
        )
        .select(['l.id', 'o.dealRegistrationId', 'l.orderDate', 'l.customerId', 'l.resellerId', 'l.family'])
        .where(keyVendor(db, 'l.vendor_id', vendorId))
        .where('l.id', 'in', lineIds)
        .execute();
    },
    /** Registrations by id with their vendor (by primary key alone: the caller checks the vendor). */
    registrationVendors(ids: readonly string[]) {
      return db.selectFrom('dealRegistrations').select(['id', 'vendorId']).where('id', 'in', ids).execute();
    },
    /** One registration's vendor and partner, by id. */
    registrationParties(id: string) {
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'partnerId', 'vendorId'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    // --- orders and registrations ---
    /** Links the vendor's order to the registration it names (by the order's key: see `returnedSales`). */
    async linkOrder(vendorId: string, orderId: string, registrationId: string): Promise<void> {
      await db
        .updateTable('orders')
        .set({ dealRegistrationId: registrationId })
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('id', '=', orderId)
        .execute();
    },
    /** Sets a registration's customer unless one is set already. */
    async setCustomerIfUnknown(registrationId: string, customerId: string): Promise<void> {
      await db
        .updateTable('dealRegistrations')
        .set({ customerId })
        .where('id', '=', registrationId)
        .where('customerId', 'is', null)
        .execute();
    },
    /**
     * Registrations of partners other than `resellerId` protecting the customer on `orderDate` (approved,
     * extended or won, approved on or before it and protected through it).
     */
    async protectingOthers(vendorId: string, customerId: string, resellerId: string, orderDate: string) {
      // Inside a group commit (order intake): the kept prepared look-up.
      const held = heldStatements(db);
      if (held)
        return held.all<{
          id: string;
          partnerId: string;
          approvedOn: string | null;
          protectedUntil: string | null;
        }>(
          `select id, partner_id as "partnerId", approved_on as "approvedOn", protected_until as "protectedUntil"
           from deal_registrations where vendor_id = ? and customer_id = ? and status in ('approved', 'extended', 'won')
             and partner_id <> ? and approved_on <= ? and protected_until >= ?`,
          [vendorId, customerId, resellerId, orderDate, orderDate],
        );
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'partnerId', 'approvedOn', 'protectedUntil'])
        .where('vendorId', '=', vendorId)
        .where('customerId', '=', customerId)
        .where('status', 'in', ['approved', 'extended', 'won'])
        .where('partnerId', '<>', resellerId)
        .where('approvedOn', '<=', orderDate)
        .where('protectedUntil', '>=', orderDate)
        .execute();
    },
    /** Deletes every claim of a registration (active or not). */
    async deleteClaims(registrationId: string): Promise<void> {
      await db.deleteFrom('dealClaims').where('registrationId', '=', registrationId).execute();
    },
    /**
     * The customer's latest purchase of one of `families` (a positive line) between `since` and `asOf`:
     * through its orders (indexed by vendor, customer and date), then their lines.
     */
    lastPurchase(
      vendorId: string,
      customerId: string,
      families: readonly string[],
      since: string,
      asOf: string,
    ) {
      return db
        .selectFrom('orders as o')
        .innerJoin('orderLines as l', (j) =>
          j.onRef('l.vendorId', '=', 'o.vendorId').onRef('l.orderId', '=', 'o.id'),
        )
        .select(['l.orderId', 'l.orderDate', 'l.family'])
        .where('o.vendorId', '=', vendorId)
        .where('o.customerId', '=', customerId)
        .where('o.orderDate', '>=', since)
        .where('o.orderDate', '<=', asOf)
        .where('l.family', 'in', families)
        .where('l.amountMinor', '>', 0)
        .orderBy('o.orderDate', 'desc')
        .orderBy('l.orderId', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    // --- what a submission is checked against ---
    /** The families the vendor has products of. */
    async vendorFamilies(vendorId: string): Promise<string[]> {
      return (
        await db.selectFrom('products').select('family').distinct().where('vendorId', '=', vendorId).execute()
      ).map((r) => r.family);
    },
    /** The vendor's products among `ids`, with their family. */
    vendorProducts(vendorId: string, ids: readonly string[]) {
      return db
        .selectFrom('products')
        .select(['id', 'family'])
        .where('vendorId', '=', vendorId)
        .where('id', 'in', ids)
        .execute();
    },
    /** A partner's enrolment in a program with the partner's country. */
    enrolmentWithCountry(programId: string, partnerId: string) {
      return db
        .selectFrom('enrolments')
        .innerJoin('partners', 'partners.id', 'enrolments.partnerId')
        .select(['enrolments.status', 'partners.country'])
        .where('enrolments.programId', '=', programId)
        .where('enrolments.partnerId', '=', partnerId)
        .executeTakeFirst();
    },

    // --- the matcher's parties ---
    /** Every vendor's id (no order). */
    async vendorIds(): Promise<string[]> {
      return (await db.selectFrom('vendors').select('id').execute()).map((v) => v.id);
    },
    /** The vendor's customers created after (or at, unless `after`) `since`, oldest first. */
    customersCreatedSince(vendorId: string, since: string, after: boolean) {
      return db
        .selectFrom('customers')
        .select(['id', 'name', 'domain', 'country', 'addressLine', 'city', 'postalCode', 'createdAt'])
        .where('vendorId', '=', vendorId)
        .where('createdAt', after ? '>' : '>=', since)
        .orderBy('createdAt')
        .execute();
    },
    /** A customer of the vendor as a reviewer sees it. */
    vendorCustomer(vendorId: string, id: string) {
      return db
        .selectFrom('customers')
        .select(['id', 'name', 'domain', 'country', 'region', 'segment', 'addressLine', 'city', 'postalCode'])
        .where('id', '=', id)
        .where('vendorId', '=', vendorId)
        .executeTakeFirst();
    },

    // --- partners ---
    /** Partners' names by id. */
    partnerNames(ids: readonly string[]) {
      return db.selectFrom('partners').select(['id', 'name']).where('id', 'in', ids).execute();
    },
    async partnerName(id: string): Promise<string | null> {
      const p = await db.selectFrom('partners').select('name').where('id', '=', id).executeTakeFirst();
      return p?.name ?? null;
    },
    async partnerExists(id: string): Promise<boolean> {
      const p = await db.selectFrom('partners').select('id').where('id', '=', id).executeTakeFirst();
      return p !== undefined;
    },
  };
}
