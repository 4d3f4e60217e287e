import { isCurrency, minorExponent } from '../money/currency.js';
import { MAX_LINE_AMOUNT_MINOR, MAX_UNIT_PRICE_MINOR } from '../money/limits.js';
import {
  convertMinor,
  daysBefore,
  formatFxRate,
  fxRate,
  type FoundRate,
  type MissingRatePolicy,
  type RateBook,
} from '../money/fx.js';
import { missingRatePolicy, orderCurrencies } from '../programs/exchange.js';
import type { ProgramDefinition } from '../programs/types.js';
import type { ErrorDetail } from '../shared/errors.js';
import type { OrderInput } from './order-input.js';

/**
 * Orders in other currencies (issue 17, docs/currencies.md "Orders in other currencies"). An order may be
 * in the program's currency or in one the program covering its date accepts for the order's country
 * (`exchange.orderCurrencies`, by zone or country). Each line is converted at the order day's rate into the
 * program's currency, exactly and half to even, line by line; the order's total is the sum of the
 * converted lines. A return converts at the rate of the line it returns, so a full return cancels its sale
 * to the cent. The converted amounts are what tiers, thresholds and rebates read; the line keeps what was
 * invoiced and the rate used.
 */

/** What a converted line keeps of its conversion (all null on a line in the program's currency). */
export interface LineFx {
  readonly originalCurrency: string;
  readonly originalUnitPriceMinor: number;
  readonly originalAmountMinor: number;
  /** The exact decimal rate as text: 1 original = rate converted. */
  readonly fxRate: string;
  /** The day of the rates used (before the order day when a last known rate bridged a gap). */
  readonly fxRateDay: string;
  /** How the rate was had: "direct", "inverse", "cross:EUR". */
  readonly fxRateSource: string;
}

/** The rate a sold line was converted at, as a return of it reuses it. */
export interface SoldLineRate {
  readonly fxRate: string;
  readonly fxRateDay: string;
  readonly fxRateSource: string;
  /**
   * What is left of the sale after the returns already taken, invoiced and converted (the sale's amounts
   * plus its returns'). A return that brings what is left invoiced to zero takes exactly what is left
   * converted, so several partial returns cancel their sale to the cent too. Absent = not known.
   */
  readonly left?: { readonly originalMinor: number; readonly convertedMinor: number } | undefined;
}

/** The currencies an order may be in, as the programs covering its date say for its country. */
export interface CurrencyTerms {
  /** The program's currency first, then the others accepted. */
  readonly accepted: readonly string[];
  /** The programs that decide, for messages: "dell-emc-partner-program FY27". */
  readonly programs: string;
  readonly country: string;
}

const labelOf = (p: ProgramDefinition) => `${p.code} ${p.version}`;

/**
 * The terms of the programs covering an order's date (in the order given) for its country. When none
 * covers it (the order is refused for that already), only the vendor's currency is accepted.
 */
export function currencyTerms(
  programs: readonly ProgramDefinition[],
  country: string,
  programCurrency: string,
): CurrencyTerms {
  if (programs.length === 0)
    return {
      accepted: [programCurrency],
      programs: "the vendor's programs (none covers the order's date)",
      country,
    };
  const accepted = new Set([programCurrency]);
  for (const p of programs) for (const c of orderCurrencies(p, country)) accepted.add(c);
  return { accepted: [...accepted], programs: programs.map(labelOf).join(' or '), country };
}

/** Why an order's currency cannot be taken (unknown code, or not accepted there); null = it can. */
export function currencyProblem(currency: string, terms: CurrencyTerms | null): string | null {
  if (!isCurrency(currency)) return `unknown currency "${currency}"; expected an ISO 4217 code such as "EUR"`;
  if (terms && !terms.accepted.includes(currency))
    return `${currency} is not accepted for orders in ${terms.country} under ${terms.programs}; accepted: ${terms.accepted.join(', ')}`;
  return null;
}

/** The rate policy of an order in `currency`: the first covering program that accepts it decides. */
export interface OrderRatePolicy {
  readonly missing: MissingRatePolicy;
  readonly program: string;
}

export function orderRatePolicy(
  programs: readonly ProgramDefinition[],
  country: string,
  currency: string,
): OrderRatePolicy {
  const p = programs.find((x) => orderCurrencies(x, country).includes(currency)) ?? programs[0];
  return p
    ? { missing: missingRatePolicy(p), program: labelOf(p) }
    : { missing: { policy: 'refuse' }, program: 'the program' };
}

/** The first day of rates a conversion on `day` may use under the policy. */
export function rateWindowStart(day: string, missing: MissingRatePolicy): string {
  return missing.policy === 'last-known' ? daysBefore(day, missing.withinDays) : day;
}

/** "direct", "inverse", "cross:EUR". */
export function rateSourceOf(found: FoundRate): string {
  return found.derivation.kind === 'cross' ? `cross:${found.derivation.via}` : found.derivation.kind;
}

/** The sentence of a missing rate, under the policy. */
export function missingRateMessage(from: string, to: string, day: string, policy: OrderRatePolicy): string {
  const m = policy.missing;
  return m.policy === 'last-known'
    ? `no ${from}/${to} rate for ${day}, nor within the ${m.withinDays} day${m.withinDays === 1 ? '' : 's'} before it (${policy.program} bridges up to ${m.withinDays} day${m.withinDays === 1 ? '' : 's'}); load the rate (trellis rates import)`
    : `no ${from}/${to} rate for ${day}, and ${policy.program} refuses a missing rate (exchange.missingRate); load the rate (trellis rates import)`;
}

/** A line as stored: converted amounts in the program's currency, and what was invoiced. */
export interface ConvertedLine {
  readonly unitPriceMinor: number;
  readonly amountMinor: number;
  readonly currency: string;
  readonly fx: LineFx | null;
}

export type ConvertedOrder =
  | {
      ok: true;
      lines: ConvertedLine[];
      /** The sum of the converted lines. */
      totalMinor: number;
      /** The sum of the original amounts; null when the order is in the program's currency. */
      originalTotalMinor: number | null;
      originalCurrency: string | null;
    }
  | { ok: false; errors: ErrorDetail[] };

/**
 * Converts an order's lines into the program's currency (the order passed `checkOrder`: its currency is
 * accepted, each return is in the currency of the line it returns). A sold line converts at the order
 * day's rate (`book.find` under the policy); a return at the rate of the line it returns (`sold`). Each
 * amount is converted once from the invoiced amount (quantity x unit price), half to even; the unit price
 * is converted on its own for display. A return that takes the last of its sale invoiced takes the last of
 * it converted, so partial returns that add up to the sale cancel it to the cent. A missing rate refuses the whole order (`body.currency`).
 */
export function convertOrder(
  input: Pick<OrderInput, 'currency' | 'orderDate' | 'lines'>,
  programCurrency: string,
  policy: OrderRatePolicy,
  book: RateBook | null,
  sold: ReadonlyMap<string, SoldLineRate | null>,
): ConvertedOrder {
  const from = input.currency;
  if (from === programCurrency) {
    const lines = input.lines.map((l) => ({
      unitPriceMinor: l.unitPriceMinor,
      amountMinor: l.quantity * l.unitPriceMinor,
      currency: from,
      fx: null,
    }));
    return {
      ok: true,
      lines,
      totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
      originalTotalMinor: null,
      originalCurrency: null,
    };
  }
  let dayRate: SoldLineRate | null | undefined;
  const rateOfDay = (): SoldLineRate | null => {
    if (dayRate !== undefined) return dayRate;
    const found = book?.find(from, programCurrency, input.orderDate, policy.missing) ?? null;
    dayRate = found
      ? { fxRate: formatFxRate(found.rate), fxRateDay: found.rateDay, fxRateSource: rateSourceOf(found) }
      : null;
    return dayRate;
  };
  const errors: ErrorDetail[] = [];
  const lines: ConvertedLine[] = [];
  // What is left of each returned sale, as this order's returns take from it (in line order).
  const left = new Map<string, { originalMinor: number; convertedMinor: number }>();
  input.lines.forEach((l, i) => {
    const returned = l.returnsLineId ? sold.get(l.returnsLineId) : undefined;
    const rate = returned ?? rateOfDay();
    if (!rate) {
      if (!errors.some((e) => e.location === 'body.currency'))
        errors.push({
          location: 'body.currency',
          message: missingRateMessage(from, programCurrency, input.orderDate, policy),
        });
      return;
    }
    if (returned === null) {
      // checkOrder refuses a return in another currency than its line's: this is a guard, not a rule.
      errors.push({
        location: `body.lines.${i}.returnsLineId`,
        message: `the returned line was in ${programCurrency}; a return is in the currency of the line it returns`,
      });
      return;
    }
    const r = fxRate(rate.fxRate);
    const originalAmountMinor = l.quantity * l.unitPriceMinor;
    const unitPriceMinor = convertedWithin(l.unitPriceMinor, from, programCurrency, r, MAX_UNIT_PRICE_MINOR);
    const amountMinor = convertedWithin(originalAmountMinor, from, programCurrency, r, MAX_LINE_AMOUNT_MINOR);
    if (unitPriceMinor === null || amountMinor === null) {
      // The money limits (docs/limits.md) hold for the converted amounts too.
      errors.push({
        location: `body.lines.${i}.unitPriceMinor`,
        message: `converted at ${rate.fxRate} into ${programCurrency}, the line passes the money limits (a line amount is at most ${MAX_LINE_AMOUNT_MINOR.toLocaleString('en-US')} minor units)`,
      });
      return;
    }
    let converted = amountMinor;
    if (returned && l.returnsLineId) {
      const before = left.get(l.returnsLineId) ?? returned.left;
      if (before) {
        // The last of the sale invoiced: the last of it converted (no cent left over by rounding).
        if (before.originalMinor + originalAmountMinor === 0) converted = -before.convertedMinor;
        left.set(l.returnsLineId, {
          originalMinor: before.originalMinor + originalAmountMinor,
          convertedMinor: before.convertedMinor + converted,
        });
      }
    }
    lines.push({
      unitPriceMinor,
      amountMinor: converted,
      currency: programCurrency,
      fx: {
        originalCurrency: from,
        originalUnitPriceMinor: l.unitPriceMinor,
        originalAmountMinor,
        fxRate: rate.fxRate,
        fxRateDay: rate.fxRateDay,
        fxRateSource: rate.fxRateSource,
      },
    });
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    lines,
    totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
    originalTotalMinor: lines.reduce((s, l) => s + (l.fx?.originalAmountMinor ?? 0), 0),
    originalCurrency: from,
  };
}

/** `amount` converted, or null when the result passes `limit` in absolute value. */
function convertedWithin(
  amount: number,
  from: string,
  to: string,
  rate: ReturnType<typeof fxRate>,
  limit: number,
): number | null {
  // A bound before converting, so the conversion itself never leaves the exact range.
  const bound =
    BigInt(limit) * 10n ** BigInt(rate.scale + Math.max(0, minorExponent(from) - minorExponent(to)));
  const approx =
    BigInt(Math.abs(amount)) *
    rate.units *
    10n ** BigInt(Math.max(0, minorExponent(to) - minorExponent(from)));
  if (approx > bound * 2n) return null;
  const out = convertMinor(amount, from, to, rate);
  return Math.abs(out) > limit ? null : out;
}
