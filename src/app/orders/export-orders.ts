import type { Scope } from '../../core/access/scope.js';
import { decimalString } from '../../core/money/money.js';
import { minorExponent } from '../../core/money/currency.js';
import { csvRow } from '../../core/shared/csv.js';
import type { OrderFilter } from '../../db/repositories/order-repository.js';
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

const BATCH = 2_000;

const amount = (minor: number | null, currency: string | null) =>
  minor === null || currency === null ? '' : decimalString(minor, minorExponent(currency));

/**
 * `GET /api/orders/export`: the lines of the orders the caller sees (the list's filters) as CSV, read and
 * written a batch at a time so a large vendor's export streams in bounded memory.
 */
export async function* orderExport(
  ctx: AppContext,
  scope: Scope,
  filter: OrderFilter,
): AsyncGenerator<string> {
  yield csvRow(ORDER_EXPORT_COLUMNS);
  let after: { orderId: string; lineNo: number } | null = null;
  for (;;) {
    const rows = await ctx.repos.orders.exportLines(scope, filter, after, BATCH);
    let out = '';
    for (const r of rows)
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
        r.lineId,
        String(r.lineNo),
        r.productId,
        r.family,
        String(r.quantity),
        r.lineCurrency,
        amount(Number(r.unitPriceMinor), r.lineCurrency),
        amount(Number(r.amountMinor), r.lineCurrency),
        r.lineOriginalCurrency ?? '',
        amount(r.originalUnitPriceMinor, r.lineOriginalCurrency),
        amount(r.originalAmountMinor, r.lineOriginalCurrency),
        r.fxRate ?? '',
        r.fxRateDay ?? '',
        r.fxRateSource ?? '',
        r.returnsLineId ?? '',
      ]);
    if (out !== '') yield out;
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return;
    after = { orderId: last.id, lineNo: last.lineNo };
  }
}
