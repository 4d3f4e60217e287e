import { isCurrency, minorExponent } from './currency.js';
import { MAX_PROGRAM_AMOUNT_MINOR } from './limits.js';

/** An amount of money: integer minor units (cents for USD) and an ISO 4217 currency. Never a float. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount ${amountMinor} is not a safe integer`);
  return { amountMinor, currency };
}

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`currency mismatch: ${a} and ${b}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

const MONEY_TEXT = /^([A-Z]{3})\s+(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([KM]?)$/;

export type ParseMoneyResult = { ok: true; value: Money } | { ok: false; error: string };

/**
 * Parses money as people write it in program files: "USD 3,000,000", "EUR 500000.00", "USD 1.6M", "USD 400K".
 * Exact: the decimal text is converted to minor units without floating point; more decimals than the
 * currency has (after applying K/M) is an error, not a rounding. At most MAX_PROGRAM_AMOUNT_MINOR.
 */
export function parseMoney(text: string): ParseMoneyResult {
  const m = MONEY_TEXT.exec(text.trim());
  if (!m) return { ok: false, error: `"${text}" is not money; write it as "USD 3,000,000" or "USD 1.6M"` };
  const [, currency = '', sign, intPart = '', frac = '', suffix] = m;
  if (!isCurrency(currency)) return { ok: false, error: `unknown currency "${currency}"` };
  const scale = suffix === 'M' ? 6 : suffix === 'K' ? 3 : 0;
  const exp = minorExponent(currency);
  // value = int.frac * 10^scale, in minor units = int.frac * 10^(scale+exp)
  const shift = scale + exp;
  if (frac.length > shift) {
    const dropped = frac.slice(shift);
    if (/[^0]/.test(dropped))
      return { ok: false, error: `"${text}" has more decimals than ${currency} allows` };
  }
  const digits = intPart.replaceAll(',', '') + frac.slice(0, shift).padEnd(shift, '0');
  const big = BigInt(digits) * (sign === '-' ? -1n : 1n);
  if (big > BigInt(MAX_PROGRAM_AMOUNT_MINOR) || big < -BigInt(MAX_PROGRAM_AMOUNT_MINOR)) {
    return {
      ok: false,
      error: `"${text}" is too large: at most ${MAX_PROGRAM_AMOUNT_MINOR.toLocaleString('en-US')} minor units (docs/limits.md)`,
    };
  }
  return { ok: true, value: money(Number(big), currency) };
}

/**
 * Integer minor units as an exact decimal string in major units: (-123456, 2) -> "-1234.56". What
 * `Intl.NumberFormat` formats exactly (a string is not rounded through a float, unlike `minor / 100`).
 */
export function decimalString(amountMinor: number, exponent: number): string {
  const neg = amountMinor < 0;
  const abs = BigInt(Math.abs(amountMinor));
  const unit = 10n ** BigInt(exponent);
  const frac = exponent > 0 ? '.' + (abs % unit).toString().padStart(exponent, '0') : '';
  return `${neg ? '-' : ''}${(abs / unit).toString()}${frac}`;
}

/** "USD 1,234.56" */
export function formatMoney(m: Money): string {
  const exp = minorExponent(m.currency);
  const neg = m.amountMinor < 0;
  const abs = BigInt(Math.abs(m.amountMinor));
  const unit = 10n ** BigInt(exp);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = exp > 0 ? '.' + (abs % unit).toString().padStart(exp, '0') : '';
  return `${m.currency} ${neg ? '-' : ''}${whole}${frac}`;
}
