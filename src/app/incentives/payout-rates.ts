import type { Kysely } from 'kysely';
import {
  convertStatement,
  type PayoutConversion,
  type PayoutRateFacts,
} from '../../core/ledger/fx-payout.js';
import type { PeriodRange } from '../../core/ledger/periods.js';
import {
  convertMinor,
  daysBefore,
  formatFxRate,
  fxRate,
  parseFxRate,
  RateBook,
  type FoundRate,
  type MissingRatePolicy,
  type Rate,
} from '../../core/money/fx.js';
import { missingRatePolicy } from '../../core/programs/exchange.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { TrellisError } from '../../core/shared/errors.js';
import { exchangeRateRepository } from '../../db/repositories/exchange-rate-repository.js';
import { payoutRepository } from '../../db/repositories/payout-repository.js';
import type { Database, StatementsTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

/**
 * The rate a statement paid in the partner's currency uses (issue 17, docs/currencies.md): the program's
 * `exchange.payoutRate` says which, `exchange.missingRate` what to do when it is not loaded. A period's
 * average is fixed when the statement is issued, the payout day's rate when it is paid; until then an
 * issued statement shows an estimate at the latest rate known (marked as one).
 */

/** How far back the latest known rate is looked for, for an estimate only. */
const ESTIMATE_WINDOW_DAYS = 366;

type StatementRow = Selectable<StatementsTable>;

async function bookOf(db: Kysely<Database>, vendorId: string, first: string, last: string) {
  const rows = await exchangeRateRepository(db).between(vendorId, first, last);
  return new RateBook(rows.map((r) => ({ base: r.base, quote: r.quote, day: r.day, rate: fxRate(r.rate) })));
}

function derivationText(f: FoundRate): string {
  return f.derivation.kind === 'cross' ? `cross:${f.derivation.via}` : f.derivation.kind;
}

/** The refusal when a payout's rate is not loaded: names the pair, the day and what to do. */
export function missingRate(
  statementId: string,
  from: string,
  to: string,
  day: string,
  missing: MissingRatePolicy,
  what: string,
): TrellisError {
  const within =
    missing.policy === 'last-known'
      ? ` nor on any of the ${missing.withinDays} days before (the program's limit)`
      : '';
  const message = `no ${from}/${to} rate for ${day}${within}: statement ${statementId} cannot be ${what} in ${to} until that rate is loaded (trellis rates import, or POST /api/rates)`;
  return new TrellisError('conflict', message, [{ location: `rates.${from}/${to}.${day}`, message }], {
    messageKey: 'payout.missingRate',
    params: { statementId, from, to, day },
  });
}

/** The payout day's rate (the program's missing-rate policy applies); null = not loaded. */
export async function payoutDayRate(
  db: Kysely<Database>,
  vendorId: string,
  program: ProgramDefinition,
  from: string,
  to: string,
  day: string,
): Promise<PayoutRateFacts | null> {
  const missing = missingRatePolicy(program);
  const first = missing.policy === 'last-known' ? daysBefore(day, missing.withinDays) : day;
  const found = (await bookOf(db, vendorId, first, day)).find(from, to, day, missing);
  if (!found) return null;
  return {
    basis: 'payout-day',
    rate: formatFxRate(found.rate),
    rateDay: found.rateDay,
    firstDay: null,
    days: null,
    derivation: derivationText(found),
    bridged: found.rateDay !== day,
  };
}

/**
 * The period's average rate: the mean of the rates of every day of the period that has one. A period
 * with none is bridged, under the last-known policy, by the latest rate within the limit before its last
 * day; null = not loaded.
 */
export async function periodAverageRate(
  db: Kysely<Database>,
  vendorId: string,
  program: ProgramDefinition,
  from: string,
  to: string,
  range: PeriodRange,
): Promise<PayoutRateFacts | null> {
  const missing = missingRatePolicy(program);
  const first = missing.policy === 'last-known' ? daysBefore(range.from, missing.withinDays) : range.from;
  const book = await bookOf(db, vendorId, first, range.to);
  const avg = book.average(from, to, range.from, range.to);
  if (avg)
    return {
      basis: 'period-average',
      rate: formatFxRate(avg.rate),
      rateDay: avg.lastDay,
      firstDay: avg.firstDay,
      days: avg.days,
      derivation: 'average',
      bridged: false,
    };
  const found = book.find(from, to, range.to, missing);
  if (!found) return null;
  return {
    basis: 'period-average',
    rate: formatFxRate(found.rate),
    rateDay: found.rateDay,
    firstDay: null,
    days: null,
    derivation: derivationText(found),
    bridged: true,
  };
}

/** The latest rate known on or before `day` (an estimate for a statement paid at the payout day's rate). */
export async function latestRate(
  db: Kysely<Database>,
  vendorId: string,
  from: string,
  to: string,
  day: string,
): Promise<{ rate: Rate; rateDay: string } | null> {
  const book = await bookOf(db, vendorId, daysBefore(day, ESTIMATE_WINDOW_DAYS), day);
  const found = book.find(from, to, day, { policy: 'last-known', withinDays: ESTIMATE_WINDOW_DAYS });
  return found ? { rate: found.rate, rateDay: found.rateDay } : null;
}

/** The statement's columns that fix a conversion at a rate. */
export function fixedColumns(facts: PayoutRateFacts, c: PayoutConversion) {
  return {
    payoutRate: facts.rate,
    payoutRateBasis: facts.basis,
    payoutRateDay: facts.rateDay,
    payoutRateFirstDay: facts.firstDay,
    payoutRateDays: facts.days,
    payoutRateDerivation: facts.derivation,
    payoutRateBridged: facts.bridged ? 1 : 0,
    payoutLinesMinor: c.linesMinor,
    payoutTotalMinor: c.convertedMinor,
    payoutRoundingMinor: c.roundingMinor,
  };
}

/** Converts a statement's lines (read in `db`) and total at a rate. */
export async function convertStatementAt(
  db: Kysely<Database>,
  s: Pick<StatementRow, 'id' | 'vendorId' | 'currency' | 'totalMinor'>,
  to: string,
  rateText: string,
): Promise<PayoutConversion> {
  const lines = await payoutRepository(db).lineAmounts(s.vendorId, s.id);
  return convertStatement(lines, Number(s.totalMinor), s.currency, to, fxRate(rateText));
}

/** A statement's payout in another currency as shown: fixed, or an estimate at the latest known rate. */
export interface PayoutView {
  readonly currency: string;
  /** The rate (exact decimal text): 1 unit of the statement's currency = rate units of the payout currency. */
  readonly rate: string | null;
  readonly basis: 'payout-day' | 'period-average';
  readonly rateDay: string | null;
  readonly rateFirstDay: string | null;
  readonly rateDays: number | null;
  readonly derivation: string | null;
  readonly bridged: boolean;
  /** True while the rate is not fixed (a payout day's rate before the payment): amounts at the latest rate. */
  readonly estimate: boolean;
  readonly linesMinor: number | null;
  readonly totalMinor: number | null;
  readonly roundingMinor: number | null;
}

const n = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** The payout part of a statement's view from its stored columns (null: paid in its own currency, or carried). */
export function storedPayout(s: StatementRow): PayoutView | null {
  // A carried statement pays nothing: its total moves to the next statement, converted there.
  if (!s.payoutCurrency || s.payoutCurrency === s.currency || s.status === 'carried') return null;
  return {
    currency: s.payoutCurrency,
    rate: s.payoutRate ?? null,
    basis: (s.payoutRateBasis as PayoutView['basis'] | null) ?? 'payout-day',
    rateDay: s.payoutRateDay ?? null,
    rateFirstDay: s.payoutRateFirstDay ?? null,
    rateDays: n(s.payoutRateDays),
    derivation: s.payoutRateDerivation ?? null,
    bridged: n(s.payoutRateBridged) === 1,
    estimate: s.payoutRate === null || s.payoutRate === undefined,
    linesMinor: n(s.payoutLinesMinor),
    totalMinor: n(s.payoutTotalMinor),
    roundingMinor: n(s.payoutRoundingMinor),
  };
}

/**
 * The payout of a statement whose rate is not fixed yet, estimated at the latest known rate: the total
 * (and, with `lines`, the lines and the rounding) converted at it. Unchanged when fixed or when no rate is
 * known.
 */
export function withEstimate(
  s: StatementRow,
  view: PayoutView,
  latest: { rate: Rate; rateDay: string } | null,
  lines: readonly number[] | null,
): PayoutView {
  if (!view.estimate || !latest) return view;
  const total = Number(s.totalMinor);
  if (lines) {
    const c = convertStatement(lines, total, s.currency, view.currency, latest.rate);
    return {
      ...view,
      rate: formatFxRate(latest.rate),
      rateDay: latest.rateDay,
      linesMinor: c.linesMinor,
      totalMinor: c.convertedMinor,
      roundingMinor: c.roundingMinor,
    };
  }
  return {
    ...view,
    rate: formatFxRate(latest.rate),
    rateDay: latest.rateDay,
    totalMinor: convertMinor(total, s.currency, view.currency, latest.rate),
  };
}

/** The rate of a view as a Rate (null when none is known). */
export function viewRate(view: PayoutView | null): Rate | null {
  if (!view?.rate) return null;
  const r = parseFxRate(view.rate);
  return r.ok ? r.value : null;
}
