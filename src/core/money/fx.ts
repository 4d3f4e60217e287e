import { TrellisError } from '../shared/errors.js';
import { isCurrency, minorExponent } from './currency.js';
import { bigDivRoundHalfEven } from './rate.js';

/**
 * Exchange rates and conversions, exact (issue 17). A rate is an exact decimal: 1 unit of `base` is worth
 * `rate` units of `quote` ("EUR/USD 1.0712": 1 euro = 1.0712 dollars). It is never a float: it is held as
 * an integer of units over a power of ten, and a conversion multiplies integer minor units by it in BigInt
 * and rounds once, half to even (the one rounding policy of Trellis, core/money/rate.ts).
 *
 * A rate not loaded as such is derived from loaded ones: the inverse of the opposite pair (USD/EUR from
 * EUR/USD) or a cross through a common base (GBP/USD from EUR/USD and EUR/GBP, as a central bank's
 * reference rates against the euro give them). A derived rate is rounded half to even to
 * MAX_RATE_DECIMALS decimals, and that rounded rate is the one used and shown, so every converted amount
 * can be recomputed by hand from the rate on record.
 */

/** Decimals a rate keeps (loaded or derived). */
export const MAX_RATE_DECIMALS = 10;
/** Integer digits a rate may have (1 unit of the base worth at most 10^12 of the quote). */
const MAX_RATE_INTEGER_DIGITS = 12;

/** An exact decimal rate: `units / 10^scale`, units > 0, trailing zeros removed. */
export interface Rate {
  readonly units: bigint;
  readonly scale: number;
}

export type ParseRateResult = { ok: true; value: Rate } | { ok: false; error: string };

const RATE_TEXT = /^(\d+)(?:\.(\d+))?$/;

/** A rate written as a plain decimal ("1.0712", "0.8563", "161.25"), positive, at most 10 decimals. */
export function parseFxRate(text: string): ParseRateResult {
  const t = text.trim();
  const m = RATE_TEXT.exec(t);
  if (!m)
    return {
      ok: false,
      error: `"${text}" is not a rate; write a positive decimal with a dot, such as 1.0712`,
    };
  const [, int = '', frac = ''] = m;
  if (frac.length > MAX_RATE_DECIMALS)
    return { ok: false, error: `"${text}" has more than ${MAX_RATE_DECIMALS} decimals` };
  if (int.replace(/^0+/, '').length > MAX_RATE_INTEGER_DIGITS)
    return { ok: false, error: `"${text}" is too large: at most ${MAX_RATE_INTEGER_DIGITS} integer digits` };
  const units = BigInt(int + frac);
  if (units <= 0n) return { ok: false, error: `"${text}" is not a rate: a rate must be greater than zero` };
  return { ok: true, value: normalise({ units, scale: frac.length }) };
}

/** The rate of a valid decimal text; throws on anything parseFxRate refuses. */
export function fxRate(text: string): Rate {
  const r = parseFxRate(text);
  if (!r.ok) throw new RangeError(r.error);
  return r.value;
}

function normalise(r: Rate): Rate {
  let { units, scale } = r;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** The canonical text of a rate: "1.0712", "0.85", "161". */
export function formatFxRate(r: Rate): string {
  const s = r.units.toString().padStart(r.scale + 1, '0');
  if (r.scale === 0) return s;
  return `${s.slice(0, s.length - r.scale)}.${s.slice(s.length - r.scale)}`;
}

export function sameRate(a: Rate, b: Rate): boolean {
  return a.units === b.units && a.scale === b.scale;
}

/** A rational p/q (both > 0) as a rate rounded half to even to MAX_RATE_DECIMALS decimals. */
function rateOfRatio(p: bigint, q: bigint, what: string): Rate {
  const r = keepable(p, q);
  if (!r) throw new RangeError(`${what} cannot be kept as a rate of ${MAX_RATE_DECIMALS} decimals`);
  return r;
}

/** p/q as a rate of MAX_RATE_DECIMALS decimals, or null when it rounds to zero or has too many integer digits. */
function keepable(p: bigint, q: bigint): Rate | null {
  const units = bigDivRoundHalfEven(p * 10n ** BigInt(MAX_RATE_DECIMALS), q);
  if (units <= 0n || units >= 10n ** BigInt(MAX_RATE_INTEGER_DIGITS + MAX_RATE_DECIMALS)) return null;
  return normalise({ units, scale: MAX_RATE_DECIMALS });
}

/** 1 / r, rounded to MAX_RATE_DECIMALS decimals (USD/EUR from EUR/USD). */
export function invertRate(r: Rate): Rate {
  return rateOfRatio(10n ** BigInt(r.scale), r.units, `the inverse of ${formatFxRate(r)}`);
}

/**
 * The cross rate from/to through a common base P: (P/to) / (P/from), rounded to MAX_RATE_DECIMALS
 * decimals. With EUR/USD 1.08 and EUR/GBP 0.84: GBP/USD = 1.08 / 0.84.
 */
export function crossRate(baseToFrom: Rate, baseToTo: Rate): Rate {
  // (a / 10^sa) / (b / 10^sb) = a * 10^sb / (b * 10^sa)
  return rateOfRatio(
    baseToTo.units * 10n ** BigInt(baseToFrom.scale),
    baseToFrom.units * 10n ** BigInt(baseToTo.scale),
    'a cross rate',
  );
}

/** The arithmetic mean of rates, rounded to MAX_RATE_DECIMALS decimals (a period's average rate). */
export function meanRate(rates: readonly Rate[]): Rate {
  if (rates.length === 0) throw new RangeError('the mean of no rates');
  const scale = Math.max(...rates.map((r) => r.scale));
  let sum = 0n;
  for (const r of rates) sum += r.units * 10n ** BigInt(scale - r.scale);
  return rateOfRatio(sum, BigInt(rates.length) * 10n ** BigInt(scale), 'a mean rate');
}

/**
 * Converts integer minor units of `from` into minor units of `to` at `rate` (1 from = rate to), rounded
 * once, half to even. Minor-unit exponents are respected (EUR cents to JPY yen). Exact for every amount
 * within the money limits (docs/limits.md); throws if the result leaves the safe-integer range.
 */
export function convertMinor(amountMinor: number, from: string, to: string, rate: Rate): number {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount ${amountMinor} is not a safe integer`);
  if (from === to) return amountMinor;
  const shift = minorExponent(to) - minorExponent(from);
  let n = BigInt(amountMinor) * rate.units;
  let d = 10n ** BigInt(rate.scale);
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else d *= 10n ** BigInt(-shift);
  const out = bigDivRoundHalfEven(n, d);
  const value = Number(out);
  if (!Number.isSafeInteger(value))
    throw new TrellisError(
      'invalid_input',
      `${amountMinor} minor units of ${from} at ${formatFxRate(rate)} leave the exact range of ${to} (docs/limits.md)`,
    );
  return value + 0;
}

// ---------------------------------------------------------------------------------------------------
// Finding the rate of a day

/** One loaded rate: 1 `base` = `rate` `quote` on `day`. */
export interface DayRate {
  readonly base: string;
  readonly quote: string;
  readonly day: string;
  readonly rate: Rate;
}

/** How a rate was had: as loaded, as the inverse of the opposite pair, or across a common base. */
export type RateDerivation =
  | { readonly kind: 'direct' }
  | { readonly kind: 'inverse' }
  | { readonly kind: 'cross'; readonly via: string };

/** The rate found for a conversion, with the day it was loaded for and how it was had. */
export interface FoundRate {
  readonly from: string;
  readonly to: string;
  /** The day asked for. */
  readonly day: string;
  /** The day of the rates used (earlier than `day` when the last known rate bridged a gap). */
  readonly rateDay: string;
  readonly rate: Rate;
  readonly derivation: RateDerivation;
}

/** What to do when a day has no rate: refuse, or use the last known rate of at most `withinDays` before. */
export type MissingRatePolicy =
  { readonly policy: 'refuse' } | { readonly policy: 'last-known'; readonly withinDays: number };

/** Days before `day` (ISO dates, UTC). */
export function daysBefore(day: string, n: number): string {
  if (!isIsoDay(day))
    throw new TrellisError('invalid_input', `"${day}" is not a date; write it as 2026-12-04`);
  const t = Date.parse(`${day}T00:00:00Z`) - n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The rates of a vendor indexed for look-up: by pair, each pair's days sorted. Build it from the rows of
 * the days a conversion may use (a window ending on the last day needed).
 */
export class RateBook {
  private readonly byPair = new Map<string, { days: string[]; rates: Map<string, Rate> }>();
  private readonly currencies = new Set<string>();

  constructor(rows: Iterable<DayRate>) {
    for (const r of rows) {
      const key = `${r.base}/${r.quote}`;
      let p = this.byPair.get(key);
      if (!p) this.byPair.set(key, (p = { days: [], rates: new Map() }));
      if (!p.rates.has(r.day)) p.days.push(r.day);
      p.rates.set(r.day, r.rate);
      this.currencies.add(r.base);
      this.currencies.add(r.quote);
    }
    for (const p of this.byPair.values()) p.days.sort();
  }

  private on(base: string, quote: string, day: string): Rate | undefined {
    return this.byPair.get(`${base}/${quote}`)?.rates.get(day);
  }

  /** The rate from/to on exactly `day` as an exact ratio [numerator, denominator], as loaded or inverted. */
  private ratio(from: string, to: string, day: string): [bigint, bigint] | null {
    const direct = this.on(from, to, day);
    if (direct) return [direct.units, 10n ** BigInt(direct.scale)];
    const opposite = this.on(to, from, day);
    if (opposite) return [10n ** BigInt(opposite.scale), opposite.units];
    return null;
  }

  /**
   * The rate from/to on exactly `day`: loaded, inverted, or crossed through a common currency (each leg
   * loaded either way round: GBP/USD from EUR/USD with EUR/GBP, or with GBP/EUR). A derived rate is
   * computed from the exact ratio and rounded once to MAX_RATE_DECIMALS decimals; one that rounds to zero
   * or is too large to keep (more than 12 integer digits) is not had (the caller says the rate is missing).
   */
  exact(from: string, to: string, day: string): FoundRate | null {
    const found = (rate: Rate, derivation: RateDerivation): FoundRate => ({
      from,
      to,
      day,
      rateDay: day,
      rate,
      derivation,
    });
    if (from === to) return found({ units: 1n, scale: 0 }, { kind: 'direct' });
    const direct = this.on(from, to, day);
    if (direct) return found(direct, { kind: 'direct' });
    const opposite = this.on(to, from, day);
    if (opposite) {
      const r = keepable(10n ** BigInt(opposite.scale), opposite.units);
      return r ? found(r, { kind: 'inverse' }) : null;
    }
    for (const via of [...this.currencies].sort()) {
      if (via === from || via === to) continue;
      const a = this.ratio(from, via, day);
      const b = a && this.ratio(via, to, day);
      if (!a || !b) continue;
      const r = keepable(a[0] * b[0], a[1] * b[1]);
      if (r) return found(r, { kind: 'cross', via });
    }
    return null;
  }

  /**
   * The rate of `day` under the policy: that day's, else (last-known) the latest day before it within
   * `withinDays`. null = none (the caller refuses, naming the pair and the day).
   */
  find(from: string, to: string, day: string, missing: MissingRatePolicy): FoundRate | null {
    const same = this.exact(from, to, day);
    if (same || missing.policy === 'refuse') return same;
    const earliest = daysBefore(day, missing.withinDays);
    for (const d of this.candidateDays(earliest, day)) {
      const f = this.exact(from, to, d);
      if (f) return { ...f, day };
    }
    return null;
  }

  /** Days in [first, before) that have any rate, latest first. */
  private candidateDays(first: string, before: string): string[] {
    const days = new Set<string>();
    for (const p of this.byPair.values()) for (const d of p.days) if (d >= first && d < before) days.add(d);
    return [...days].sort().reverse();
  }

  /**
   * The mean of the rates of every day in [from, to] (inclusive) that has one (a period's average);
   * null when no day has. The days used are counted.
   */
  average(
    fromCurrency: string,
    toCurrency: string,
    first: string,
    last: string,
  ): { rate: Rate; days: number; firstDay: string; lastDay: string } | null {
    if (fromCurrency === toCurrency)
      return { rate: { units: 1n, scale: 0 }, days: 0, firstDay: first, lastDay: last };
    const days = new Set<string>();
    for (const p of this.byPair.values()) for (const d of p.days) if (d >= first && d <= last) days.add(d);
    const rates: Rate[] = [];
    const used: string[] = [];
    for (const d of [...days].sort()) {
      const f = this.exact(fromCurrency, toCurrency, d);
      if (f) {
        rates.push(f.rate);
        used.push(d);
      }
    }
    if (rates.length === 0) return null;
    return {
      rate: meanRate(rates),
      days: rates.length,
      firstDay: used[0] as string,
      lastDay: used.at(-1) as string,
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Rate files

/** A rate as a file or an API body gives it, before checking. */
export interface RateInput {
  readonly base: string;
  readonly quote: string;
  readonly day: string;
  readonly rate: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDay(d: string): boolean {
  if (!ISO_DAY.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/**
 * Every reason a set of rates cannot be loaded, each naming where (`at(i, field)` gives the location of
 * row i's field: "line 3, column rate" for a file, "body.rates.2.rate" for the API). Empty = valid. Two
 * rows for one pair and day are refused (which one would be right?), as are a currency the product does
 * not know, a pair of one currency, a day that is not a calendar date, and a rate of zero or less.
 */
export function checkRates(
  rows: readonly RateInput[],
  at: (row: number, field: keyof RateInput) => string,
): { location: string; message: string }[] {
  const errors: { location: string; message: string }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    for (const field of ['base', 'quote'] as const) {
      const code = r[field];
      if (!isCurrency(code))
        errors.push({
          location: at(i, field),
          message: `unknown currency "${code}"; expected an ISO 4217 code such as "EUR"`,
        });
    }
    if (r.base === r.quote && isCurrency(r.base))
      errors.push({
        location: at(i, 'quote'),
        message: `a rate converts between two currencies, not ${r.base} to itself`,
      });
    if (!isIsoDay(r.day))
      errors.push({ location: at(i, 'day'), message: `"${r.day}" is not a date; write it as 2026-12-04` });
    const parsed = parseFxRate(r.rate);
    if (!parsed.ok) errors.push({ location: at(i, 'rate'), message: parsed.error });
    const key = `${r.base}/${r.quote}/${r.day}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({
        location: at(i, 'day'),
        message: `a second ${r.base}/${r.quote} rate for ${r.day} (the first is at ${at(first, 'day')}); give one rate per pair and day`,
      });
    else seen.set(key, i);
  });
  return errors;
}
