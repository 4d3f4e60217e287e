import { isCurrency, minorExponent } from '../../core/money/currency.js';
import type { Scope } from '../../core/access/scope.js';
import { checkRegistration } from '../../core/deals/registration-input.js';
import { TrellisError } from '../../core/shared/errors.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import { recordAudit } from '../access/audit.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { csvBatches, readCsvHeader, wrongWidth } from '../csv/read-csv.js';
import { decimalToMinor, type ImportProblem } from '../orders/order-csv.js';
import { programInForce, type ProgramInForce } from '../programs/program-in-force.js';
import { dropDealIndexes } from './deal-index.js';
import type { DealActor } from './deal-events.js';
import { createDealWithin, type CreateDealInput, type SubmitOutcome } from './deals.js';

/**
 * The columns of a deal-registration CSV (docs/csv-formats.md, "Deal registrations"): one row per product
 * family line; consecutive rows with the same `external_ref` are the lines of one registration.
 */
export const DEAL_CSV_COLUMNS = [
  'external_ref',
  'program',
  'customer_name',
  'customer_domain',
  'customer_address',
  'customer_city',
  'customer_postal_code',
  'customer_country',
  'customer_region',
  'customer_segment',
  'currency',
  'expected_close_date',
  'description',
  'family',
  'amount',
  'product_id',
  'quantity',
  'line_description',
] as const;
export type DealCsvColumn = (typeof DEAL_CSV_COLUMNS)[number];

/** The registration's own columns: every row of a registration repeats them (or leaves them empty). */
const DEAL_LEVEL: readonly DealCsvColumn[] = [
  'program',
  'customer_name',
  'customer_domain',
  'customer_address',
  'customer_city',
  'customer_postal_code',
  'customer_country',
  'customer_region',
  'customer_segment',
  'currency',
  'expected_close_date',
  'description',
];

const REQUIRED: readonly DealCsvColumn[] = [
  'external_ref',
  'customer_name',
  'customer_country',
  'customer_segment',
  'currency',
  'expected_close_date',
  'description',
  'family',
  'amount',
];

/** Rows a file may hold (a partner's conflict checks are counted per day; see docs/csv-formats.md). */
export const MAX_DEAL_IMPORT_ROWS = 5_000;
/** Bytes a file may hold: far more than 5,000 rows need. */
export const MAX_DEAL_IMPORT_BYTES = 16 * 1024 * 1024;
const MAX_REF = 128;
const INTEGER = /^\d{1,15}$/;

/** Where a location of `createDeal`'s problems (`row.customer.name`, `row.lines/2/amountMinor`) is in the file. */
const COLUMN_OF_FIELD: Readonly<Record<string, DealCsvColumn>> = {
  programId: 'program',
  externalRef: 'external_ref',
  'customer.name': 'customer_name',
  'customer.domain': 'customer_domain',
  'customer.addressLine': 'customer_address',
  'customer.city': 'customer_city',
  'customer.postalCode': 'customer_postal_code',
  'customer.country': 'customer_country',
  'customer.region': 'customer_region',
  'customer.segment': 'customer_segment',
  currency: 'currency',
  expectedCloseDate: 'expected_close_date',
  description: 'description',
  lines: 'amount',
};
const COLUMN_OF_LINE_FIELD: Readonly<Record<string, DealCsvColumn>> = {
  family: 'family',
  amountMinor: 'amount',
  productId: 'product_id',
  quantity: 'quantity',
  description: 'line_description',
};

interface DealGroup {
  ref: string;
  /** The file line of each row (the registration's lines, in order). */
  lines: number[];
  input: CreateDealInput;
  /** True when a row of it could not be read: it is not registered (the file is refused anyway). */
  broken: boolean;
  /** The registration's own columns as its first row gives them. */
  first: Record<string, string>;
}

export interface DealImportItem {
  /** The line of the registration's first row. */
  line: number;
  externalRef: string;
  /** `already-registered`: the partner's reference was registered before (left as it is). */
  outcome: SubmitOutcome | 'already-registered';
  /** Null in a dry run (nothing was kept). */
  id: string | null;
  status: string;
  /** Why a conflict was rejected: `duplicate-registration` or `direct-account`; nothing else is said. */
  reasonCode: string | null;
}

export interface DealImportSummary {
  name: string;
  partnerId: string;
  /** Data rows read (the header not counted). */
  rows: number;
  registrations: number;
  /** Registrations created (in a dry run: that would have been). */
  created: number;
  drafts: number;
  submitted: number;
  conflicts: number;
  alreadyRegistered: number;
  submit: boolean;
  dryRun: boolean;
  ignoredColumns: string[];
  items: DealImportItem[];
}

export type DealImportOutcome =
  | { ok: true; summary: DealImportSummary }
  /** Every problem at its line and column, in file order; nothing was written. */
  | { ok: false; problems: ImportProblem[]; message: string };

class Rollback extends Error {}

/** What `createDealWithin` refuses a registration for: reported at its row; anything else stops the import. */
const ROW_REFUSALS = new Set<TrellisError['code']>([
  'invalid_input',
  'conflict',
  'not_found',
  'forbidden',
  'rate_limited',
  'limit_exceeded',
]);

/**
 * Registers a partner's opportunities exported from a CRM (`trellis import deals`, `POST
 * /api/imports/deals`), all or nothing: every registration is checked and registered by `createDealWithin`
 * (the API's checks, and with `submit` its conflict search) in file order, in one transaction, so a file
 * with any bad row writes nothing, and a registration earlier in the file holds against a later one of the
 * same customer (first to register). A reference (`external_ref`) the partner registered before is left as
 * it is and reported as already registered: importing a file again changes nothing.
 */
export async function importDeals(
  ctx: AppContext,
  who: { actor: DealActor; scope: Scope },
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: {
    name: string;
    /** Program id or code for rows that leave the `program` column empty (or have none). */
    program?: string | undefined;
    submit?: boolean | undefined;
    dryRun?: boolean | undefined;
    requestId?: string | null | undefined;
  },
): Promise<DealImportOutcome> {
  if (who.scope.kind !== 'partner')
    throw new TrellisError('forbidden', 'partners import their registrations; vendors review them');
  const partnerId = who.scope.partnerId;
  if (!(await dealSupportRepository(ctx.store.db).partnerExists(partnerId)))
    throw new TrellisError('not_found', `partner ${partnerId} was not found`);
  const submit = options.submit === true;
  const dryRun = options.dryRun === true;
  const file = await readDealCsv(input, options.program);
  const problems = [...file.problems];
  const at = (line: number, column: DealCsvColumn | null, message: string) =>
    problems.push({
      line,
      column: column === null ? 1 : file.columnOf(column),
      columnName: column,
      message,
    });

  // The programs named, read before the transaction (on SQLite a read outside it would wait for it).
  const programs = new Map<string, ProgramInForce | null>();
  for (const g of file.groups) {
    const code = g.input.programId;
    if (!code || programs.has(code)) continue;
    try {
      programs.set(code, await programInForce(ctx, who.scope, code, undefined, 'programId'));
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
      programs.set(code, null);
    }
  }
  for (const g of file.groups) {
    if (!g.input.programId) continue;
    if (programs.get(g.input.programId) === null)
      at(
        g.lines[0] as number,
        'program',
        `program ${g.input.programId} was not found (or your company is not enrolled in it)`,
      );
  }

  // A registration with a cell that could not be read is not registered, but its other cells are still
  // checked (the field checks of the API), so one run lists every problem.
  const today = ctx.clock.now().toISOString().slice(0, 10);
  for (const g of file.groups) {
    if (!g.broken) continue;
    const reported = new Set(problems.map((p) => `${p.line}:${p.column}`));
    const program = programs.get(g.input.programId);
    const checked = checkRegistration(g.input, {
      programCurrency: program?.definition.currency ?? g.input.currency,
      today,
      where: 'row',
    });
    if (checked.ok) continue;
    for (const d of checked.errors) {
      const where = locate(g, d.location);
      const column = where.column === null ? 1 : file.columnOf(where.column);
      if (!reported.has(`${where.line}:${column}`)) at(where.line, where.column, d.message);
    }
  }

  const items: DealImportItem[] = [];
  let submissions = 0;
  let committed = false;
  // The vendor's in-memory candidate index saw this transaction's submissions (a later row's search reads
  // the earlier ones): when they are rolled back, it is rebuilt from the store on the next check.
  const forgetIndex = () => {
    if (submissions > 0) dropDealIndexes(ctx.store);
  };
  if (file.header) {
    try {
      await losingRaceIsConflict('these registrations', () =>
        ctx.store.db.transaction().execute(async (trx) => {
          try {
            const repo = dealRepository(trx);
            for (const g of file.groups) {
              const program = programs.get(g.input.programId);
              if (g.broken || !program) continue;
              const first = g.lines[0] as number;
              const existing = await repo.getByExternalRef(program.vendorId, partnerId, g.ref);
              if (existing) {
                items.push({
                  line: first,
                  externalRef: g.ref,
                  outcome: 'already-registered',
                  id: existing.id,
                  status: existing.status,
                  reasonCode: null,
                });
                continue;
              }
              try {
                if (submit) submissions++;
                const r = await createDealWithin(
                  trx,
                  ctx,
                  who,
                  { ...g.input, submit, requestId: options.requestId },
                  program,
                  'row',
                );
                items.push({
                  line: first,
                  externalRef: g.ref,
                  outcome: r.outcome,
                  id: r.deal.id,
                  status: r.deal.status,
                  reasonCode: r.outcome === 'conflict' ? r.deal.reasonCode : null,
                });
              } catch (e) {
                // The checks refuse before writing this registration, or the whole file is rolled back.
                if (!(e instanceof TrellisError) || !ROW_REFUSALS.has(e.code)) throw e;
                // The same reference registered meanwhile by another upload of this file (a race): it is
                // already registered, as on a later import.
                const refTaken =
                  e.code === 'conflict' && e.details.some((d) => d.location.endsWith('.externalRef'));
                const meanwhile = refTaken
                  ? await repo.getByExternalRef(program.vendorId, partnerId, g.ref)
                  : undefined;
                if (meanwhile) {
                  items.push({
                    line: first,
                    externalRef: g.ref,
                    outcome: 'already-registered',
                    id: meanwhile.id,
                    status: meanwhile.status,
                    reasonCode: null,
                  });
                  continue;
                }
                // A registration of this file named in a message is named by its reference and line: its
                // id is rolled back with the file.
                const named = (m: string) =>
                  items.reduce(
                    (t, i) =>
                      i.id && t.includes(i.id)
                        ? t.replaceAll(i.id, `${i.externalRef} (line ${i.line} of this file)`)
                        : t,
                    m,
                  );
                if (e.details.length === 0) at(first, null, named(e.message));
                for (const d of e.details) {
                  const where = locate(g, d.location);
                  at(where.line, where.column, named(d.message));
                }
                // Past the day's conflict checks, every later submission would be refused the same way.
                if (e.code === 'rate_limited') break;
              }
            }
            if (problems.length > 0 || dryRun) throw new Rollback();
            const created = items.filter((i) => i.outcome !== 'already-registered').length;
            if (created > 0)
              await recordAudit(trx, ctx, {
                actor: who.actor,
                action: 'deal.import',
                target: { type: 'partner', id: partnerId, vendorId: null, partnerId },
                requestId: options.requestId ?? null,
                detail: {
                  name: options.name,
                  rows: file.rows,
                  created,
                  submitted: items.filter((i) => i.outcome === 'submitted').length,
                  conflicts: items.filter((i) => i.outcome === 'conflict').length,
                  alreadyRegistered: items.length - created,
                },
              });
          } catch (e) {
            // Forgotten before the rollback, while this transaction still holds the vendor's submission
            // lock: no other submission can search the index in between.
            forgetIndex();
            throw e;
          }
        }),
      );
      committed = true;
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    } finally {
      if (!committed) forgetIndex();
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    const badLines = new Set(problems.map((p) => p.line)).size;
    return {
      ok: false,
      problems,
      message: file.header
        ? `${options.name}: ${badLines} of ${file.rows + 1} lines have problems; nothing was registered`
        : `${options.name}: cannot import; nothing was registered`,
    };
  }
  const count = (o: DealImportItem['outcome']) => items.filter((i) => i.outcome === o).length;
  return {
    ok: true,
    summary: {
      name: options.name,
      partnerId,
      rows: file.rows,
      registrations: file.groups.length,
      created: items.length - count('already-registered'),
      drafts: count('draft'),
      submitted: count('submitted'),
      conflicts: count('conflict'),
      alreadyRegistered: count('already-registered'),
      submit,
      dryRun,
      ignoredColumns: file.ignoredColumns,
      // A dry run's registrations were rolled back: their ids mean nothing.
      items: dryRun ? items.map((i) => (i.outcome === 'already-registered' ? i : { ...i, id: null })) : items,
    },
  };
}

/** The file line and column of a problem `createDealWithin` located under `row`. */
function locate(g: DealGroup, location: string): { line: number; column: DealCsvColumn | null } {
  const path = location.replace(/^(row|body)\./, '');
  const first = g.lines[0] as number;
  const m = /^lines\/(\d+)\/(\w+)$/.exec(path);
  if (m) {
    const i = Number(m[1]);
    return { line: g.lines[i] ?? first, column: COLUMN_OF_LINE_FIELD[m[2] as string] ?? 'amount' };
  }
  return { line: first, column: COLUMN_OF_FIELD[path] ?? null };
}

interface DealCsv {
  /** False when the header could not be read (nothing below it was). */
  header: boolean;
  rows: number;
  groups: DealGroup[];
  problems: ImportProblem[];
  ignoredColumns: string[];
  /** 1-based column of a known column; one past the last when the file has no such column. */
  columnOf(c: DealCsvColumn): number;
}

/** Reads and groups the rows of a deal-registration CSV with the one CSV reader. */
async function readDealCsv(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  defaultProgram: string | undefined,
): Promise<DealCsv> {
  const problems: ImportProblem[] = [];
  const groups: DealGroup[] = [];
  const seen = new Map<string, number>();
  let index: Partial<Record<DealCsvColumn, number>> = {};
  let width = 0;
  let header: boolean | null = null;
  let ignoredColumns: string[] = [];
  let rows = 0;
  const columnOf = (c: DealCsvColumn) => (index[c] ?? width) + 1;
  const fail = (line: number, c: DealCsvColumn, message: string) =>
    problems.push({ line, column: columnOf(c), columnName: c, message });

  reading: for await (const batch of csvBatches(input)) {
    if (batch.bytes > MAX_DEAL_IMPORT_BYTES) {
      problems.push({
        line: batch.lines[0] ?? 1,
        column: 1,
        columnName: null,
        message: `the file is larger than ${MAX_DEAL_IMPORT_BYTES} bytes; split it`,
      });
      break;
    }
    for (const p of batch.problems) {
      problems.push({ ...p, columnName: null });
      if (header === null && p.line <= (batch.lines[0] ?? Infinity)) {
        header = false;
        break reading;
      }
    }
    for (let r = 0; r < batch.records.length; r++) {
      const record = batch.records[r] as string[];
      const line = batch.lines[r] as number;
      if (header === null) {
        const required = defaultProgram ? REQUIRED : [...REQUIRED, 'program' as const];
        const read = readCsvHeader(record, line, DEAL_CSV_COLUMNS, required);
        problems.push(...read.problems.map((p) => ({ ...p, columnName: null })));
        header = read.problems.length === 0;
        if (!header) break reading;
        index = read.index;
        width = record.length;
        ignoredColumns = read.ignored;
        continue;
      }
      if (++rows > MAX_DEAL_IMPORT_ROWS) {
        problems.push({
          line,
          column: 1,
          columnName: null,
          message: `a file holds at most ${MAX_DEAL_IMPORT_ROWS} rows; split it`,
        });
        break reading;
      }
      const badWidth = wrongWidth(record, line, width);
      const value = (c: DealCsvColumn): string => {
        const i = index[c];
        return i === undefined ? '' : (record[i] ?? '').trim();
      };
      const ref = value('external_ref');
      let g = groups.at(-1);
      if (badWidth) {
        problems.push({ ...badWidth, columnName: null });
        if (g && g.ref === ref) g.broken = true;
        continue;
      }
      if (!ref) {
        fail(line, 'external_ref', 'the reference (your CRM opportunity id) is missing');
        continue;
      }
      if (ref.length > MAX_REF) {
        fail(line, 'external_ref', `the reference is longer than ${MAX_REF} characters`);
        continue;
      }
      if (!g || g.ref !== ref) {
        const before = seen.get(ref);
        if (before !== undefined) {
          fail(
            line,
            'external_ref',
            `the rows of registration ${ref} must be consecutive (it starts at line ${before})`,
          );
          const earlier = groups.find((x) => x.ref === ref);
          if (earlier) earlier.broken = true;
          continue;
        }
        seen.set(ref, line);
        const currency = value('currency');
        const optional = (c: DealCsvColumn) => value(c) || null;
        g = {
          ref,
          lines: [],
          broken: false,
          first: Object.fromEntries(DEAL_LEVEL.map((c) => [c, value(c)])),
          input: {
            programId: value('program') || defaultProgram || '',
            externalRef: ref,
            customer: {
              name: value('customer_name'),
              domain: optional('customer_domain'),
              addressLine: optional('customer_address'),
              city: optional('customer_city'),
              postalCode: optional('customer_postal_code'),
              country: value('customer_country'),
              region: optional('customer_region'),
              segment: value('customer_segment'),
            },
            currency,
            lines: [],
            expectedCloseDate: value('expected_close_date'),
            description: value('description'),
          },
        };
        groups.push(g);
        if (!g.input.programId) {
          fail(line, 'program', 'the program (its code or id) is missing');
          g.broken = true;
        }
        if (!isCurrency(currency)) {
          fail(
            line,
            'currency',
            `currency "${currency}" is not an ISO 4217 code Trellis knows (such as USD)`,
          );
          g.broken = true;
        }
        g.lines.push(line);
      } else {
        g.lines.push(line);
        const first = g.first;
        for (const c of DEAL_LEVEL) {
          const v = value(c);
          if (v !== '' && v !== first[c]) {
            fail(
              line,
              c,
              `${c} "${v}" differs from the registration's first row (line ${g.lines[0]}: "${first[c]}"); repeat it or leave it empty`,
            );
            g.broken = true;
          }
        }
      }
      // The line: a product family with its amount in major units of the currency.
      const family = value('family');
      const amountText = value('amount');
      let amountMinor = 0;
      if (!amountText) {
        fail(line, 'amount', 'the amount is missing');
        g.broken = true;
      } else if (isCurrency(g.input.currency)) {
        const minor = decimalToMinor(amountText, minorExponent(g.input.currency));
        if (typeof minor === 'string') {
          fail(line, 'amount', minor);
          g.broken = true;
        } else amountMinor = minor;
      }
      const q = value('quantity');
      let quantity: number | null = null;
      if (q) {
        if (!INTEGER.test(q)) {
          fail(line, 'quantity', `quantity "${q}" is not a whole number`);
          g.broken = true;
        } else quantity = Number(q);
      }
      const productId = value('product_id') || null;
      if (productId && productId.length > 64) {
        fail(line, 'product_id', 'the product id is longer than 64 characters');
        g.broken = true;
      }
      g.input.lines.push({
        family,
        amountMinor,
        productId,
        quantity,
        description: value('line_description') || null,
      });
    }
  }
  if (header === null) {
    problems.push({
      line: 1,
      column: 1,
      columnName: null,
      message: 'the file is empty: it needs a header row',
    });
    header = false;
  }
  return { header, rows: Math.min(rows, MAX_DEAL_IMPORT_ROWS), groups, problems, ignoredColumns, columnOf };
}
