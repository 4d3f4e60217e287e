/**
 * Display helpers for money and rates. Amounts arrive as integer minor units (cents for USD) and rates
 * as integer parts-per-million; nothing here does arithmetic in floating point. The decimal text is
 * built from the integer's digits and handed to Intl.NumberFormat as a string, which formats it exactly.
 */

import i18next from 'i18next';
import moneyTexts from '../i18n/money.en';

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

let defaultLocale: string | undefined;

/** The locale used when a call names none: the person's (set once by web/src/i18n), else the browser's. */
export function setDefaultLocale(locale: string | undefined): void {
  defaultLocale = locale;
}

function currencyFormatter(currency: string, given: string | undefined, whole = false): Intl.NumberFormat {
  const locale = given ?? defaultLocale;
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

function numberFormatter(given: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = given ?? defaultLocale;
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** Rates and points: 10,000 ppm = 1%. 25,000 -> "2.5%" (en-US), "2,5 %" (fr-FR); the person's locale by default. */
export function formatPpmPercent(ppm: number, locale?: string): string {
  if (!Number.isSafeInteger(ppm)) return String(ppm);
  return numberFormatter(locale, { style: 'percent', maximumFractionDigits: 4 }).format(ppm / 1_000_000);
}

/** Factors: 1,000,000 ppm = x1. 1,250,000 -> "×1.25" (en-US), "×1,25" (fr-FR); the person's locale by default. */
export function formatPpmFactor(ppm: number, locale?: string): string {
  if (!Number.isSafeInteger(ppm)) return String(ppm);
  return `×${numberFormatter(locale, { maximumFractionDigits: 6 }).format(ppm / 1_000_000)}`;
}

/** How a locale writes numbers: its decimal and group separators, and an example amount. */
export interface NumberConventions {
  readonly decimal: string;
  readonly group: string;
  /** 1234.56 as the locale writes it ("1,234.56", "1 234,56", "1.234,56"). */
  readonly example: string;
}

const conventions = new Map<string, NumberConventions>();

/** The locale's separators, learnt from Intl.NumberFormat's formatToParts (the browser's own locale by default). */
export function numberConventions(given?: string): NumberConventions {
  const locale = given ?? defaultLocale;
  const key = locale ?? '';
  let c = conventions.get(key);
  if (!c) {
    const f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const parts = f.formatToParts(1234567.5);
    c = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
      example: f.format(1234.56),
    };
    conventions.set(key, c);
  }
  return c;
}

/** Why typed money was refused: a code translated under `money.input.*`, with its parameters. */
export type MoneyInputCode =
  | 'unknownCurrency'
  | 'empty'
  | 'signed'
  | 'notAmount'
  | 'mixedGroups'
  | 'ambiguous'
  | 'decimalOnce'
  | 'ambiguousMark'
  | 'badGroups'
  | 'noDecimals'
  | 'tooManyDecimals'
  | 'tooLarge';

export type MoneyInputParams = Readonly<Record<string, string | number>>;

export type MoneyInput =
  | { ok: true; minor: number }
  | {
      ok: false;
      /** What is wrong (`money.input.<code>`), with `params`. */
      code: MoneyInputCode;
      params: MoneyInputParams;
      /** What to type instead (`money.input.hint`, plural on `count`), with `hintParams`; null when nothing can be typed. */
      hintParams: MoneyInputParams | null;
      /** Both, as a sentence to show next to the field, in the app's language (English outside the app). */
      message: string;
    };

export interface MoneyInputOptions {
  /** The person's locale (default: the browser's, as formatMoney uses). */
  readonly locale?: string | undefined;
  /** Whether a sign may be typed ("-400", "+12", "−12" with a typographic minus). Default: no. */
  readonly signed?: boolean;
}

/** White space a person or a locale puts between groups: space, no-break, narrow no-break, thin, figure. */
const SPACES = /[ \u00a0\u202f\u2009\u2007]/g;
/** Group separators that never mean a decimal point: the spaces above and apostrophes (de-CH 1'234.50). */
const GROUP_ONLY = /^[ '\u2019]$/;

/**
 * Money typed by a person, parsed in the person's locale into integer minor units, exactly (digits are
 * shifted as text, never multiplied in floating point), or refused with a message to show next to the
 * field. Never silently scaled. The rules (README.md, "Amounts typed in the web app"):
 *
 * - Separators are learnt from the locale (`numberConventions`). Spaces of any kind (including the no-break
 *   and narrow no-break spaces French uses) and apostrophes only ever group thousands.
 * - With both `.` and `,` in the text, the last one is the decimal separator and must appear once, the
 *   other groups thousands: "1.500,50" and "1,500.50" are 1500.50 in every locale.
 * - With one of them, the locale decides what it is when it is one of the locale's separators:
 *   - the locale's decimal separator is a decimal separator, never a group: "150,25" in fr-FR or de-DE is
 *     150.25, and "1,500" in fr-FR is refused for USD (3 decimals; "1 500" or "1,50" is meant), never
 *     read as 1500;
 *   - the locale's group separator groups thousands when it is followed by groups of three digits ("1,500"
 *     in en-US is 1500, "1.500" in de-DE is 1500); when it cannot be a group but can be a decimal point
 *     ("150,25" in en-US, "150.25" in de-DE) it is read as one;
 *   - a separator the locale does not use ("." in fr-FR) is a decimal point, except once before exactly
 *     three digits ("1.500" in fr-FR): that could be either, and is refused as ambiguous.
 * - Groups are of three digits after the first (1 to 3); never more decimals than the currency has (0
 *   for JPY); at most the largest safe integer of minor units. Anything else (letters, two signs,
 *   "1.500,5.0") is refused. A leading or trailing currency code or the currency's symbol is ignored.
 */
export function parseMoneyInput(
  input: string,
  currency: string,
  options: MoneyInputOptions = {},
): MoneyInput {
  const conv = numberConventions(options.locale);
  const exponent = minorExponent(currency);
  if (exponent === null) return refusal('unknownCurrency', { currency }, null);
  const hint = { currency, example: conv.example, count: exponent };
  const typed = input.trim();
  const refuse = (code: MoneyInputCode, params: MoneyInputParams = { input: typed }): MoneyInput =>
    refusal(code, params, hint);

  let text = input.replace(SPACES, ' ').trim();
  if (text === '') return refuse('empty', {});
  // A sign, and a currency code or symbol typed with the amount, on either side of the sign.
  let sign = '';
  const takeSign = () => {
    if (!/^[-−+]/.test(text)) return;
    if (sign) return;
    sign = text[0] as string;
    text = text.slice(1).trim();
  };
  takeSign();
  for (const mark of currencyMarks(currency, options.locale)) {
    const upper = text.toUpperCase();
    if (upper.startsWith(mark.toUpperCase())) text = text.slice(mark.length).trim();
    else if (upper.endsWith(mark.toUpperCase())) text = text.slice(0, -mark.length).trim();
  }
  takeSign();
  if (sign && !options.signed) return refuse('signed', {});
  const negative = sign === '-' || sign === '−';
  if (!/^[0-9., '\u2019]*$/.test(text) || !/\d/.test(text)) return refuse('notAmount');

  // The separators, in order, and which of them could be a decimal point.
  const seps = [...text.matchAll(/[^0-9]/g)].map((m) => m[0]);
  const groupOnly = new Set(seps.filter((c) => GROUP_ONLY.test(c)));
  const marks = seps.filter((c) => !GROUP_ONLY.test(c)); // '.' and ','
  if (groupOnly.size > 1) return refuse('mixedGroups');
  let decimal: string | null = null;
  const kinds = new Set(marks);
  if (kinds.size === 2) {
    decimal = marks[marks.length - 1] as string;
    if (marks.filter((c) => c === decimal).length > 1 || groupOnly.size > 0) return refuse('ambiguous');
  } else if (kinds.size === 1) {
    const mark = marks[0] as string;
    const once = marks.length === 1;
    const afterLast = text.slice(text.lastIndexOf(mark) + 1);
    const couldGroup = groupOnly.size === 0 && validGroups(text, mark);
    const couldDecimal = once && /^\d*$/.test(afterLast);
    if (mark === conv.decimal) {
      if (!once) return refuse('decimalOnce', { input: typed, mark });
      decimal = mark;
    } else if (mark === conv.group) {
      if (couldGroup) decimal = null;
      else if (couldDecimal) decimal = mark;
      else return refuse('notAmount');
    } else if (once && /^\d{3}$/.test(afterLast) && /\d/.test(text.slice(0, text.indexOf(mark)))) {
      return refuse('ambiguousMark', { input: typed, mark });
    } else if (couldDecimal) decimal = mark;
    else if (couldGroup) decimal = null;
    else return refuse('notAmount');
  }

  const at = decimal === null ? -1 : text.lastIndexOf(decimal);
  const wholeText = at < 0 ? text : text.slice(0, at);
  const frac = at < 0 ? '' : text.slice(at + 1);
  if (!/^\d*$/.test(frac)) return refuse('notAmount');
  const groupSep = [...new Set(wholeText.replace(/\d/g, ''))];
  if (groupSep.length > 1) return refuse('mixedGroups');
  if (groupSep.length === 1 && !validGroups(wholeText, groupSep[0] as string)) return refuse('badGroups');
  const whole = wholeText.replace(/\D/g, '');
  if (whole === '' && frac === '') return refuse('notAmount');
  if (frac.length > exponent)
    return exponent === 0
      ? refuse('noDecimals', { currency })
      : refuse('tooManyDecimals', { input: typed, decimals: frac.length, currency, exponent });
  const digits = (whole + frac.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return refuse('tooLarge');
  return { ok: true, minor: negative && value !== 0 ? -value : value };
}

function refusal(
  code: MoneyInputCode,
  params: MoneyInputParams,
  hintParams: MoneyInputParams | null,
): MoneyInput {
  const why = translate(`input.${code}`, params);
  const message = hintParams ? `${why} ${translate('input.hint', hintParams)}` : why;
  return { ok: false, code, params, hintParams, message };
}

/**
 * A text of the `money` catalogue in the app's language (i18next, once web/src/i18n has started it), else
 * in English (unit tests, scripts): `{{name}}` replaced, `_one`/`_other` chosen on `count` as English does.
 */
function translate(key: string, params: MoneyInputParams): string {
  if (i18next.isInitialized) return i18next.t(`money.${key}`, params);
  const texts = moneyTexts.input as Record<string, string>;
  const name = key.slice('input.'.length);
  const text =
    texts[name] ??
    (typeof params.count === 'number'
      ? texts[`${name}_${params.count === 1 ? 'one' : 'other'}`]
      : undefined) ??
    key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, p: string) => String(params[p] ?? ''));
}

/**
 * An amount as a person of the locale would type it, for a field's initial value: the locale's decimal
 * separator, no grouping, trailing zero decimals left out ("1500,5" in fr-FR for 150050 USD). Read back
 * by parseMoneyInput as the same amount.
 */
export function moneyInputText(amountMinor: number, currency: string, locale?: string): string {
  const exponent = minorExponent(currency) ?? 0;
  const text = scaledDecimal(amountMinor, exponent, true);
  const { decimal } = numberConventions(locale);
  return decimal === ',' ? text.replace('.', ',') : text;
}

/** `1`, `12`, `123` then groups of exactly three digits, split by `sep`. */
function validGroups(text: string, sep: string): boolean {
  const groups = text.split(sep);
  return (
    groups.length > 1 &&
    /^\d{1,3}$/.test(groups[0] as string) &&
    groups.slice(1).every((g) => /^\d{3}$/.test(g))
  );
}

/** The currency's code and its symbols in the locale ("USD", "$US", "US$", "$"), longest first. */
function currencyMarks(currency: string, given: string | undefined): string[] {
  const locale = given ?? defaultLocale;
  const marks = new Set<string>([currency]);
  for (const display of ['symbol', 'narrowSymbol'] as const) {
    try {
      const parts = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay: display,
      }).formatToParts(1);
      const symbol = parts.find((p) => p.type === 'currency')?.value;
      if (symbol) marks.add(symbol);
    } catch {
      // an unknown currency: its code only
    }
  }
  return [...marks].sort((a, b) => b.length - a.length);
}
