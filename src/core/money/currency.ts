/** ISO 4217 currencies Trellis accepts, with their minor-unit exponent. */
const EXPONENTS: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  NZD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  HUF: 2,
  RON: 2,
  TRY: 2,
  ILS: 2,
  AED: 2,
  SAR: 2,
  ZAR: 2,
  EGP: 2,
  MAD: 2,
  NGN: 2,
  KES: 2,
  MXN: 2,
  BRL: 2,
  ARS: 2,
  CLP: 0,
  COP: 2,
  PEN: 2,
  INR: 2,
  SGD: 2,
  HKD: 2,
  TWD: 2,
  CNY: 2,
  MYR: 2,
  THB: 2,
  IDR: 2,
  PHP: 2,
  VND: 0,
  JPY: 0,
  KRW: 0,
};

export function isCurrency(code: string): boolean {
  return Object.hasOwn(EXPONENTS, code);
}

/** Number of decimal places of the currency's minor unit (2 for USD, 0 for JPY). */
export function minorExponent(currency: string): number {
  const e = EXPONENTS[currency];
  if (e === undefined) throw new RangeError(`unknown currency ${currency}`);
  return e;
}

export const CURRENCIES: readonly string[] = Object.keys(EXPONENTS);
