/**
 * Display helpers for money and rates. Amounts arrive as integer minor units (cents for USD) and rates
 * as integer parts-per-million; nothing here does arithmetic in floating point. The decimal text is
 * built from the integer's digits and handed to Intl.NumberFormat as a string, which formats it exactly.
 */

export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export function isMoney(value: unknown): value is Money {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.amountMinor === 'number' &&
    Number.isSafeInteger(v.amountMinor) &&
    typeof v.currency === 'string' &&
    /^[A-Z]{3}$/.test(v.currency)
  );
}

/**
 * The exact decimal text of `integer / 10^scale`, e.g. (-12345, 2) -> "-123.45", (5, 3) -> "0.005".
 * Trailing fractional zeros are kept unless `trim` is set.
 */
export function scaledDecimal(integer: number, scale: number, trim = false): string {
  if (!Number.isSafeInteger(integer)) throw new RangeError(`${integer} is not a safe integer`);
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`bad scale ${scale}`);
  const negative = integer < 0;
  const digits = String(Math.abs(integer)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let frac = scale === 0 ? '' : digits.slice(digits.length - scale);
  if (trim) frac = frac.replace(/0+$/, '');
  const text = frac ? `${whole}.${frac}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale: string | undefined, whole = false): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}|${whole ? 'whole' : ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for KWD); null if unknown. */
export function minorExponent(currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency)) return null;
  try {
    return currencyFormatter(currency, 'en-US').resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}

export interface MoneyFormatOptions {
  /** Leave out the minor digits when they are all zero: "$3,000,000" rather than "$3,000,000.00". */
  readonly dropZeroMinor?: boolean;
}

/** "$1,234.56" for (123456, "USD"). Falls back to "123456 XYZ (minor units)" for unknown currencies. */
export function formatMoney(
  amountMinor: number,
  currency: string,
  locale?: string,
  options: MoneyFormatOptions = {},
): string {
  if (!Number.isSafeInteger(amountMinor)) return `${String(amountMinor)} ${currency}`;
  const exponent = minorExponent(currency);
  if (exponent === null) return `${amountMinor} ${currency} (minor units)`;
  const text = scaledDecimal(amountMinor, exponent);
  const whole = options.dropZeroMinor === true && !/\.\d*[1-9]/.test(text);
  return currencyFormatter(currency, locale, whole).format(text as `${number}`);
}

export function formatMoneyValue(value: Money, locale?: string, options: MoneyFormatOptions = {}): string {
  return formatMoney(value.amountMinor, value.currency, locale, options);
}

/** Rates and points: 10,000 ppm = 1%. 25,000 -> "2.5%". */
export function formatPpmPercent(ppm: number): string {
  if (!Number.isSafeInteger(ppm)) return String(ppm);
  return `${scaledDecimal(ppm, 4, true)}%`;
}

/** Factors: 1,000,000 ppm = x1. 1,250,000 -> "×1.25". */
export function formatPpmFactor(ppm: number): string {
  if (!Number.isSafeInteger(ppm)) return String(ppm);
  return `×${scaledDecimal(ppm, 6, true)}`;
}

/**
 * Parses an amount typed in major units ("1,250.5", "1250") into integer minor units for a currency
 * with `exponent` minor digits, exactly: the digits are shifted as text, never multiplied in floating
 * point. Grouping commas, spaces and underscores are ignored. Returns null for anything that is not a
 * non-negative decimal with at most `exponent` fractional digits, or that is beyond a safe integer.
 */
export function parseMajorToMinor(input: string, exponent: number): number | null {
  if (!Number.isInteger(exponent) || exponent < 0) return null;
  const text = input.trim().replace(/[,\s_]/g, '');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return null;
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (whole === '' && frac === '') return null;
  if (frac.length > exponent) return null;
  const digits = (whole + frac.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Like parseMajorToMinor, for amounts that may be negative: "-400", "+1,250.50", "−12" (a typographic
 * minus). Returns null for anything else.
 */
export function parseSignedMajorToMinor(input: string, exponent: number): number | null {
  const text = input.trim();
  const sign = /^[-−]/.test(text) ? -1 : 1;
  const unsigned = /^[-−+]/.test(text) ? text.slice(1) : text;
  if (/^\s*[-−+]/.test(unsigned)) return null;
  const value = parseMajorToMinor(unsigned, exponent);
  return value === null ? null : value === 0 ? 0 : sign * value;
}
