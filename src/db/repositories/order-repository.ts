import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, OrdersTable } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { keyVendor, partnerInvolved } from './scoping.js';

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

/** Orders ids bound in one statement when reading the lines of an export's batch. */
const EXPORT_CHUNK = 500;

/** The columns of an order line as the API shows it. */
const lineColumns = <Q extends SelectQueryBuilder<Database, 'orderLines', object>>(q: Q) =>
  q.select([
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
  ]);

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
     * A batch of the CSV export: the next `limit` orders the caller sees (the list's filters) by order date
     * then id, after `after` (the last of the batch before), and their lines. Each batch continues from the
     * last by the index the scope reads (a vendor's orders by (vendor, day), a partner's by its reseller
     * and distributor indexes, a customer's by (customer, day)): only the orders of the boundary day are
     * read again, so the whole export reads each order about once, and a date range is that index's range.
     * The lines are read only for the orders just read (so within the caller's scope).
     */
    async exportBatch(
      scope: Scope,
      filter: OrderFilter,
      after: { orderDate: string; id: string } | null,
      limit: number,
    ): Promise<{ orders: OrderRow[]; lines: OrderLineRow[] }> {
      let q = filtered(scope, filter);
      if (after)
        q = q
          .where('orders.orderDate', '>=', after.orderDate)
          .where((eb) =>
            eb.or([eb('orders.orderDate', '>', after.orderDate), eb('orders.id', '>', after.id)]),
          );
      const orders = await q.orderBy('orders.orderDate').orderBy('orders.id').limit(limit).execute();
      const lines: OrderLineRow[] = [];
      const byVendor = new Map<string, string[]>();
      for (const o of orders) {
        const ids = byVendor.get(o.vendorId);
        if (ids) ids.push(o.id);
        else byVendor.set(o.vendorId, [o.id]);
      }
      for (const [vendorId, ids] of byVendor)
        for (let i = 0; i < ids.length; i += EXPORT_CHUNK)
          lines.push(
            ...(await lineColumns(db.selectFrom('orderLines'))
              .where(keyVendor(db, 'vendor_id', vendorId))
              .where('orderId', 'in', ids.slice(i, i + EXPORT_CHUNK))
              .execute()),
          );
      return { orders, lines };
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
        lineColumns(db.selectFrom('orderLines'))
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
