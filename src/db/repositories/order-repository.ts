import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, OrdersTable } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { partnerInvolved } from './scoping.js';

export type OrderSort = 'orderDate' | 'total' | 'createdAt';

export interface OrderFilter {
  vendorId?: string | undefined;
  channel?: string | undefined;
  resellerId?: string | undefined;
  distributorId?: string | undefined;
  customerId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type OrderRow = Omit<Selectable<OrdersTable>, 'inputHash'>;

export interface OrderLineRow {
  id: string;
  orderId: string;
  lineNo: number;
  productId: string;
  family: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  currency: string;
  returnsLineId: string | null;
  /** Orders in other currencies (migration 0033): what was invoiced and the rate used; null otherwise. */
  originalCurrency: string | null;
  originalUnitPriceMinor: number | null;
  originalAmountMinor: number | null;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
}

/** A line of the orders export: its order's columns and its own, with what was invoiced. */
export type OrderExportLine = OrderRow & {
  lineId: string;
  lineNo: number;
  productId: string;
  family: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  lineCurrency: string;
  returnsLineId: string | null;
  lineOriginalCurrency: string | null;
  originalUnitPriceMinor: number | null;
  originalAmountMinor: number | null;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
};

export function orderRepository(db: Kysely<Database>) {
  const base = (scope: Scope) =>
    db
      .selectFrom('orders')
      .select([
        'orders.id',
        'orders.vendorId',
        'orders.source',
        'orders.externalId',
        'orders.customerId',
        'orders.endUserName',
        'orders.channel',
        'orders.resellerId',
        'orders.distributorId',
        'orders.orderDate',
        'orders.currency',
        'orders.country',
        'orders.region',
        'orders.segment',
        'orders.totalMinor',
        'orders.createdAt',
        'orders.dealRegistrationId',
        'orders.originalCurrency',
        'orders.originalTotalMinor',
      ])
      .where(
        partnerInvolved(
          scope,
          'orders.vendorId',
          'orders.resellerId',
          'orders.distributorId',
          'orders.region',
        ),
      );
  const filtered = (scope: Scope, filter: OrderFilter) => {
    let q = base(scope);
    if (filter.vendorId)
      q =
        scope.kind === 'partner'
          ? // A partner's own orders (by the reseller and distributor indexes) are the few rows to read;
            // coalesce() keeps SQLite from walking the vendor's orders by date to find them instead.
            q.where(sql<SqlBool>`coalesce(orders.vendor_id, '') = ${filter.vendorId}`)
          : q.where('orders.vendorId', '=', filter.vendorId);
    if (filter.channel) q = q.where('orders.channel', '=', filter.channel);
    if (filter.resellerId) q = q.where('orders.resellerId', '=', filter.resellerId);
    if (filter.distributorId) q = q.where('orders.distributorId', '=', filter.distributorId);
    if (filter.customerId) q = q.where('orders.customerId', '=', filter.customerId);
    if (filter.from) q = q.where('orders.orderDate', '>=', filter.from);
    if (filter.to) q = q.where('orders.orderDate', '<=', filter.to);
    return q;
  };
  return {
    /**
     * The lines of the orders the caller sees (the list's filters), a batch at a time in (order id, line
     * number) order after `after`: for the CSV export, with each line's original amount and rate.
     */
    exportLines(
      scope: Scope,
      filter: OrderFilter,
      after: { orderId: string; lineNo: number } | null,
      limit: number,
    ): Promise<OrderExportLine[]> {
      let q = filtered(scope, filter)
        .innerJoin('orderLines as l', (j) =>
          j.onRef('l.vendorId', '=', 'orders.vendorId').onRef('l.orderId', '=', 'orders.id'),
        )
        .select([
          'l.id as lineId',
          'l.lineNo',
          'l.productId',
          'l.family',
          'l.quantity',
          'l.unitPriceMinor',
          'l.amountMinor',
          'l.currency as lineCurrency',
          'l.returnsLineId',
          'l.originalCurrency as lineOriginalCurrency',
          'l.originalUnitPriceMinor',
          'l.originalAmountMinor',
          'l.fxRate',
          'l.fxRateDay',
          'l.fxRateSource',
        ]);
      if (after)
        q = q.where((eb) =>
          eb.or([
            eb('orders.id', '>', after.orderId),
            eb.and([eb('orders.id', '=', after.orderId), eb('l.lineNo', '>', after.lineNo)]),
          ]),
        );
      return q.orderBy('orders.id').orderBy('l.lineNo').limit(limit).execute();
    },
    list(scope: Scope, filter: OrderFilter, page: PageRequest<OrderSort>): Promise<Page<OrderRow>> {
      const q = filtered(scope, filter);
      return paginate(
        q,
        page,
        {
          orderDate: { ref: 'orders.orderDate', value: (r) => r.orderDate },
          total: { ref: 'orders.totalMinor', value: (r) => r.totalMinor },
          createdAt: { ref: 'orders.createdAt', value: (r) => r.createdAt },
        },
        'orders.id',
      );
    },
    get(scope: Scope, id: string): Promise<OrderRow | undefined> {
      return base(scope).where('orders.id', '=', id).executeTakeFirst();
    },
    lines(scope: Scope, orderId: string): Promise<OrderLineRow[]> {
      return (
        db
          .selectFrom('orderLines')
          .select([
            'id',
            'orderId',
            'lineNo',
            'productId',
            'family',
            'quantity',
            'unitPriceMinor',
            'amountMinor',
            'currency',
            'returnsLineId',
            'originalCurrency',
            'originalUnitPriceMinor',
            'originalAmountMinor',
            'fxRate',
            'fxRateDay',
            'fxRateSource',
          ])
          .where('orderId', '=', orderId)
          // The order's scope is its lines' scope (lines carry their order's vendor, reseller and
          // distributor): one lookup of the order, and the lines by the order id index. A second scope
          // condition on the lines themselves made SQLite read them by vendor instead.
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('orders as o')
                .select('o.id')
                .whereRef('o.vendorId', '=', 'orderLines.vendorId')
                .whereRef('o.id', '=', 'orderLines.orderId')
                .where(partnerInvolved(scope, 'o.vendorId', 'o.resellerId', 'o.distributorId', 'o.region')),
            ),
          )
          .orderBy('lineNo')
          .execute()
      );
    },
  };
}
export type OrderRepository = ReturnType<typeof orderRepository>;
