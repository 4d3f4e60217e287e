import { isCurrency, minorExponent } from '../../core/money/currency.js';
import { CHANNELS } from '../../core/model/orders.js';
import { wrongWidth } from '../csv/read-csv.js';
import { isIsoDate } from '../tiers/certifications.js';

/**
 * The columns of an order CSV (docs/csv-formats.md, "Orders"): one row per order line; consecutive rows
 * with the same source and external id form one order.
 */
export const ORDER_CSV_COLUMNS = [
  'source',
  'external_id',
  'order_date',
  'currency',
  'customer_id',
  'end_user_name',
  'channel',
  'reseller_id',
  'distributor_id',
  'product_id',
  'quantity',
  'unit_price',
  'returns_line_id',
  'returns_external_id',
  'returns_line_no',
  'deal_registration_id',
] as const;
export type OrderCsvColumn = (typeof ORDER_CSV_COLUMNS)[number];

/** Columns every row of an order repeats: they must be the same on each. */
export const ORDER_LEVEL_COLUMNS = [
  'order_date',
  'currency',
  'customer_id',
  'end_user_name',
  'channel',
  'reseller_id',
  'distributor_id',
  'deal_registration_id',
] as const satisfies readonly OrderCsvColumn[];

const REQUIRED: readonly OrderCsvColumn[] = [
  'source',
  'external_id',
  'order_date',
  'currency',
  'customer_id',
  'channel',
  'product_id',
  'quantity',
  'unit_price',
];
/** A distributor's sell-out report may leave these out (see `OrderCsvVariant`). */
const SELL_OUT_DEFAULTS: readonly OrderCsvColumn[] = ['source', 'channel', 'distributor_id'];

/** Same limits as POST /api/orders. */
const MAX_SOURCE = 64;
const MAX_EXTERNAL_ID = 128;
const MAX_END_USER_NAME = 300;
const MAX_ID = 64;
const ID_SHAPE = /^[a-z]+_[0-9a-z]+$/;

/**
 * How to read a file: a vendor's order file, or a distributor's sell-out report, where `channel` defaults
 * to `distributor`, `distributor_id` to the reporting distributor and `source` to `pos:<distributor id>`.
 */
export type OrderCsvVariant = { kind: 'orders' } | { kind: 'sell-out'; distributorId: string };

/** A problem at a line of the file (1 = the header) and a column (1-based; past the last when absent). */
export interface ImportProblem {
  line: number;
  column: number;
  /** The column's name, or null for a problem of the row as a whole. */
  columnName: string | null;
  message: string;
}

export interface OrderCsvHeader {
  /** The 0-based position of each known column in the file. */
  index: Partial<Record<OrderCsvColumn, number>>;
  width: number;
  /** The header as written, for the rejects file. */
  names: string[];
  ignored: string[];
  /** 1-based column of a known column; one past the last when the file has no such column. */
  columnOf(c: OrderCsvColumn): number;
}

export function readOrderHeader(
  record: readonly string[],
  line: number,
  variant: OrderCsvVariant,
): { header: OrderCsvHeader; problems: ImportProblem[] } {
  const index: Partial<Record<OrderCsvColumn, number>> = {};
  const ignored: string[] = [];
  const problems: ImportProblem[] = [];
  record.forEach((raw, i) => {
    const name = raw
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (!(ORDER_CSV_COLUMNS as readonly string[]).includes(name)) {
      ignored.push(raw);
      return;
    }
    const column = name as OrderCsvColumn;
    if (index[column] !== undefined)
      problems.push({ line, column: i + 1, columnName: column, message: `column ${column} appears twice` });
    else index[column] = i;
  });
  const required = REQUIRED.filter((c) => variant.kind === 'orders' || !SELL_OUT_DEFAULTS.includes(c));
  for (const c of required)
    if (index[c] === undefined)
      problems.push({
        line,
        column: record.length + 1,
        columnName: c,
        message: `the header has no ${c} column (required: ${required.join(', ')})`,
      });
  if ((index.returns_external_id === undefined) !== (index.returns_line_no === undefined))
    problems.push({
      line,
      column: record.length + 1,
      columnName: index.returns_external_id === undefined ? 'returns_external_id' : 'returns_line_no',
      message: 'returns_external_id and returns_line_no go together: give both columns or neither',
    });
  const width = record.length;
  return {
    header: {
      index,
      width,
      names: [...record],
      ignored,
      columnOf: (c) => (index[c] ?? width) + 1,
    },
    problems,
  };
}

/** One row of an order file, read and checked on its own. */
export interface OrderCsvRow {
  line: number;
  record: string[];
  source: string;
  externalId: string;
  orderDate: string;
  currency: string;
  customerId: string;
  endUserName: string | undefined;
  channel: string;
  resellerId: string | null;
  distributorId: string | null;
  /** The reseller's deal registration the order fulfils, if the file names one. */
  dealRegistrationId: string | null;
  productId: string;
  quantity: number;
  unitPriceMinor: number;
  returnsLineId: string | null;
  /** A return of a line of an earlier order of the same source: its external id and line number. */
  returnsRef: { externalId: string; lineNo: number } | null;
  /** What is wrong with the row on its own (empty when nothing). */
  problems: ImportProblem[];
}

const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/**
 * A decimal amount in major units ("1234.56") as an exact integer of minor units, with no more decimals
 * than the currency has (2 for USD, 0 for JPY). Never goes through a float.
 */
export function decimalToMinor(text: string, exponent: number): number | string {
  const m = DECIMAL.exec(text);
  if (!m) return `"${text}" is not an amount: write digits with a decimal point, such as 1234.56`;
  const whole = m[1] as string;
  const fraction = m[2] ?? '';
  if (fraction.length > exponent)
    return exponent === 0
      ? `"${text}" has decimals; this currency has no minor unit`
      : `"${text}" has ${fraction.length} decimals; this currency has ${exponent}`;
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) return `"${text}" is too large`;
  return minor;
}

/** Files repeat a few hundred dates: each is checked once. */
const knownDates = new Map<string, boolean>();
function isDate(text: string): boolean {
  let ok = knownDates.get(text);
  if (ok === undefined) {
    ok = isIsoDate(text);
    if (knownDates.size > 100_000) knownDates.clear();
    knownDates.set(text, ok);
  }
  return ok;
}

/** Reads one data row; `variant` fills the sell-out defaults. */
export function readOrderRow(
  record: string[],
  line: number,
  header: OrderCsvHeader,
  variant: OrderCsvVariant,
): OrderCsvRow {
  const problems: ImportProblem[] = [];
  const idx = header.index;
  const value = (c: OrderCsvColumn): string => {
    const at = idx[c];
    return at === undefined ? '' : (record[at] ?? '');
  };
  const fail = (c: OrderCsvColumn, message: string) =>
    problems.push({ line, column: header.columnOf(c), columnName: c, message });

  const sellOut = variant.kind === 'sell-out' ? variant.distributorId : null;
  const source = value('source') || (sellOut ? `pos:${sellOut}` : '');
  if (!source) fail('source', 'the source is missing (the system the order comes from, e.g. erp)');
  else if (source.length > MAX_SOURCE) fail('source', `the source is longer than ${MAX_SOURCE} characters`);
  const externalId = value('external_id');
  if (!externalId) fail('external_id', 'the external id (the order number in its source) is missing');
  else if (externalId.length > MAX_EXTERNAL_ID)
    fail('external_id', `the external id is longer than ${MAX_EXTERNAL_ID} characters`);

  const orderDate = value('order_date');
  if (!isDate(orderDate)) fail('order_date', `order date "${orderDate}" is not a date (YYYY-MM-DD)`);
  const currency = value('currency');
  const knownCurrency = isCurrency(currency);
  if (!knownCurrency)
    fail('currency', `currency "${currency}" is not an ISO 4217 code Trellis knows (such as USD)`);
  const customerId = checkedId(value('customer_id'), 'customer_id', 'the customer', fail);
  const endUserName = value('end_user_name') || undefined;
  if (endUserName !== undefined && endUserName.length > MAX_END_USER_NAME)
    fail('end_user_name', `the end-user name is longer than ${MAX_END_USER_NAME} characters`);
  const channel = value('channel') || (sellOut ? 'distributor' : '');
  if (!(CHANNELS as readonly string[]).includes(channel))
    fail('channel', `channel "${channel}" is not one of ${CHANNELS.join(', ')}`);
  const resellerId = optionalId(value('reseller_id'), 'reseller_id', fail);
  const distributorId = optionalId(value('distributor_id'), 'distributor_id', fail) ?? sellOut;
  const dealRegistrationId = optionalId(value('deal_registration_id'), 'deal_registration_id', fail);

  const productId = checkedId(value('product_id'), 'product_id', 'the product', fail);
  const q = value('quantity');
  let quantity = 0;
  if (!INTEGER.test(q)) fail('quantity', `quantity "${q}" is not a whole number`);
  else quantity = Number(q);
  let unitPriceMinor = 0;
  const price = value('unit_price');
  if (price.startsWith('-'))
    fail('unit_price', 'a unit price is never negative: a return has a negative quantity');
  else if (knownCurrency) {
    const minor = decimalToMinor(price, minorExponent(currency));
    if (typeof minor === 'string') fail('unit_price', minor);
    else unitPriceMinor = minor;
  }

  const returnsLineId = optionalId(value('returns_line_id'), 'returns_line_id', fail);
  let returnsRef: OrderCsvRow['returnsRef'] = null;
  const refId = value('returns_external_id');
  const refNo = value('returns_line_no');
  if (refId || refNo) {
    if (returnsLineId)
      fail(
        'returns_external_id',
        'give the returned line by returns_line_id or by returns_external_id, not both',
      );
    else if (!refId) fail('returns_external_id', 'the external id of the returned order is missing');
    else if (!/^\d{1,6}$/.test(refNo) || Number(refNo) < 1)
      fail('returns_line_no', `returns_line_no "${refNo}" is not a line number (1 for the first line)`);
    else returnsRef = { externalId: refId, lineNo: Number(refNo) };
  }
  // A row with the wrong number of fields cannot be read column by column: that is its one problem.
  const width = wrongWidth(record, line, header.width);
  if (width) problems.splice(0, problems.length, { ...width, columnName: null });
  return {
    line,
    record,
    source,
    externalId,
    orderDate,
    currency,
    customerId,
    endUserName,
    channel,
    resellerId,
    distributorId,
    dealRegistrationId,
    productId,
    quantity,
    unitPriceMinor,
    returnsLineId,
    returnsRef,
    problems,
  };
}

function checkedId(
  v: string,
  column: OrderCsvColumn,
  what: string,
  fail: (c: OrderCsvColumn, message: string) => void,
): string {
  if (!v) fail(column, `${what} is missing`);
  else if (v.length > MAX_ID || !ID_SHAPE.test(v)) fail(column, `"${v}" is not a Trellis id`);
  return v;
}

function optionalId(
  v: string,
  column: OrderCsvColumn,
  fail: (c: OrderCsvColumn, message: string) => void,
): string | null {
  if (!v) return null;
  if (v.length > MAX_ID || !ID_SHAPE.test(v)) fail(column, `"${v}" is not a Trellis id`);
  return v;
}

/** The column of an order field as named in checkOrder's locations (`body.<field>`). */
export const COLUMN_OF_FIELD: Readonly<Record<string, OrderCsvColumn>> = {
  source: 'source',
  externalId: 'external_id',
  orderDate: 'order_date',
  currency: 'currency',
  customerId: 'customer_id',
  endUserName: 'end_user_name',
  channel: 'channel',
  resellerId: 'reseller_id',
  distributorId: 'distributor_id',
  productId: 'product_id',
  quantity: 'quantity',
  unitPriceMinor: 'unit_price',
  returnsLineId: 'returns_line_id',
  dealRegistrationId: 'deal_registration_id',
};
