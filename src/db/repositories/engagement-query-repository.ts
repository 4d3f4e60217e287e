import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { paginate, type PageRequest } from './page.js';
import { inRegions } from './scoping.js';

export type CoverageListSort = 'name' | 'through';
export type RoutingListSort = 'createdAt' | 'orderDate';
export type OfferListSort = 'deadline' | 'offeredAt';

export interface CoverageListFilter {
  region?: string | undefined;
  customerId?: string | undefined;
  q?: string | undefined;
  /** Only the accounts this partner sold to as reseller. */
  partner?: string | undefined;
  /** 'direct-named', 'channel-exclusive' or 'open' on `asOf`. */
  status?: string | undefined;
  /** Channel runs ending after `asOf` and on or before this day. */
  expiringThrough?: string | undefined;
}

/**
 * The reads behind the coverage, routing-log and offer pages: a vendor's accounts with their channel run
 * and named account, a partner's own purchases per account, an account's history, the routing decisions
 * and the offers. Each vendor-side read is held to the vendor (and the caller's regions).
 */
export function engagementQueryRepository(db: Kysely<Database>) {
  return {
    /**
     * A page of the vendor's accounts (within `regions`, none meaning all) with their channel run, the
     * partner of the last channel purchase and the best-scored active named account matched to them.
     * `status` is decided on `asOf`: direct-named, else channel-exclusive while the run covers it, else open.
     */
    coveragePage(
      vendorId: string,
      regions: readonly string[],
      filter: CoverageListFilter,
      asOf: string,
      request: PageRequest<CoverageListSort>,
    ) {
      const named = sql<
        string | null
      >`(select m.named_account_id from direct_named_matches m join direct_named_accounts a on a.vendor_id = m.vendor_id and a.id = m.named_account_id where m.vendor_id = ${vendorId} and m.customer_id = customers.id and a.status = 'active' order by m.score desc limit 1)`;
      let q = db
        .selectFrom('customers')
        .leftJoin('accountCoverage as ac', (j) =>
          j.onRef('ac.vendorId', '=', 'customers.vendorId').onRef('ac.customerId', '=', 'customers.id'),
        )
        .leftJoin('partners as lp', 'lp.id', 'ac.lastPartnerId')
        .select([
          'customers.id',
          'customers.name',
          'customers.country',
          'customers.region',
          'ac.channelSince',
          'ac.lastChannelDate',
          'ac.channelUntil',
          'ac.lastPartnerId',
          'ac.lastOrderId',
          'lp.name as lastPartnerName',
          named.as('namedAccountId'),
        ])
        .where('customers.vendorId', '=', vendorId)
        .where(inRegions(regions, 'customers.region'));
      if (filter.region) q = q.where('customers.region', '=', filter.region);
      if (filter.customerId) q = q.where('customers.id', '=', filter.customerId);
      if (filter.q) q = q.where(sql<boolean>`lower(customers.name) like ${`%${filter.q.toLowerCase()}%`}`);
      if (filter.partner)
        q = q.where(
          'customers.id',
          'in',
          db
            .selectFrom('channelSales')
            .select('customerId')
            .where('partnerId', '=', filter.partner)
            .where('vendorId', '=', vendorId)
            .where('role', '=', 'reseller'),
        );
      // In force on `asOf` (false without a run). Written over coalesce() so that no index of the runs serves
      // it: most of a vendor's accounts are usually covered, and reading the runs in force by their end
      // (then sorting them all by name) took 0.35 s for 49,000 accounts where the walk by name stops at a page.
      const exclusive = sql<boolean>`(coalesce(ac.channel_since, '9999') <= ${asOf} and coalesce(ac.channel_until, '') > ${asOf})`;
      // Direct-named accounts (few) are found from the matches of active named accounts, not by testing
      // every account in name order.
      if (filter.status === 'direct-named')
        q = q.where(sql<boolean>`${named} is not null`).where(
          'customers.id',
          'in',
          db
            .selectFrom('directNamedMatches as m')
            .innerJoin('directNamedAccounts as a', (j) =>
              j.onRef('a.vendorId', '=', 'm.vendorId').onRef('a.id', '=', 'm.namedAccountId'),
            )
            .select('m.customerId')
            .where('m.vendorId', '=', vendorId)
            .where('a.status', '=', 'active'),
        );
      if (filter.status === 'channel-exclusive') q = q.where(sql<boolean>`${named} is null`).where(exclusive);
      if (filter.status === 'open')
        q = q.where(sql<boolean>`${named} is null`).where(sql<boolean>`not coalesce(${exclusive}, false)`);
      if (filter.expiringThrough !== undefined)
        q = q.where('ac.channelUntil', '>', asOf).where('ac.channelUntil', '<=', filter.expiringThrough);
      return paginate(
        q,
        request,
        {
          name: { ref: 'customers.name', value: (r) => r.name },
          through: { ref: 'ac.channelUntil', value: (r) => r.channelUntil },
        },
        'customers.id',
      );
    },
    /**
     * A partner's own purchases as reseller per account (any family, of one vendor or all): first and last
     * purchase day, by customer name then id, at most 5,000.
     */
    partnerPurchases(
      partnerId: string,
      filter: { vendor?: string | undefined; region?: string | undefined; q?: string | undefined },
    ) {
      let q = db
        .selectFrom('channelSales as cs')
        .innerJoin('customers', (j) =>
          j.onRef('customers.vendorId', '=', 'cs.vendorId').onRef('customers.id', '=', 'cs.customerId'),
        )
        .select([
          'customers.id',
          'customers.name',
          'customers.country',
          'customers.region',
          'cs.vendorId',
          sql<string>`min(cs.first_order_date)`.as('firstDate'),
          sql<string>`max(cs.last_order_date)`.as('lastDate'),
        ])
        .where('cs.partnerId', '=', partnerId)
        .where('cs.role', '=', 'reseller')
        .groupBy(['customers.id', 'customers.name', 'customers.country', 'customers.region', 'cs.vendorId']);
      if (filter.vendor) q = q.where('cs.vendorId', '=', filter.vendor);
      if (filter.region) q = q.where('customers.region', '=', filter.region);
      if (filter.q) q = q.where(sql<boolean>`lower(customers.name) like ${`%${filter.q.toLowerCase()}%`}`);
      return q.orderBy('customers.name').orderBy('customers.id').limit(5_000).execute();
    },
    /** A customer by id, whatever its vendor (the caller checks it). */
    customer(customerId: string) {
      return db
        .selectFrom('customers')
        .select(['id', 'vendorId', 'name', 'country', 'region'])
        .where('id', '=', customerId)
        .executeTakeFirst();
    },
    /** An account's coverage history, by day then creation. */
    coverageEvents(vendorId: string, customerId: string) {
      return db
        .selectFrom('coverageEvents')
        .select(['onDay', 'kind', 'sentence', 'partnerId', 'orderId', 'createdAt'])
        .where('vendorId', '=', vendorId)
        .where('customerId', '=', customerId)
        .orderBy('onDay')
        .orderBy('createdAt')
        .execute();
    },
    /** Who sold to an account (with the partners' names), latest purchase first. */
    sellersWithNames(vendorId: string, customerId: string) {
      return db
        .selectFrom('channelSales as cs')
        .innerJoin('partners', 'partners.id', 'cs.partnerId')
        .select([
          'cs.partnerId',
          'partners.name as partnerName',
          'cs.role',
          'cs.family',
          'cs.firstOrderDate',
          'cs.lastOrderDate',
          'cs.lastOrderId',
          'cs.ordersCount',
        ])
        .where('cs.vendorId', '=', vendorId)
        .where('cs.customerId', '=', customerId)
        .orderBy('cs.lastOrderDate', 'desc')
        .execute();
    },
    /** An account's routed direct orders, newest first. */
    routedOrdersOf(vendorId: string, customerId: string) {
      return db
        .selectFrom('routedOrders')
        .select(['id', 'orderDate', 'totalMinor', 'currency', 'reason', 'status'])
        .where('vendorId', '=', vendorId)
        .where('customerId', '=', customerId)
        .orderBy('createdAt', 'desc')
        .execute();
    },
    /**
     * A page of the vendor's routing log (within `regions`): each decision with its customer's name, the
     * partner it was booked through and its open offer, if any. `partner`: booked through it or offered to it.
     */
    routingPage(
      vendorId: string,
      regions: readonly string[],
      filter: {
        status?: string | undefined;
        reason?: string | undefined;
        customer?: string | undefined;
        partner?: string | undefined;
      },
      request: PageRequest<RoutingListSort>,
    ) {
      let q = db
        .selectFrom('routedOrders as r')
        .innerJoin('customers', (j) =>
          j.onRef('customers.vendorId', '=', 'r.vendorId').onRef('customers.id', '=', 'r.customerId'),
        )
        .leftJoin('partners as bp', 'bp.id', 'r.bookedPartnerId')
        .leftJoin('routingOffers as oo', (j) =>
          j
            .onRef('oo.vendorId', '=', 'r.vendorId')
            .onRef('oo.routedOrderId', '=', 'r.id')
            .on('oo.status', '=', 'open'),
        )
        .leftJoin('partners as op', 'op.id', 'oo.partnerId')
        .select([
          'oo.partnerId as openPartnerId',
          'op.name as openPartnerName',
          'oo.deadline as openDeadline',
          'r.id',
          'r.vendorId',
          'r.source',
          'r.externalId',
          'r.customerId',
          'customers.name as customerName',
          'r.region',
          'r.orderDate',
          'r.totalMinor',
          'r.currency',
          'r.coverageStatus',
          'r.reason',
          'r.sentence',
          'r.decision',
          'r.status',
          'r.orderId',
          'r.bookedPartnerId',
          'bp.name as bookedPartnerName',
          'r.createdAt',
        ])
        .where('r.vendorId', '=', vendorId)
        .where(inRegions(regions, 'r.region'));
      if (filter.status) q = q.where('r.status', '=', filter.status);
      if (filter.reason) q = q.where('r.reason', '=', filter.reason);
      if (filter.customer) q = q.where('r.customerId', '=', filter.customer);
      const partner = filter.partner;
      if (partner)
        q = q.where((eb) =>
          eb.or([
            eb('r.bookedPartnerId', '=', partner),
            eb(
              'r.id',
              'in',
              db
                .selectFrom('routingOffers')
                .select('routedOrderId')
                .where('partnerId', '=', partner)
                .where('vendorId', '=', vendorId),
            ),
          ]),
        );
      return paginate(
        q,
        request,
        {
          createdAt: { ref: 'r.createdAt', value: (r) => r.createdAt },
          orderDate: { ref: 'r.orderDate', value: (r) => r.orderDate },
        },
        'r.id',
      );
    },
    /**
     * A page of offers with their routed order, customer, vendor and partner: a partner's own (of one
     * vendor or all), or a vendor's (within `regions`, of one partner or all).
     */
    offersPage(
      who:
        | { kind: 'partner'; partnerId: string; vendor?: string | undefined }
        | { kind: 'vendor'; vendorId: string; regions: readonly string[]; partner?: string | undefined },
      filter: { status?: string | undefined; routedOrder?: string | undefined },
      request: PageRequest<OfferListSort>,
    ) {
      let q = db
        .selectFrom('routingOffers as o')
        .innerJoin('routedOrders as r', (j) =>
          j.onRef('r.vendorId', '=', 'o.vendorId').onRef('r.id', '=', 'o.routedOrderId'),
        )
        .innerJoin('customers', (j) =>
          j.onRef('customers.vendorId', '=', 'r.vendorId').onRef('customers.id', '=', 'r.customerId'),
        )
        .innerJoin('vendors', 'vendors.id', 'o.vendorId')
        .innerJoin('partners', 'partners.id', 'o.partnerId')
        .select([
          'o.id',
          'o.routedOrderId',
          'o.vendorId',
          'vendors.name as vendorName',
          'o.partnerId',
          'partners.name as partnerName',
          'o.rank',
          'o.status',
          'o.offeredAt',
          'o.deadline',
          'o.answeredAt',
          'o.declineReason',
          'r.customerId',
          'customers.name as customerName',
          'r.orderDate',
          'r.totalMinor',
          'r.currency',
          'r.input',
          'r.decision',
          'r.reason',
          'r.orderId',
          'r.bookedPartnerId',
        ]);
      if (who.kind === 'partner') {
        q = q.where('o.partnerId', '=', who.partnerId);
        if (who.vendor) q = q.where('o.vendorId', '=', who.vendor);
      } else {
        q = q.where('o.vendorId', '=', who.vendorId).where(inRegions(who.regions, 'r.region'));
        if (who.partner) q = q.where('o.partnerId', '=', who.partner);
      }
      if (filter.status) q = q.where('o.status', '=', filter.status);
      if (filter.routedOrder) q = q.where('o.routedOrderId', '=', filter.routedOrder);
      return paginate(
        q,
        request,
        {
          deadline: { ref: 'o.deadline', value: (r) => r.deadline },
          offeredAt: { ref: 'o.offeredAt', value: (r) => r.offeredAt },
        },
        'o.id',
      );
    },
    /** Products' names and families by id (any vendor's). */
    productNames(ids: readonly string[]) {
      return db.selectFrom('products').select(['id', 'name', 'family']).where('id', 'in', ids).execute();
    },
    /** One routed order with its customer's name and the booked partner's, whatever its vendor. */
    routedOrderWithNames(id: string) {
      return db
        .selectFrom('routedOrders as r')
        .innerJoin('customers', (j) =>
          j.onRef('customers.vendorId', '=', 'r.vendorId').onRef('customers.id', '=', 'r.customerId'),
        )
        .leftJoin('partners as bp', 'bp.id', 'r.bookedPartnerId')
        .selectAll('r')
        .select(['customers.name as customerName', 'bp.name as bookedPartnerName'])
        .where('r.id', '=', id)
        .executeTakeFirst();
    },
  };
}
