import { PPM_ONE, type Ppm } from './rate.js';

/**
 * The money limits of Trellis (docs/limits.md). Amounts are JS numbers of minor units, exact only up to
 * 2^53 - 1; these bounds make every amount, every sum and every rate x amount product the system
 * computes stay below that, so it is exact, and refuse anything past them with a 4xx naming the field.
 *
 * - one line:  |quantity| <= MAX_QUANTITY, unit price <= MAX_UNIT_PRICE_MINOR and
 *              |quantity x unit price| <= MAX_LINE_AMOUNT_MINOR (10^12);
 * - one order: at most MAX_ORDER_LINES lines, so |total| <= 1,000 x 10^12 = 10^15 < 2^53, a checked sum;
 * - a vendor:  the gross volume (sum of |line amount| of every line ever accepted, returns included)
 *              <= MAX_VENDOR_GROSS_MINOR (10^14), kept in the database by a conditional update in the
 *              transaction that writes the lines. Every sum over a vendor's lines (a partner's period,
 *              a tier window, a close, a budget pool) is bounded by it in absolute value;
 * - a program: the most one line can earn across all its components, each rate times every payout
 *              multiplier that may apply to it, is at most MAX_PAYOUT_RATE_PPM (1000%), so every
 *              rate x amount product and every ledger balance is at most 10 x 10^14 = 10^15, and the
 *              few such balances a query adds together stay below 2^53 (about 9.007 x 10^15); its
 *              qualifying multipliers together scale tier revenue at most x10 (MAX_QUALIFYING_FACTOR_PPM).
 */
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_UNIT_PRICE_MINOR = 1_000_000_000_000;
export const MAX_LINE_AMOUNT_MINOR = 1_000_000_000_000;
export const MAX_ORDER_LINES = 1_000;
export const MAX_VENDOR_GROSS_MINOR = 100_000_000_000_000;
export const MAX_PAYOUT_RATE_PPM: Ppm = 10 * PPM_ONE;
/**
 * Money written in a program (tier thresholds, caps, minimums, budgets, condition values): at most 10^15
 * minor units in absolute value, so a gap such as threshold - revenue stays below 2^53 too.
 */
export const MAX_PROGRAM_AMOUNT_MINOR = 1_000_000_000_000_000;
/** All of a program's qualifying multipliers together scale a partner's tier revenue at most x10. */
export const MAX_QUALIFYING_FACTOR_PPM: Ppm = 10 * PPM_ONE;

/**
 * The largest adjustment one dispute may ask for or be accepted at: the disputed statement line's own
 * amount, or a line amount's limit when that is larger. Each is human-approved; the room left below 2^53
 * above the program's balances (about 8 x 10^15) holds thousands of such adjustments.
 */
export function maxAdjustmentMinor(statementLineAmountMinor: number): number {
  return Math.max(Math.abs(statementLineAmountMinor), MAX_LINE_AMOUNT_MINOR);
}

export interface LineAmounts {
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

export type LineLimitProblem = { field: 'quantity' | 'unitPriceMinor' | 'amount'; message: string };

/**
 * The first limit a line breaks, or null. Compares in BigInt, so a product past 2^53 is never rounded
 * into range. The caller has checked that both are safe integers.
 */
export function lineLimitProblem(line: LineAmounts): LineLimitProblem | null {
  if (Math.abs(line.quantity) > MAX_QUANTITY)
    return {
      field: 'quantity',
      message: `|quantity| must be at most ${MAX_QUANTITY.toLocaleString('en-US')}`,
    };
  if (line.unitPriceMinor > MAX_UNIT_PRICE_MINOR)
    return {
      field: 'unitPriceMinor',
      message: `unit price must be at most ${MAX_UNIT_PRICE_MINOR.toLocaleString('en-US')} minor units`,
    };
  const amount = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
  if (amount > BigInt(MAX_LINE_AMOUNT_MINOR) || amount < -BigInt(MAX_LINE_AMOUNT_MINOR))
    return {
      field: 'amount',
      message: `|quantity x unit price| is ${amount}; a line amount is at most ${MAX_LINE_AMOUNT_MINOR.toLocaleString('en-US')} minor units`,
    };
  return null;
}

/**
 * Sum of |amount| of lines within the line limits: what an order adds to its vendor's gross volume.
 * At most MAX_ORDER_LINES x MAX_LINE_AMOUNT_MINOR = 10^15, so the double sum is exact.
 */
export function grossOf(amounts: Iterable<number>): number {
  let gross = 0;
  for (const a of amounts) gross += Math.abs(a);
  return gross;
}

/** The message of a refusal because the vendor's gross volume would pass its limit. */
export function vendorGrossMessage(addedMinor: number): string {
  return `the vendor's gross order volume (the sum of |line amount| of every line accepted) would pass its limit of ${MAX_VENDOR_GROSS_MINOR.toLocaleString('en-US')} minor units with this order's ${addedMinor.toLocaleString('en-US')}; see docs/limits.md`;
}

/**
 * The most one line can earn under a program, in ppm of its amount: for every paying component its
 * highest rate times every payout multiplier that may apply to it, summed (worst case: everything
 * applies and stacks). BigInt, so no bound is assumed on what it sums.
 */
export function worstPayoutRatePpm(
  components: readonly { code: string; rates: readonly Ppm[]; multipliedBy: readonly Ppm[] }[],
): bigint {
  let total = 0n;
  for (const c of components) {
    let rate = 0n;
    for (const r of c.rates) if (BigInt(r) > rate) rate = BigInt(r);
    // A factor below x1 may or may not apply: the worst case leaves it out.
    for (const f of c.multipliedBy)
      if (f > PPM_ONE) rate = (rate * BigInt(f) + BigInt(PPM_ONE) - 1n) / BigInt(PPM_ONE);
    total += rate;
  }
  return total;
}
