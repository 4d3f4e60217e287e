import { z } from 'zod';
import { isCurrency } from '../money/currency.js';
import type { Money } from '../money/money.js';
import { formatMoney, parseMoney } from '../money/money.js';
import type { Ppm } from '../money/rate.js';
import { parseFactor, parsePercent } from '../money/rate.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { isCountry, REGIONS, SEGMENTS } from '../model/geography.js';
import type { Duration, MonthDay } from './types.js';

/**
 * Zod building blocks for the text notation people type in program files: money ("USD 1.6M"),
 * percentages ("4%"), factors ("x1.25"), ISO dates, durations ("P1Y" or { months: 12 }), codes.
 * Each parses to the normalised form (Money, ppm, Duration) and fails with a message saying what is expected.
 */

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

/** Message for a wrong type: undefined lets the formatter report a missing field. */
function expecting(what: string) {
  return (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : `expected ${what}, got ${show(issue.input)}`;
}

export const MONEY_PATTERN = '^[A-Z]{3}\\s+-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?\\s*[KM]?$';

/** Money as text: "USD 3,000,000", "USD 1.6M", "EUR 500K". Never negative in a program file. */
export const moneySchema = z
  .string({ error: expecting('money as text, e.g. "USD 3,000,000" or "USD 1.6M"') })
  .transform((text, ctx): Money => {
    const parsed = parseMoney(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error, input: text });
      return z.NEVER;
    }
    if (parsed.value.amountMinor < 0) {
      ctx.addIssue({ code: 'custom', message: `must not be negative, got ${formatMoney(parsed.value)}` });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({
    description: 'Money as text: ISO currency, amount with optional thousands commas and K/M suffix.',
    pattern: MONEY_PATTERN,
    examples: ['USD 3,000,000', 'USD 1.6M', 'EUR 500K'],
  });

/** A percentage as text: "4%", "0.5%". Never negative in a program file. */
export const percentSchema = z
  .string({ error: expecting('a percentage as text, e.g. "4%"') })
  .transform((text, ctx): Ppm => {
    const parsed = parsePercent(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    if (parsed.value < 0) {
      ctx.addIssue({ code: 'custom', message: `must not be negative, got ${text}` });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({ description: 'A percentage as text, up to 4 decimals.', pattern: '^\\d+(\\.\\d{1,4})?\\s*%$' });

/** A multiplier: 1.25 or "x1.25"; strictly above zero. */
export const factorSchema = z
  .union([z.number(), z.string()], { error: expecting('a factor such as 1.25 or "x1.25"') })
  .transform((value, ctx): Ppm => {
    const text = String(value).trim();
    if (/^x?-/.test(text) || (typeof value === 'number' && value <= 0)) {
      ctx.addIssue({ code: 'custom', message: `a multiplier must be above zero, got ${text}` });
      return z.NEVER;
    }
    const parsed = parseFactor(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    if (parsed.value <= 0) {
      ctx.addIssue({ code: 'custom', message: `a multiplier must be above zero, got ${text}` });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({ description: 'A multiplier above zero: 1.25 or "x1.25".' });

/** An ISO calendar date, YYYY-MM-DD (unquoted in YAML is fine: Trellis reads YAML 1.2). */
export const isoDateSchema = z.iso
  .date({ error: expecting('an ISO date (YYYY-MM-DD)') })
  .meta({ description: 'An ISO date, YYYY-MM-DD.' });

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** "P1Y", "P12M", "P90D", "P1Y6M" or { years, months, weeks, days }; normalised to months + days. */
export const durationSchema = z
  .union(
    [
      z.string(),
      z
        .object({
          years: z.number().int().nonnegative().optional(),
          months: z.number().int().nonnegative().optional(),
          weeks: z.number().int().nonnegative().optional(),
          days: z.number().int().nonnegative().optional(),
        })
        .strict(),
    ],
    { error: expecting('a duration such as "P1Y", "P90D" or { months: 12 }') },
  )
  .transform((value, ctx): Duration => {
    let years = 0;
    let months = 0;
    let weeks = 0;
    let days = 0;
    if (typeof value === 'string') {
      const m = DURATION.exec(value.trim());
      if (!m || value.trim() === 'P') {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a calendar duration; write it as "P1Y", "P12M", "P90D" or { months: 12 }`,
        });
        return z.NEVER;
      }
      years = Number(m[1] ?? 0);
      months = Number(m[2] ?? 0);
      weeks = Number(m[3] ?? 0);
      days = Number(m[4] ?? 0);
    } else {
      years = value.years ?? 0;
      months = value.months ?? 0;
      weeks = value.weeks ?? 0;
      days = value.days ?? 0;
    }
    const result = { months: years * 12 + months, days: weeks * 7 + days };
    if (result.months === 0 && result.days === 0) {
      ctx.addIssue({ code: 'custom', message: 'a duration must be longer than zero' });
      return z.NEVER;
    }
    return result;
  })
  .meta({
    description: 'An ISO 8601 calendar duration (P1Y, P12M, P90D) or { years, months, weeks, days }.',
  });

/** "MM-DD", e.g. "02-01" for 1 February. */
export const monthDaySchema = z
  .string({ error: expecting('a month and day as "MM-DD"') })
  .transform((text, ctx): MonthDay => {
    const m = /^(\d{2})-(\d{2})$/.exec(text);
    const month = Number(m?.[1]);
    const day = Number(m?.[2]);
    const maxDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
    if (!m || day < 1 || day > maxDay) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a month and day as "MM-DD" (e.g. "02-01"), got "${text}"`,
      });
      return z.NEVER;
    }
    return { month, day };
  })
  .meta({ description: 'A month and day, "MM-DD".', pattern: '^\\d{2}-\\d{2}$' });

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Codes are kebab-case identifiers: "titanium", "emea-1", "new-business". */
export const codeSchema = z
  .string({ error: expecting('a code in kebab-case, e.g. "emea-1"') })
  .regex(CODE, { error: (i) => `expected a code in kebab-case (a-z, 0-9, "-"), got ${show(i.input)}` })
  .meta({ description: 'A kebab-case code.' });

export const textSchema = z.string({ error: expecting('text') }).min(1, { error: 'must not be empty' });

export const currencySchema = z
  .string({ error: expecting('an ISO 4217 currency code, e.g. "USD"') })
  .refine(isCurrency, {
    error: (i) => `unknown currency ${show(i.input)}; expected an ISO 4217 code such as "USD"`,
  })
  .meta({ description: 'An ISO 4217 currency code.', pattern: '^[A-Z]{3}$' });

export const countrySchema = z
  .string({ error: expecting('an ISO 3166-1 alpha-2 country code, e.g. "GB"') })
  .refine(isCountry, {
    error: (i) => `unknown country ${show(i.input)}; expected an ISO 3166-1 alpha-2 code such as "GB"`,
  })
  .meta({ description: 'An ISO 3166-1 alpha-2 country code.', pattern: '^[A-Z]{2}$' });

export function enumSchema<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (i) =>
      i.input === undefined
        ? undefined
        : `unknown ${what} ${show(i.input)}; expected one of ${values.join(', ')}`,
  });
}

export const familySchema = enumSchema(PRODUCT_FAMILIES, 'product family');
export const regionSchema = enumSchema(REGIONS, 'region');
export const segmentSchema = enumSchema(SEGMENTS, 'segment');

/** A product family used as a mapping key; the check is on the key so errors point at it. */
export const familyKeySchema = z
  .string()
  .refine((s) => (PRODUCT_FAMILIES as readonly string[]).includes(s), {
    error: (i) => `unknown product family ${show(i.input)}; expected one of ${PRODUCT_FAMILIES.join(', ')}`,
  })
  .meta({ enum: [...PRODUCT_FAMILIES] });

export const regionKeySchema = z
  .string()
  .refine((s) => (REGIONS as readonly string[]).includes(s), {
    error: (i) => `unknown region ${show(i.input)}; expected one of ${REGIONS.join(', ')}`,
  })
  .meta({ enum: [...REGIONS] });

export const countSchema = z
  .number({ error: expecting('a whole number') })
  .int({ error: 'expected a whole number' })
  .nonnegative({ error: 'must not be negative' });

export const positiveCountSchema = z
  .number({ error: expecting('a whole number above zero') })
  .int({ error: 'expected a whole number' })
  .positive({ error: 'must be above zero' });
