import type { ProductFamily } from '../model/catalog.js';
import type { Channel } from '../model/orders.js';
import { lineLimitProblem, MAX_ORDER_LINES } from '../money/limits.js';
import type { ErrorDetail } from '../shared/errors.js';
import { currencyProblem, type CurrencyTerms } from './order-currency.js';

/** An order as a vendor's ERP, a CRM sync or a distributor's sell-out report sends it. */
export interface OrderInput {
  source: string;
  externalId: string;
  orderDate: string;
  currency: string;
  customerId: string;
  endUserName?: string | undefined;
  channel: Channel;
  resellerId?: string | null | undefined;
  distributorId?: string | null | undefined;
  /** The partner's deal registration this order fulfils (its approved registration earns the benefit). */
  dealRegistrationId?: string | null | undefined;
  lines: {
    productId: string;
    quantity: number;
    unitPriceMinor: number;
    /** For a return or credit note: the line it returns (quantity must then be negative). */
    returnsLineId?: string | null | undefined;
  }[];
}

/** What the use case looked up for the checks, all within the caller's vendor. */
export interface OrderReferences {
  vendorCurrency: string;
  /**
   * The currencies the programs covering the order's date accept for its country (issue 17); null when
   * none covers it or the customer is unknown (refused for that), when only the code is checked;
   * undefined = the vendor's currency only.
   */
  currencies?: CurrencyTerms | null | undefined;
  customer: { id: string; name: string } | null;
  products: ReadonlyMap<string, { family: ProductFamily; currency: string }>;
  /** Partners enrolled with the vendor, by id, with their kind. */
  partners: ReadonlyMap<string, { kind: string }>;
  /** Does the distributor supply this reseller for the vendor? */
  supplies: (distributorId: string, resellerId: string) => boolean;
  /** Published program periods of the vendor, [from, to] inclusive. */
  periods: readonly { from: string; to: string; program: string }[];
  /**
   * Lines that returns point at: customer, quantity still returnable (sold minus returned already), and
   * the currency the line was invoiced in (its original currency; absent = not checked).
   */
  returnable: ReadonlyMap<
    string,
    { customerId: string; productId: string; remaining: number; currency?: string | null | undefined }
  >;
}

/**
 * Every reason an order cannot be taken, each naming where (JSON pointer into the body). Empty = valid.
 * Pure: the use case looks the references up and writes nothing when this returns anything.
 */
export function checkOrder(input: OrderInput, refs: OrderReferences): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const at = (location: string, message: string) => errors.push({ location, message });
  // An order is in the program's currency or one the program accepts for its country (issue 17).
  // A caller that looks no program up (undefined) takes the vendor's currency only.
  const currencyError = currencyProblem(
    input.currency,
    refs.currencies === undefined
      ? { accepted: [refs.vendorCurrency], programs: "the vendor's programs", country: 'any country' }
      : refs.currencies,
  );
  if (currencyError) at('body.currency', currencyError);
  if (!refs.customer) at('body.customerId', `unknown customer ${input.customerId}`);
  if (!refs.periods.some((p) => p.from <= input.orderDate && input.orderDate <= p.to)) {
    const spans = refs.periods.map((p) => `${p.program} ${p.from}..${p.to}`).join(', ') || 'none';
    at('body.orderDate', `${input.orderDate} is outside every program period of the vendor (${spans})`);
  }
  const reseller = input.resellerId ?? null;
  const distributor = input.distributorId ?? null;
  switch (input.channel) {
    case 'direct':
      if (reseller) at('body.resellerId', 'a direct order has no reseller');
      if (distributor) at('body.distributorId', 'a direct order has no distributor');
      break;
    case 'partner':
      if (!reseller) at('body.resellerId', 'a partner order needs its reseller');
      if (distributor)
        at(
          'body.distributorId',
          'a partner order has no distributor; use channel "distributor" for sell-out',
        );
      break;
    case 'distributor':
      if (!distributor) at('body.distributorId', 'a sell-out order needs its distributor');
      if (!reseller) at('body.resellerId', 'sell-out must carry the reseller it was sold to');
      break;
  }
  if (reseller && !refs.partners.has(reseller)) at('body.resellerId', `unknown partner ${reseller}`);
  if (distributor) {
    const d = refs.partners.get(distributor);
    if (!d) at('body.distributorId', `unknown partner ${distributor}`);
    else if (d.kind !== 'distributor')
      at('body.distributorId', `partner ${distributor} is not a distributor`);
    else if (reseller && refs.partners.has(reseller) && !refs.supplies(distributor, reseller))
      at('body.resellerId', `distributor ${distributor} does not supply reseller ${reseller}`);
  }
  if (input.lines.length === 0) at('body.lines', 'an order needs at least one line');
  if (input.lines.length > MAX_ORDER_LINES)
    at('body.lines', `an order has at most ${MAX_ORDER_LINES} lines, this one has ${input.lines.length}`);
  const returnedHere = new Map<string, number>();
  input.lines.forEach((line, i) => {
    const where = `body.lines.${i}`;
    const product = refs.products.get(line.productId);
    // The order's prices are what was invoiced: a product's list currency need not be the order's.
    if (!product) at(`${where}.productId`, `unknown product ${line.productId}`);
    const quantityOk = Number.isSafeInteger(line.quantity) && line.quantity !== 0;
    if (!quantityOk) at(`${where}.quantity`, 'quantity must be a non-zero integer');
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0)
      at(`${where}.unitPriceMinor`, 'unit price must be a non-negative integer of minor units');
    else if (quantityOk) {
      // The money limits (core/money/limits.ts): a line's amount is exact and bounded.
      const problem = lineLimitProblem(line);
      if (problem)
        at(`${where}.${problem.field === 'amount' ? 'unitPriceMinor' : problem.field}`, problem.message);
    }
    if (line.returnsLineId) {
      const original = refs.returnable.get(line.returnsLineId);
      if (line.quantity >= 0) at(`${where}.quantity`, 'a return must have a negative quantity');
      if (!original) at(`${where}.returnsLineId`, `unknown order line ${line.returnsLineId}`);
      else {
        if (original.productId !== line.productId)
          at(`${where}.productId`, `the returned line was for product ${original.productId}`);
        if (refs.customer && original.customerId !== refs.customer.id)
          at(`${where}.returnsLineId`, 'the returned line was sold to another customer');
        // A return converts at the rate of the line it returns, so it is in that line's currency.
        if (original.currency && original.currency !== input.currency)
          at(
            'body.currency',
            `line ${i + 1} returns a line invoiced in ${original.currency}; a return is in the currency of the line it returns, this order is in ${input.currency}`,
          );
        const already = returnedHere.get(line.returnsLineId) ?? 0;
        const returning = already - line.quantity;
        if (returning > original.remaining)
          at(`${where}.quantity`, `only ${original.remaining} of that line can still be returned`);
        returnedHere.set(line.returnsLineId, returning);
      }
    } else if (line.quantity < 0)
      at(`${where}.quantity`, 'a negative quantity is only allowed on a return (returnsLineId)');
  });
  return errors;
}

/** The canonical text of an order, hashed to tell a replay (same content) from a conflicting reuse of its key. */
export function canonicalOrder(input: OrderInput): string {
  return JSON.stringify([
    input.source,
    input.externalId,
    input.orderDate,
    input.currency,
    input.customerId,
    input.endUserName ?? null,
    input.channel,
    input.resellerId ?? null,
    input.distributorId ?? null,
    input.lines.map((l) => [l.productId, l.quantity, l.unitPriceMinor, l.returnsLineId ?? null]),
    // Appended only when present, so the hash of every order that names no registration is unchanged.
    ...(input.dealRegistrationId ? [input.dealRegistrationId] : []),
  ]);
}
