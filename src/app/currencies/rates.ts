import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { isCurrency } from '../../core/money/currency.js';
import {
  checkRates,
  convertMinor,
  daysBefore,
  formatFxRate,
  fxRate,
  RateBook,
  sameRate,
  type MissingRatePolicy,
  type RateDerivation,
  type RateInput,
} from '../../core/money/fx.js';
import { formatMoney } from '../../core/money/money.js';
import { missingRatePolicy } from '../../core/programs/exchange.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import {
  exchangeRateRepository,
  type ExchangeRateFilter,
  type ExchangeRateRow,
  type ExchangeRateSort,
} from '../../db/repositories/exchange-rate-repository.js';
import { recordAudit } from '../access/audit.js';
import { isConcurrencyError } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { csvBatches, csvColumnName, readCsvHeader, wrongWidth } from '../csv/read-csv.js';
import { paged, type PageParams } from '../pagination.js';
import { programInForce } from '../programs/program-in-force.js';

/**
 * Exchange rates by day (issue 17, item 1; docs/currencies.md "Exchange rates"): a vendor loads its rates
 * from a CSV file or the API, lists them, and checks a conversion by hand. Loading is all or nothing: every
 * row is checked (core `checkRates`: currencies, days, rates, one rate per pair and day) and compared with
 * what is stored; a row equal to the stored rate is skipped (importing a file again changes nothing), a row
 * that differs is refused unless the caller asks to replace (each replacement audited with before and
 * after); then every new rate is written in one transaction with multi-row inserts.
 */

/** Who loads or reads rates: the vendor's people (their scope), or the operator (the CLI) naming one. */
export interface RatesCaller {
  actor: Actor | { kind: 'system'; id: string };
  scope: Scope;
  requestId?: string | null | undefined;
}

/** A problem of a rate file or body, with where ("line 3, column rate" or "body.rates.2.rate"). */
export interface RateProblem extends ErrorDetail {
  /** The file line (1 = the header), for a file. */
  line?: number | undefined;
}

/** Rates a file may hold (a decade of daily rates of 30 currencies is about 80,000). */
export const MAX_RATE_ROWS = 2_000_000;
/** Bytes a rate file may hold. */
export const MAX_RATE_FILE_BYTES = 128 * 1024 * 1024;
/** Rates one API body may hold (larger sets: the CSV upload). */
export const MAX_RATE_BODY_ROWS = 10_000;
/** Problems listed (all are counted). */
export const MAX_RATE_PROBLEMS = 1_000;
/** Replacements listed in a summary (all are counted and audited). */
const MAX_LISTED_REPLACEMENTS = 1_000;

/** A replaced rate: what was stored, and what is now. */
export interface RateReplacement {
  base: string;
  quote: string;
  day: string;
  before: string;
  after: string;
}

export interface RateLoadSummary {
  /** The file name, or "api". */
  source: string;
  vendor: { id: string; slug: string; name: string };
  /** Rates read (rows of a long file, filled cells of a wide one). */
  rates: number;
  added: number;
  /** Equal to the stored rate: skipped. */
  unchanged: number;
  replaced: number;
  /** The replacements (at most 1,000 listed; `replaced` counts them all). */
  replacements: RateReplacement[];
  /** Columns of the file not read (unknown names, or currencies left out). */
  ignoredColumns: string[];
  shape: 'long' | 'wide' | 'api';
  /** The base of a wide file. */
  base: string | null;
  dryRun: boolean;
  seconds: number;
}

export type RateLoadOutcome =
  | { ok: true; summary: RateLoadSummary }
  /** Nothing was written. `status`: 400 for invalid input, 409 for rates that differ from stored ones. */
  | { ok: false; status: 400 | 409; problems: RateProblem[]; problemCount: number; message: string };

export interface RateLoadOptions {
  /** Replace stored rates that differ (audited, with before and after); default: refuse them. */
  replace?: boolean | undefined;
  /** Check everything, write nothing. */
  dryRun?: boolean | undefined;
  /** The vendor, by id or slug: required for the operator; must be one's own for a vendor's people. */
  vendor?: string | undefined;
}

export interface RateFileOptions extends RateLoadOptions {
  /** The file's name (the rates' `source`, messages, the audit trail). */
  name: string;
  /** A wide file's base currency (its columns are quote currencies): "EUR" for the ECB's rates. */
  base?: string | undefined;
  /** A wide file: load only these currencies' columns (others are ignored). */
  currencies?: readonly string[] | undefined;
  /** Size of the input, for progress. */
  totalBytes?: number | undefined;
  onProgress?: ((phase: 'read' | 'write', done: number, total: number) => void) | undefined;
}

const LONG_COLUMNS = ['base', 'quote', 'day', 'rate'] as const;
type LongColumn = (typeof LONG_COLUMNS)[number];
/** Cells of a wide file that say "no rate that day" (the ECB writes N/A). */
const NO_RATE = new Set(['', 'N/A', 'NA', '-']);

/** The vendor whose rates these are: the caller's own, or the one named (the operator must name one). */
export async function ratesVendor(
  ctx: AppContext,
  scope: Scope,
  vendor: string | undefined,
  access: 'read' | 'write' = 'read',
) {
  if (scope.kind === 'vendor') {
    // Rates convert every region's orders and payouts: people limited to regions read them, never load them.
    if (access === 'write' && scope.regions.length > 0)
      throw new TrellisError(
        'forbidden',
        "exchange rates apply to every region: only the vendor's people not limited to regions load them",
      );
    const own = await ctx.repos.vendors.get(scope, scope.vendorId);
    if (!own) throw notFound('vendor', scope.vendorId);
    if (vendor && vendor !== own.id && vendor !== own.slug) throw notFound('vendor', vendor);
    return own;
  }
  if (scope.kind === 'partner')
    throw new TrellisError('forbidden', "exchange rates are the vendor's treasury data");
  if (!vendor)
    throw new TrellisError('invalid_input', 'name the vendor whose rates these are', [
      { location: 'vendor', message: 'the vendor id or slug' },
    ]);
  const found = await ctx.repos.vendors.get(scope, vendor);
  if (!found) throw new TrellisError('not_found', `no vendor has the id or slug ${vendor}`);
  return found;
}

/** A file's rates before checking, each with where its fields are. */
interface ReadRates {
  rows: RateInput[];
  /** For row i: its line, and the column number of each field (0 = not a column: the base option). */
  lines: number[];
  shape: 'long' | 'wide';
  /** Column numbers: long shape, one per field; wide shape, the date column and each row's quote column. */
  columnOfField: Partial<Record<LongColumn, number>>;
  quoteColumn: number[];
  ignoredColumns: string[];
  problems: RateProblem[];
  problemCount: number;
}

const fileProblem = (line: number, column: number | string, message: string): RateProblem => ({
  location: `line ${line}, column ${column}`,
  line,
  message,
});

/**
 * Reads a rate file in one of its two shapes (docs/currencies.md): long, a header `base,quote,day,rate`
 * (any order, other columns ignored) and one rate a row; or wide, a central bank's table, a `date` (or
 * `day`) column and one column per quote currency against `base` (given as an option), one day a row, an
 * empty or N/A cell meaning no rate that day.
 */
async function readRateFile(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: RateFileOptions,
): Promise<ReadRates> {
  const out: ReadRates = {
    rows: [],
    lines: [],
    shape: 'long',
    columnOfField: {},
    quoteColumn: [],
    ignoredColumns: [],
    problems: [],
    problemCount: 0,
  };
  const problem = (p: RateProblem) => {
    out.problemCount++;
    if (out.problems.length < MAX_RATE_PROBLEMS) out.problems.push(p);
  };
  let header: string[] | null = null;
  let width = 0;
  // Wide shape: the date column, and each currency column's index with its code.
  let dateIndex = -1;
  let quotes: { index: number; code: string }[] = [];
  let longIndex: Partial<Record<LongColumn, number>> = {};
  const base = options.base?.trim().toUpperCase();
  const only = options.currencies ? new Set(options.currencies.map((c) => c.trim().toUpperCase())) : null;
  let bytes = 0;
  for await (const batch of csvBatches(input)) {
    bytes = batch.bytes;
    if (bytes > MAX_RATE_FILE_BYTES) {
      problem(fileProblem(1, 1, `the file is larger than ${MAX_RATE_FILE_BYTES / 1024 / 1024} MB`));
      return out;
    }
    for (const p of batch.problems) problem(fileProblem(p.line, p.column, p.message));
    for (let r = 0; r < batch.records.length; r++) {
      const record = batch.records[r] as string[];
      const line = batch.lines[r] as number;
      if (header === null) {
        header = record;
        width = record.length;
        const names = record.map(csvColumnName);
        const isLong = names.includes('rate') || names.includes('quote') || !base;
        if (isLong) {
          const h = readCsvHeader(record, line, LONG_COLUMNS, LONG_COLUMNS);
          for (const p of h.problems)
            problem(
              fileProblem(
                p.line,
                p.column,
                base || names.includes('rate')
                  ? p.message
                  : `${p.message}; a file with a date column and one column per currency needs the base currency (--base EUR, base=EUR)`,
              ),
            );
          longIndex = h.index;
          out.ignoredColumns = h.ignored;
          out.columnOfField = Object.fromEntries(
            Object.entries(h.index).map(([k, v]) => [k, (v as number) + 1]),
          );
          continue;
        }
        out.shape = 'wide';
        if (!isCurrency(base))
          problem({
            location: 'base',
            message: `unknown currency "${base}"; expected an ISO 4217 code such as "EUR"`,
          });
        dateIndex = names.findIndex((n) => n === 'date' || n === 'day');
        if (dateIndex < 0)
          problem(
            fileProblem(
              line,
              record.length + 1,
              'the header has no date column (a file of one column per currency needs one: Date,USD,GBP,...)',
            ),
          );
        out.columnOfField = { day: dateIndex + 1 };
        const seenCodes = new Map<string, number>();
        record.forEach((raw, i) => {
          if (i === dateIndex) return;
          const code = raw.trim().toUpperCase();
          if (code === '') return; // the ECB's files end each line with a comma
          if (only && !only.has(code)) {
            out.ignoredColumns.push(raw);
            return;
          }
          const first = seenCodes.get(code);
          if (first !== undefined) {
            problem(fileProblem(line, i + 1, `column ${code} appears twice (first at column ${first + 1})`));
            return;
          }
          seenCodes.set(code, i);
          quotes.push({ index: i, code });
        });
        if (quotes.length === 0)
          problem(
            fileProblem(
              line,
              record.length + 1,
              only
                ? `the header has none of the currencies to load (${[...only].join(', ')})`
                : 'the header has no currency column: Date,USD,GBP,...',
            ),
          );
        continue;
      }
      const bad = wrongWidth(record, line, width);
      // A wide file's rows may drop the trailing empty cell the header ends with.
      if (bad && !(out.shape === 'wide' && record.length >= width - 1 && header.at(-1)?.trim() === '')) {
        problem(fileProblem(bad.line, bad.column, bad.message));
        continue;
      }
      if (out.shape === 'long') {
        out.rows.push({
          base: (record[longIndex.base ?? -1] ?? '').toUpperCase(),
          quote: (record[longIndex.quote ?? -1] ?? '').toUpperCase(),
          day: record[longIndex.day ?? -1] ?? '',
          rate: record[longIndex.rate ?? -1] ?? '',
        });
        out.lines.push(line);
        out.quoteColumn.push(0);
      } else {
        const day = record[dateIndex] ?? '';
        for (const q of quotes) {
          const cell = (record[q.index] ?? '').trim();
          if (NO_RATE.has(cell.toUpperCase())) continue;
          out.rows.push({ base: base ?? '', quote: q.code, day, rate: cell });
          out.lines.push(line);
          out.quoteColumn.push(q.index + 1);
        }
      }
      if (out.rows.length > MAX_RATE_ROWS) {
        problem(fileProblem(line, 1, `more than ${MAX_RATE_ROWS} rates in one file; split it`));
        return out;
      }
    }
    options.onProgress?.('read', bytes, options.totalBytes ?? bytes);
  }
  if (header === null) problem(fileProblem(1, 1, 'the file is empty: a header row is required'));
  // A wide file's currency column that holds no rate at all is left out, known or not (the ECB's table
  // keeps columns of currencies it no longer quotes); one that holds rates must be a known currency.
  if (out.shape === 'wide') {
    const used = new Set(out.quoteColumn);
    quotes = quotes.filter((q) => {
      if (used.has(q.index + 1)) return true;
      out.ignoredColumns.push(q.code);
      return false;
    });
  }
  return out;
}

/**
 * Imports a rate file (`trellis rates import`, `POST /api/imports/rates`): all or nothing; see the module
 * comment. Refusals are the outcome (`ok: false`, every problem with its line and column).
 */
export async function importRateFile(
  ctx: AppContext,
  who: RatesCaller,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: RateFileOptions,
): Promise<RateLoadOutcome> {
  const started = Date.now();
  const vendor = await ratesVendor(ctx, who.scope, options.vendor, 'write');
  const file = await readRateFile(input, options);
  const at = (i: number, field: keyof RateInput): string => {
    const line = file.lines[i] as number;
    if (file.shape === 'long') return `line ${line}, column ${field}`;
    if (field === 'base') return 'base';
    if (field === 'quote') return `line 1, column ${file.rows[i]?.quote ?? ''}`;
    if (field === 'day') return `line ${line}, column ${file.columnOfField.day ?? 1}`;
    return `line ${line}, column ${file.rows[i]?.quote ?? ''}`;
  };
  const problems = [...file.problems];
  let problemCount = file.problemCount;
  if (problemCount === 0) {
    const checked = checkWithLines(file.rows, at, file.lines, file.shape === 'wide');
    problemCount += checked.length;
    problems.push(...checked.slice(0, MAX_RATE_PROBLEMS));
  }
  if (problemCount > 0) return refused(400, problems, problemCount, `${options.name} was not imported`);
  return applyRates(ctx, who, vendor, file.rows, at, {
    ...options,
    source: options.name,
    shape: file.shape,
    base: file.shape === 'wide' ? (options.base?.toUpperCase() ?? null) : null,
    ignoredColumns: file.ignoredColumns,
    lines: file.lines,
    started,
  });
}

/** `checkRates` with each problem's line; a wide file's unknown quote currency reported once (its column). */
function checkWithLines(
  rows: readonly RateInput[],
  at: (i: number, field: keyof RateInput) => string,
  lines: readonly number[],
  wide: boolean,
): RateProblem[] {
  const all = checkRates(rows, at);
  const seen = new Set<string>();
  const out: RateProblem[] = [];
  for (const p of all) {
    const key = `${p.location}: ${p.message}`;
    if (wide && seen.has(key)) continue;
    seen.add(key);
    const m = /^line (\d+)/.exec(p.location);
    out.push({ ...p, line: m ? Number(m[1]) : lines[0] });
  }
  return out;
}

/** Loads rates sent in an API body (`POST /api/rates`): as a file is, each problem at `body.rates.N.field`. */
export async function loadRates(
  ctx: AppContext,
  who: RatesCaller,
  rates: readonly RateInput[],
  options: RateLoadOptions & { source?: string | undefined },
): Promise<RateLoadOutcome> {
  const started = Date.now();
  const vendor = await ratesVendor(ctx, who.scope, options.vendor, 'write');
  const rows = rates.map((r) => ({ ...r, base: r.base.toUpperCase(), quote: r.quote.toUpperCase() }));
  const at = (i: number, field: keyof RateInput) => `body.rates.${i}.${field}`;
  const problems = checkRates(rows, at);
  if (problems.length > 0)
    return refused(400, problems.slice(0, MAX_RATE_PROBLEMS), problems.length, 'the rates were not loaded');
  return applyRates(ctx, who, vendor, rows, at, {
    ...options,
    source: options.source?.trim() || 'api',
    shape: 'api',
    base: null,
    ignoredColumns: [],
    lines: null,
    started,
  });
}

function refused(
  status: 400 | 409,
  problems: RateProblem[],
  problemCount: number,
  what: string,
): RateLoadOutcome {
  return {
    ok: false,
    status,
    problems,
    problemCount,
    message: `${what}: ${problemCount} problem${problemCount === 1 ? '' : 's'}${
      problemCount > problems.length ? ` (the first ${problems.length} listed)` : ''
    }; nothing was written`,
  };
}

/** Times a load runs again after losing a race to another load of the same rates. */
const RACE_ATTEMPTS = 8;

/** A rate to replace was replaced by another load between the read and the update. */
class ReplacedMeanwhile extends Error {}

/**
 * Compares checked rates with the stored ones and writes the new (and, with `replace`, the replaced) ones
 * in one transaction. Two loads of the same rates at once: the primary key lets one write each row; the
 * other's transaction fails (a key violation, a serialization failure, SQLite busy) and runs again, reads
 * the rows now stored and finds them unchanged. So every row is written once and both loads succeed.
 */
async function applyRates(
  ctx: AppContext,
  who: RatesCaller,
  vendor: { id: string; slug: string; name: string },
  rows: readonly RateInput[],
  at: (i: number, field: keyof RateInput) => string,
  options: RateLoadOptions & {
    source: string;
    shape: RateLoadSummary['shape'];
    base: string | null;
    ignoredColumns: string[];
    lines: readonly number[] | null;
    started: number;
    onProgress?: RateFileOptions['onProgress'];
  },
): Promise<RateLoadOutcome> {
  const parsed = rows.map((r) => fxRate(r.rate));
  const pairs = new Map<string, { base: string; quote: string }>();
  let first = '9999-12-31';
  let last = '0000-01-01';
  for (const r of rows) {
    pairs.set(`${r.base}/${r.quote}`, { base: r.base, quote: r.quote });
    if (r.day < first) first = r.day;
    if (r.day > last) last = r.day;
  }
  const loadedBy = actorId(who.actor);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.store.db.transaction().execute(async (trx) => {
        const repo = exchangeRateRepository(trx);
        const stored =
          rows.length > 0 ? await repo.storedFor(vendor.id, [...pairs.values()], first, last) : new Map();
        const loadedAt = ctx.clock.now().toISOString();
        const added: ExchangeRateRow[] = [];
        const replaced: { row: ExchangeRateRow; before: string }[] = [];
        const conflicts: RateProblem[] = [];
        let unchanged = 0;
        let conflictCount = 0;
        rows.forEach((r, i) => {
          const rate = parsed[i]!;
          const row: ExchangeRateRow = {
            vendorId: vendor.id,
            base: r.base,
            quote: r.quote,
            day: r.day,
            rate: formatFxRate(rate),
            source: options.source,
            loadedBy,
            loadedAt,
          };
          const before = stored.get(`${r.base}/${r.quote}/${r.day}`);
          if (before === undefined) added.push(row);
          else if (sameRate(fxRate(before), rate)) unchanged++;
          else if (options.replace) replaced.push({ row, before });
          else {
            conflictCount++;
            if (conflicts.length < MAX_RATE_PROBLEMS)
              conflicts.push({
                location: at(i, 'rate'),
                line: options.lines?.[i],
                message: `${r.base}/${r.quote} is already loaded as ${before} on ${r.day}; pass replace to correct it`,
              });
          }
        });
        if (conflictCount > 0)
          return refused(409, conflicts, conflictCount, 'rates differ from those already loaded');
        if (!options.dryRun) {
          options.onProgress?.('write', 0, added.length + replaced.length);
          const CHUNK = 5_000;
          for (let i = 0; i < added.length; i += CHUNK) {
            await repo.insertMany(ctx.store.bulk, added.slice(i, i + CHUNK));
            options.onProgress?.('write', Math.min(i + CHUNK, added.length), added.length + replaced.length);
          }
          for (const [n, { row, before }] of replaced.entries()) {
            if (!(await repo.replace(row, before)))
              // Replaced by another load meanwhile: run again on what is stored now.
              throw new ReplacedMeanwhile();
            await recordAudit(trx, ctx, {
              actor: who.actor,
              action: 'exchange-rate.replace',
              target: {
                type: 'exchange-rate',
                id: `${row.base}/${row.quote}/${row.day}`,
                vendorId: vendor.id,
                partnerId: null,
              },
              before: { rate: before },
              after: { rate: row.rate },
              requestId: who.requestId ?? null,
              detail: {
                base: row.base,
                quote: row.quote,
                day: row.day,
                before,
                after: row.rate,
                source: row.source,
              },
            });
            options.onProgress?.('write', added.length + n + 1, added.length + replaced.length);
          }
          if (added.length + replaced.length > 0)
            await recordAudit(trx, ctx, {
              actor: who.actor,
              action: 'exchange-rate.import',
              target: { type: 'exchange-rate', id: null, vendorId: vendor.id, partnerId: null },
              requestId: who.requestId ?? null,
              detail: {
                source: options.source,
                rates: rows.length,
                added: added.length,
                unchanged,
                replaced: replaced.length,
                first: rows.length > 0 ? first : null,
                last: rows.length > 0 ? last : null,
              },
            });
        }
        const summary: RateLoadSummary = {
          source: options.source,
          vendor: { id: vendor.id, slug: vendor.slug, name: vendor.name },
          rates: rows.length,
          added: added.length,
          unchanged,
          replaced: replaced.length,
          replacements: replaced.slice(0, MAX_LISTED_REPLACEMENTS).map(({ row, before }) => ({
            base: row.base,
            quote: row.quote,
            day: row.day,
            before,
            after: row.rate,
          })),
          ignoredColumns: options.ignoredColumns,
          shape: options.shape,
          base: options.base,
          dryRun: options.dryRun === true,
          seconds: Math.round((Date.now() - options.started) / 10) / 100,
        };
        return { ok: true, summary } as const;
      });
    } catch (e) {
      if (attempt >= RACE_ATTEMPTS || !(isConcurrencyError(e) || e instanceof ReplacedMeanwhile)) {
        if (e instanceof ReplacedMeanwhile || isConcurrencyError(e))
          throw new TrellisError(
            'conflict',
            'the rates were changed by another load at the same time; retry',
          );
        throw e;
      }
      const most = 10 * attempt * attempt;
      await new Promise((resolve) => setTimeout(resolve, most / 2 + Math.random() * most));
    }
  }
}

function actorId(actor: RatesCaller['actor']): string {
  switch (actor.kind) {
    case 'person':
      return actor.personId;
    case 'token':
      return actor.tokenId;
    case 'system':
      return `system:${actor.id}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface RateView {
  base: string;
  quote: string;
  day: string;
  rate: string;
  source: string;
  loadedBy: string;
  loadedAt: string;
}

/** One page of the vendor's rates (`GET /api/rates`, `trellis rates list`). */
export async function listRates(
  ctx: AppContext,
  who: { scope: Scope },
  filter: ExchangeRateFilter & { vendor?: string | undefined },
  page: PageParams<ExchangeRateSort>,
) {
  const vendor = await ratesVendor(ctx, who.scope, filter.vendor);
  const repo = exchangeRateRepository(ctx.store.db);
  const f: ExchangeRateFilter = {
    base: filter.base?.toUpperCase(),
    quote: filter.quote?.toUpperCase(),
    from: filter.from,
    to: filter.to,
  };
  const result = await paged(page, (request) => repo.list(vendor.id, f, request));
  return {
    items: result.items.map((r): RateView => ({
      base: r.base,
      quote: r.quote,
      day: r.day,
      rate: r.rate,
      source: r.source,
      loadedBy: r.loadedBy,
      loadedAt: r.loadedAt,
    })),
    nextCursor: result.nextCursor,
  };
}

export interface ConversionInput {
  from: string;
  to: string;
  day: string;
  amountMinor: number;
  /** A program (id or code) whose missing-rate policy applies; without one a missing day is refused. */
  program?: string | undefined;
  vendor?: string | undefined;
}

export interface ConversionView {
  from: string;
  to: string;
  day: string;
  /** The day of the rates used (before `day` when the program's policy bridged a missing day). */
  rateDay: string;
  /** 1 `from` = `rate` `to`, as used (a derived rate rounded to 10 decimals). */
  rate: string;
  derivation: RateDerivation;
  amountMinor: number;
  convertedMinor: number;
  policy: MissingRatePolicy;
  program: string | null;
  /** "EUR 10,000.00 at 1.0712 = USD 10,712.00 (EUR/USD of 2026-03-02)". */
  explanation: string;
}

/**
 * Converts an amount with the vendor's rates as a conversion of the product would (`GET
 * /api/rates/convert`, `trellis rates convert`): the rate of the day, loaded, inverted or crossed through a
 * common base (core RateBook), and, when the day has none, the named program's missing-rate policy (no
 * program: refused). Half to even, once.
 */
export async function convertWithRates(
  ctx: AppContext,
  who: { scope: Scope },
  input: ConversionInput,
): Promise<ConversionView> {
  const vendor = await ratesVendor(ctx, who.scope, input.vendor);
  const from = input.from.toUpperCase();
  const to = input.to.toUpperCase();
  const errors: ErrorDetail[] = [];
  for (const [field, code] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!isCurrency(code))
      errors.push({
        location: `query.${field}`,
        message: `unknown currency "${code}"; expected an ISO 4217 code such as "EUR"`,
      });
  if (errors.length > 0) throw new TrellisError('invalid_input', 'the conversion is not valid', errors);
  let policy: MissingRatePolicy = { policy: 'refuse' };
  let program: string | null = null;
  if (input.program) {
    const p = await programInForce(ctx, who.scope, input.program, input.day, 'query.day');
    if (p.vendorId !== vendor.id) throw notFound('program', input.program);
    policy = missingRatePolicy(p.definition);
    program = p.definition.code;
  }
  const first = policy.policy === 'last-known' ? daysBefore(input.day, policy.withinDays) : input.day;
  const rows = await exchangeRateRepository(ctx.store.db).between(vendor.id, first, input.day);
  const book = new RateBook(rows.map((r) => ({ ...r, rate: fxRate(r.rate) })));
  const found = book.find(from, to, input.day, policy);
  if (!found) {
    const how =
      policy.policy === 'last-known'
        ? `nor in the ${policy.withinDays} days before (the policy of ${program})`
        : program
          ? `(program ${program} refuses a missing rate)`
          : '(name a program to apply its missing-rate policy)';
    throw new TrellisError(
      'not_found',
      `no ${from}/${to} rate on ${input.day}, loaded, inverse or cross, ${how}`,
      [{ location: 'query.day', message: `no ${from}/${to} rate on ${input.day}` }],
    );
  }
  let convertedMinor: number;
  try {
    convertedMinor = convertMinor(input.amountMinor, from, to, found.rate);
  } catch (e) {
    throw new TrellisError('invalid_input', (e as Error).message, [
      { location: 'query.amount', message: (e as Error).message },
    ]);
  }
  const rate = formatFxRate(found.rate);
  const how =
    found.derivation.kind === 'direct'
      ? `${from}/${to}`
      : found.derivation.kind === 'inverse'
        ? `1 / ${to}/${from}`
        : `${found.derivation.via}/${to} / ${found.derivation.via}/${from}`;
  return {
    from,
    to,
    day: input.day,
    rateDay: found.rateDay,
    rate,
    derivation: found.derivation,
    amountMinor: input.amountMinor,
    convertedMinor,
    policy,
    program,
    explanation: `${formatMoney({ amountMinor: input.amountMinor, currency: from })} at ${rate} = ${formatMoney({ amountMinor: convertedMinor, currency: to })} (${how} of ${found.rateDay})`,
  };
}
