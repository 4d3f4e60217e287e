import { sql, type Insertable, type Kysely } from 'kysely';
import type {
  CustomersTable,
  Database,
  EnrolmentsTable,
  PartnersTable,
  SupplyRelationshipsTable,
} from '../schema.js';

/** A person with one of its role grants, as the demo acts through them. */
export interface DemoPersonRow {
  id: string;
  email: string;
  name: string;
  vendorId: string | null;
  partnerId: string | null;
  role: string;
  regions: string;
}

const num = (v: number | string | bigint | null | undefined): number => Number(v ?? 0);

/**
 * What the demo's story, deal registrations and routed orders read and write beside the use cases they
 * run through: the people who act, the partners, customers and products they pick, the rows a story event
 * adds (a vendor acting as a distributor) and the tallies of what the use cases made. Reference data is
 * read regardless of scope: the demo loader runs as the platform.
 */
export function demoRepository(db: Kysely<Database>) {
  const peopleWithRoles = () =>
    db
      .selectFrom('people')
      .innerJoin('roleGrants', 'roleGrants.personId', 'people.id')
      .select([
        'people.id',
        'people.email',
        'people.name',
        'people.vendorId',
        'people.partnerId',
        'roleGrants.role',
        'roleGrants.regions',
      ]);
  return {
    /** The vendor's first vendor admin (by person id). */
    firstVendorAdmin(vendorId: string): Promise<DemoPersonRow | undefined> {
      return peopleWithRoles()
        .where('people.vendorId', '=', vendorId)
        .where('roleGrants.role', '=', 'vendor-admin')
        .orderBy('people.id')
        .executeTakeFirst();
    },

    /** Every grant of the vendor's people, and every partner admin's and partner sales rep's, by person id. */
    vendorStaffAndPartnerSellers(vendorId: string): Promise<DemoPersonRow[]> {
      return peopleWithRoles()
        .where((eb) =>
          eb.or([
            eb('people.vendorId', '=', vendorId),
            eb('roleGrants.role', 'in', ['partner-admin', 'partner-sales-rep']),
          ]),
        )
        .orderBy('people.id')
        .execute();
    },

    /** The vendor's admins' grants and every partner admin's, by person id. */
    vendorAndPartnerAdmins(vendorId: string): Promise<DemoPersonRow[]> {
      return peopleWithRoles()
        .where((eb) =>
          eb.or([
            eb.and([eb('people.vendorId', '=', vendorId), eb('roleGrants.role', '=', 'vendor-admin')]),
            eb('roleGrants.role', '=', 'partner-admin'),
          ]),
        )
        .orderBy('people.id')
        .execute();
    },

    /** A partner's orders with a vendor dated from `from` to `to`, oldest first (at most `limit`). */
    partnerOrdersBetween(vendorId: string, partnerId: string, from: string, to: string, limit: number) {
      return db
        .selectFrom('orders')
        .select(['id', 'orderDate'])
        .where('vendorId', '=', vendorId)
        .where('resellerId', '=', partnerId)
        .where('orderDate', '>=', from)
        .where('orderDate', '<=', to)
        .orderBy('orderDate')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The partners other than distributors with an active enrolment in the program, by id. */
    activeSellersOf(programId: string) {
      return db
        .selectFrom('partners')
        .innerJoin('enrolments', 'enrolments.partnerId', 'partners.id')
        .select(['partners.id', 'partners.country', 'partners.domain'])
        .where('enrolments.programId', '=', programId)
        .where('enrolments.status', '=', 'active')
        .where('partners.kind', '<>', 'distributor')
        .orderBy('partners.id')
        .execute();
    },

    /** The ids of the partners other than distributors with one of these domains, in id order. */
    async sellerIdsWithDomains(domains: readonly string[]): Promise<string[]> {
      const rows = await db
        .selectFrom('partners')
        .select('id')
        .where('domain', 'in', [...domains])
        .where('kind', '!=', 'distributor')
        .orderBy('id')
        .execute();
      return rows.map((p) => p.id);
    },

    /**
     * The shared partners (enrolled with `enrolledWith`, not distributors) that sold the most lines of
     * `vendorId` before a day, most first (ties by id), at most `limit`.
     */
    topSharedResellers(vendorId: string, enrolledWith: string, before: string, limit: number) {
      return db
        .selectFrom('orderLines as l')
        .innerJoin('enrolments as e', (j) =>
          j.onRef('e.partnerId', '=', 'l.resellerId').on('e.vendorId', '=', enrolledWith),
        )
        .innerJoin('partners as p', 'p.id', 'l.resellerId')
        .select(['l.resellerId as partnerId', (eb) => eb.fn.countAll<number>().as('n')])
        .where('l.vendorId', '=', vendorId)
        .where('l.orderDate', '<', before)
        .where('p.kind', '!=', 'distributor')
        .groupBy('l.resellerId')
        .orderBy('n', 'desc')
        .orderBy('l.resellerId')
        .limit(limit)
        .execute();
    },

    /** A distributor record, its enrolment and the resellers it supplies (call it in a transaction). */
    async insertDistributor(
      partner: PartnersTable,
      enrolment: Insertable<EnrolmentsTable>,
      supplies: SupplyRelationshipsTable[],
    ): Promise<void> {
      await db.insertInto('partners').values(partner).execute();
      await db.insertInto('enrolments').values(enrolment).execute();
      if (supplies.length > 0) await db.insertInto('supplyRelationships').values(supplies).execute();
    },

    /** The resellers a distributor supplies for a vendor, by id. */
    suppliedResellers(vendorId: string, distributorId: string) {
      return db
        .selectFrom('supplyRelationships')
        .select('resellerId')
        .where('vendorId', '=', vendorId)
        .where('distributorId', '=', distributorId)
        .orderBy('resellerId')
        .execute();
    },

    /** The vendor's products of a family, by id. */
    productsOfFamily(vendorId: string, family: string) {
      return db
        .selectFrom('products')
        .select(['id', 'listPriceMinor', 'licensing'])
        .where('vendorId', '=', vendorId)
        .where('family', '=', family)
        .orderBy('id')
        .execute();
    },

    /** The vendor's products (id, family, list price), by id. */
    products(vendorId: string) {
      return db
        .selectFrom('products')
        .select(['id', 'family', 'listPriceMinor'])
        .where('vendorId', '=', vendorId)
        .orderBy('id')
        .execute();
    },

    /** The first `limit` customers (by id) the reseller's lines of the vendor name, each once. */
    /** Customers in `country` the partner has sold to for the vendor (as reseller or distributor), by id. */
    async lineCustomersIn(vendorId: string, partnerId: string, country: string, limit: number) {
      // As reseller, then as distributor, each from its own (partner, vendor, day) index: with one OR of
      // both, SQLite's sampled statistics (a vendor's lines look as few as a partner's) chose to read every
      // line of the vendor, 18 s a call on the large demo's 25 million lines.
      const of = (column: 'l.resellerId' | 'l.distributorId') =>
        db
          .selectFrom('orderLines as l')
          .innerJoin('customers as c', 'c.id', 'l.customerId')
          .select('l.customerId')
          .distinct()
          .where(column, '=', partnerId)
          .where('l.vendorId', '=', vendorId)
          .where('c.country', '=', country)
          .orderBy('l.customerId')
          .limit(limit)
          .execute();
      const ids = new Set(
        [...(await of('l.resellerId')), ...(await of('l.distributorId'))].map((r) => r.customerId),
      );
      return [...ids]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, limit)
        .map((customerId) => ({ customerId }));
    },

    /** Partners (of any kind) by their domain. */
    async partnerIdsByDomain(domains: readonly string[]): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('partners')
        .select(['id', 'domain'])
        .where('domain', 'in', [...domains])
        .execute();
      return new Map(rows.filter((r) => r.domain !== null).map((r) => [r.domain as string, r.id]));
    },

    /** Resellers of a country enrolled with the vendor, by id. */
    resellersIn(vendorId: string, country: string, limit: number) {
      return db
        .selectFrom('partners as p')
        .innerJoin('enrolments as e', (j) =>
          j.onRef('e.partnerId', '=', 'p.id').on('e.vendorId', '=', vendorId),
        )
        .select(['p.id', 'p.name'])
        .where('p.country', '=', country)
        .where('p.kind', '=', 'reseller')
        .orderBy('p.id')
        .limit(limit)
        .execute();
    },

    lineCustomersOf(vendorId: string, resellerId: string, limit: number) {
      return db
        .selectFrom('orderLines')
        .select('customerId')
        .distinct()
        .where('vendorId', '=', vendorId)
        .where('resellerId', '=', resellerId)
        .orderBy('customerId')
        .limit(limit)
        .execute();
    },

    /**
     * The first `limit` customers in primary-key order, of every vendor (a scan of the first rows, where
     * the vendor's index would sort all of its customers); the caller keeps the vendor's.
     */
    firstCustomers(limit: number) {
      return db
        .selectFrom('customers')
        .select([
          'id',
          'vendorId',
          'name',
          'domain',
          'addressLine',
          'city',
          'postalCode',
          'country',
          'region',
          'segment',
        ])
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The vendor's customers (by id, at most `limit`) that the reseller's orders of the vendor name. */
    orderCustomersOf(vendorId: string, resellerId: string, limit: number) {
      return db
        .selectFrom('customers')
        .select(['id', 'name', 'domain', 'addressLine', 'city', 'postalCode', 'country', 'region', 'segment'])
        .where('vendorId', '=', vendorId)
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('orders')
            .select('customerId')
            .where('resellerId', '=', resellerId)
            .where('vendorId', '=', vendorId),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The vendor's first customer (by id) whose lower-cased name starts with `lowerPrefix`. */
    firstCustomerNamed(vendorId: string, lowerPrefix: string): Promise<{ id: string } | undefined> {
      return db
        .selectFrom('customers')
        .select('id')
        .where('vendorId', '=', vendorId)
        .where(sql<boolean>`lower(name) like ${`${lowerPrefix}%`}`)
        .orderBy('id')
        .executeTakeFirst();
    },

    async insertCustomer(row: CustomersTable): Promise<void> {
      await db.insertInto('customers').values(row).execute();
    },

    /** The vendor's accounts with a channel sale on or before a day (by customer id, at most `limit`). */
    channelCovered(vendorId: string, through: string, limit: number) {
      return db
        .selectFrom('accountCoverage as a')
        .innerJoin('customers as c', 'c.id', 'a.customerId')
        .select(['a.customerId', 'a.lastChannelDate', 'a.channelUntil', 'a.lastPartnerId', 'c.country'])
        .where('a.vendorId', '=', vendorId)
        .where('a.lastChannelDate', '<=', through)
        .orderBy('a.customerId')
        .limit(limit)
        .execute();
    },

    /**
     * The vendor's customers without coverage whose lower-cased name does not start with `lowerPrefix`
     * (by id, at most `limit`).
     */
    uncoveredCustomers(vendorId: string, lowerPrefix: string, limit: number) {
      return db
        .selectFrom('customers as c')
        .select(['c.id', 'c.country'])
        .where('c.vendorId', '=', vendorId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('accountCoverage as a')
                .select('a.customerId')
                .where('a.vendorId', '=', vendorId)
                .whereRef('a.customerId', '=', 'c.id'),
            ),
          ),
        )
        .where((eb) => eb.not(eb(sql`lower(c.name)`, 'like', `${lowerPrefix}%`)))
        .orderBy('c.id')
        .limit(limit)
        .execute();
    },

    /**
     * The vendor's deal registrations counted: by status, with a conflict found at submission, answered
     * "conflict" (a reason among `conflictReasons`), past the review SLA; orders naming one; flags by rule.
     */
    async dealTallies(vendorId: string, conflictReasons: readonly string[]) {
      const statuses = await db
        .selectFrom('dealRegistrations')
        .select(['status', sql<number | string>`count(*)`.as('n')])
        .where('vendorId', '=', vendorId)
        .groupBy('status')
        .execute();
      const one = async (q: Promise<{ n: number | string | bigint } | undefined>) => num((await q)?.n);
      const withConflicts = await one(
        db
          .selectFrom('dealConflicts')
          .select(sql<number | string>`count(distinct registration_id)`.as('n'))
          .where('vendorId', '=', vendorId)
          .executeTakeFirst(),
      );
      const rejectedAsConflict = await one(
        db
          .selectFrom('dealRegistrations')
          .select(sql<number | string>`count(*)`.as('n'))
          .where('vendorId', '=', vendorId)
          .where('reasonCode', 'in', [...conflictReasons])
          .executeTakeFirst(),
      );
      const slaBreached = await one(
        db
          .selectFrom('dealRegistrations')
          .select(sql<number | string>`count(*)`.as('n'))
          .where('vendorId', '=', vendorId)
          .where('slaBreachedAt', 'is not', null)
          .executeTakeFirst(),
      );
      const orders = await one(
        db
          .selectFrom('orders as o')
          .innerJoin('dealRegistrations as d', 'd.id', 'o.dealRegistrationId')
          .select(sql<number | string>`count(*)`.as('n'))
          .where('d.vendorId', '=', vendorId)
          .executeTakeFirst(),
      );
      const flags = await db
        .selectFrom('dealFlags')
        .select(['rule', sql<number | string>`count(*)`.as('n')])
        .where('vendorId', '=', vendorId)
        .groupBy('rule')
        .execute();
      return {
        byStatus: statuses.map((r) => ({ status: r.status, n: num(r.n) })),
        withConflicts,
        rejectedAsConflict,
        slaBreached,
        orders,
        byRule: flags.map((r) => ({ rule: r.rule, n: num(r.n) })),
      };
    },

    /** The vendor's routed orders counted by reason and by status, and its offers by status. */
    async routingTallies(vendorId: string) {
      const count = sql<number | string>`count(*)`.as('n');
      const reasons = await db
        .selectFrom('routedOrders')
        .select(['reason as k', count])
        .where('vendorId', '=', vendorId)
        .groupBy('reason')
        .execute();
      const statuses = await db
        .selectFrom('routedOrders')
        .select(['status as k', count])
        .where('vendorId', '=', vendorId)
        .groupBy('status')
        .execute();
      const offers = await db
        .selectFrom('routingOffers')
        .select(['status as k', count])
        .where('vendorId', '=', vendorId)
        .groupBy('status')
        .execute();
      return { reasons, statuses, offers };
    },
  };
}
export type DemoRepository = ReturnType<typeof demoRepository>;
