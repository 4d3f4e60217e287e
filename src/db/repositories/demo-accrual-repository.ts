import type { Kysely } from 'kysely';
import type { SqlStore } from '../connection.js';
import type { Database } from '../schema.js';
import { sqlRunner } from './order-intake-repository.js';

export interface StoredOrderToAccrue {
  id: string;
  vendorId: string;
  customerId: string;
  orderDate: string;
  currency: string;
  channel: string;
  resellerId: string | null;
  country: string;
  region: string;
  segment: string;
  totalMinor: number | string;
  dealRegistrationId: string | null;
}

export interface StoredLineToAccrue {
  id: string;
  orderId: string;
  family: string;
  amountMinor: number | string;
  quantity: number;
  returnsLineId: string | null;
}

/**
 * What the demo reads to post real-time accruals for orders it bulk-loaded (src/app/demo/demo-accruals.ts):
 * a vendor's orders of a date range in (date, id) order, a page at a time, with their lines.
 */
export function demoAccrualRepository(db: Kysely<Database>, store: SqlStore) {
  const q = sqlRunner(db, store);
  return {
    async ordersPage(
      vendorId: string,
      range: { from: string; to: string },
      after: { orderDate: string; id: string } | null,
      limit: number,
    ): Promise<{ orders: StoredOrderToAccrue[]; lines: StoredLineToAccrue[] }> {
      const orders = await q.all<StoredOrderToAccrue>(
        `select id, vendor_id as "vendorId", customer_id as "customerId", order_date as "orderDate", currency,
           channel, reseller_id as "resellerId", country, region, segment, total_minor as "totalMinor",
           deal_registration_id as "dealRegistrationId"
         from orders
         where vendor_id = ? and order_date >= ? and order_date <= ?
           and (order_date > ? or (order_date = ? and id > ?))
         order by order_date, id limit ?`,
        [
          vendorId,
          range.from,
          range.to,
          after?.orderDate ?? '',
          after?.orderDate ?? '',
          after?.id ?? '',
          limit,
        ],
      );
      if (orders.length === 0) return { orders, lines: [] };
      // The page's lines by order (the order_id index); a page holds at most a few hundred orders.
      const lines = await q.all<StoredLineToAccrue>(
        `select id, order_id as "orderId", family, amount_minor as "amountMinor", quantity,
           returns_line_id as "returnsLineId"
         from order_lines where order_id in (${orders.map(() => '?').join(', ')})
         order by order_id, line_no`,
        orders.map((o) => o.id),
      );
      return { orders, lines };
    },
  };
}
