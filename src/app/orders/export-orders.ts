import type { Scope } from '../../core/access/scope.js';
import { decimalString } from '../../core/money/money.js';
import { minorExponent } from '../../core/money/currency.js';
import { csvRow } from '../../core/shared/csv.js';
import type { OrderFilter, OrderLineRow, OrderRow } from '../../db/repositories/order-repository.js';
import type { AppContext } from '../context.js';

/**
 * The columns of the orders export (docs/currencies.md): one row per order line. Each amount's column says
 * which currency it is in: `program_*` amounts are in `program_currency` (what tiers and rebates read), the
 * `original_*` ones in `original_currency` (what was invoiced; empty when the order was in the program's
 * currency), converted at `rate` (1 original = rate program) of `rate_day`, had as `rate_source`.
 */
export const ORDER_EXPORT_COLUMNS = [
  'order_id',
  'source',
  'external_id',
  'order_date',
  'channel',
  'customer_id',
  'reseller_id',
  'distributor_id',
  'country',
  'line_id',
  'line_no',
  'product_id',
  'family',
  'quantity',
  'program_currency',
  'program_unit_price',
  'program_amount',
  'original_currency',
  'original_unit_price',
  'original_amount',
  'rate',
  'rate_day',
  'rate_source',
  'returns_line_id',
] as const;

/** Orders per batch (about 4 lines each in the demo). */
const BATCH = 500;

const amount = (minor: number | null, currency: string | null) =>
  minor === null || currency === null ? '' : decimalString(minor, minorExponent(currency));

/**
 * `GET /api/orders/export`: the lines of the orders the caller sees (the list's filters) as CSV, by order
 * date, order id and line number, read and written a batch of orders at a time (each batch continuing from
 * the last: the whole export reads each order about once), so a large vendor's export streams in bounded
 * memory.
 */
export async function* orderExport(
  ctx: AppContext,
  scope: Scope,
  filter: OrderFilter,
): AsyncGenerator<string> {
  yield csvRow(ORDER_EXPORT_COLUMNS);
  let after: { orderDate: string; id: string } | null = null;
  for (;;) {
    const batch: { orders: OrderRow[]; lines: OrderLineRow[] } = await ctx.repos.orders.exportBatch(
      scope,
      filter,
      after,
      BATCH,
    );
    const { orders } = batch;
    const linesOf = new Map<string, OrderLineRow[]>();
    for (const l of batch.lines) {
      const list = linesOf.get(l.orderId);
      if (list) list.push(l);
      else linesOf.set(l.orderId, [l]);
    }
    let out = '';
    for (const r of orders)
      for (const l of (linesOf.get(r.id) ?? []).sort((a, b) => a.lineNo - b.lineNo))
        out += csvRow([
          r.id,
          r.source,
          r.externalId,
          r.orderDate,
          r.channel,
          r.customerId,
          r.resellerId ?? '',
          r.distributorId ?? '',
          r.country,
          l.id,
          String(l.lineNo),
          l.productId,
          l.family,
          String(l.quantity),
          l.currency,
          amount(Number(l.unitPriceMinor), l.currency),
          amount(Number(l.amountMinor), l.currency),
          l.originalCurrency ?? '',
          amount(l.originalUnitPriceMinor, l.originalCurrency),
          amount(l.originalAmountMinor, l.originalCurrency),
          l.fxRate ?? '',
          l.fxRateDay ?? '',
          l.fxRateSource ?? '',
          l.returnsLineId ?? '',
        ]);
    if (out !== '') yield out;
    const last = orders.at(-1);
    if (!last || orders.length < BATCH) return;
    after = { orderDate: last.orderDate, id: last.id };
  }
}
