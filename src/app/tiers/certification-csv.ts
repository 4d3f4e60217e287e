import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { addDays } from '../../core/programs/dates.js';
import { TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';
import { csvBatches, readCsvHeader, wrongWidth } from '../csv/read-csv.js';
import {
  DEFAULT_EXPIRY_WINDOW_DAYS,
  isIsoDate,
  recordCertifications,
  type CertificationField,
  type CertificationInput,
} from './certifications.js';

/** The columns of a certification CSV (docs/csv-formats.md) and the input field each fills. */
export const CERTIFICATION_CSV_COLUMNS = {
  email: 'email',
  person_id: 'personId',
  code: 'code',
  kind: 'kind',
  family: 'family',
  earned_on: 'earnedOn',
  expires_on: 'expiresOn',
} as const satisfies Record<string, Exclude<CertificationField, 'person'>>;
type Column = keyof typeof CERTIFICATION_CSV_COLUMNS;
const REQUIRED: readonly Column[] = ['code', 'kind', 'family', 'earned_on', 'expires_on'];

/** A problem in the file, at a line (1 = the header) and a column (1-based). */
export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

export interface CertificationCsv {
  rows: CertificationInput[];
  /** The line of each entry of `rows` in the file. */
  lines: number[];
  /** The 1-based column of a field (the person's: email, else person_id). */
  columnOf(field: CertificationField): number;
  /** Problems of the file itself (header, field counts, quoting); rows with one are not in `rows`. */
  problems: CsvProblem[];
  /** Header columns that are not certification columns (ignored). */
  ignoredColumns: string[];
}

/**
 * Reads a certification CSV as a stream (a header row, then one certification a row; UTF-8, a BOM
 * allowed, comma-separated, quotes as in RFC 4180, blank lines skipped). `onProgress` gets bytes read.
 */
export async function readCertificationCsv(
  file: string,
  options: { onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
): Promise<CertificationCsv> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw new TrellisError('invalid_input', `cannot read ${file}: ${(e as Error).message}`);
  }
  const rows: CertificationInput[] = [];
  const lines: number[] = [];
  const problems: CsvProblem[] = [];
  let ignoredColumns: string[] = [];
  let index: Partial<Record<Column, number>> = {};
  let width = 0;
  let header = true;

  let count = 0;
  reading: for await (const batch of csvBatches(createReadStream(file))) {
    for (const p of batch.problems) {
      problems.push(p);
      if (header && p.line <= (batch.lines[0] ?? Infinity)) break reading; // the header cannot be read
    }
    for (let r = 0; r < batch.records.length; r++) {
      const record = batch.records[r] as string[];
      const line = batch.lines[r] as number;
      if (header) {
        header = false;
        const read = readHeader(record, line);
        problems.push(...read.problems);
        if (read.problems.length > 0) break reading; // nothing below can be read without the columns
        index = read.index;
        width = record.length;
        ignoredColumns = read.ignored;
        continue;
      }
      const badWidth = wrongWidth(record, line, width);
      if (badWidth) {
        problems.push(badWidth);
        continue;
      }
      const value = (c: Column) => {
        const at = index[c];
        return at === undefined ? '' : (record[at] ?? '');
      };
      rows.push({
        email: value('email') || undefined,
        personId: value('person_id') || undefined,
        code: value('code'),
        kind: value('kind'),
        family: value('family'),
        earnedOn: value('earned_on'),
        expiresOn: value('expires_on'),
      });
      lines.push(line);
      if (++count % 1000 === 0) options.onProgress?.(batch.bytes, size);
    }
    options.onProgress?.(batch.bytes, size);
  }
  if (header) problems.push({ line: 1, column: 1, message: 'the file is empty: it needs a header row' });
  options.onProgress?.(size, size);

  const columnOf = (field: CertificationField): number => {
    const column: Column =
      field === 'person'
        ? index.email !== undefined
          ? 'email'
          : 'person_id'
        : ((Object.keys(CERTIFICATION_CSV_COLUMNS) as Column[]).find(
            (c) => CERTIFICATION_CSV_COLUMNS[c] === field,
          ) ?? 'code');
    return (index[column] ?? 0) + 1;
  };
  return { rows, lines, columnOf, problems, ignoredColumns };
}

function readHeader(
  record: string[],
  line: number,
): { index: Partial<Record<Column, number>>; ignored: string[]; problems: CsvProblem[] } {
  const read = readCsvHeader(record, line, Object.keys(CERTIFICATION_CSV_COLUMNS) as Column[], []);
  const { index } = read;
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (index.email === undefined && index.person_id === undefined) missing.unshift('email' as Column);
  for (const c of missing)
    read.problems.push({
      line,
      column: record.length + 1,
      message:
        c === 'email'
          ? 'the header needs an email or a person_id column'
          : `the header has no ${c} column (columns: email or person_id, ${REQUIRED.join(', ')})`,
    });
  return read;
}

export interface CertificationImportSummary {
  file: string;
  vendor: { id: string; slug: string; name: string };
  rows: number;
  recorded: number;
  ids: string[];
  people: number;
  partners: number;
  asOf: string;
  active: number;
  expiringSoon: number;
  expired: number;
  notYetEarned: number;
  ignoredColumns: string[];
}

export type CertificationImportOutcome =
  | { ok: true; summary: CertificationImportSummary }
  /** Every problem as `file:line:column: message`, in file order; nothing was written. */
  | { ok: false; problems: string[]; message: string };

/**
 * `trellis import certifications`: reads the CSV, checks every row like the API does and records them
 * all in one transaction, or reports every problem (`file:line:column: message`) and writes nothing.
 * `asOf` (default today, UTC) is the day the summary counts active and soon-expiring certifications on.
 */
export async function importCertificationCsv(
  ctx: AppContext,
  input: {
    file: string;
    vendor: string;
    asOf?: string | undefined;
    dryRun?: boolean | undefined;
    onProgress?: ((phase: 'read' | 'check' | 'write', done: number, total: number) => void) | undefined;
  },
): Promise<CertificationImportOutcome> {
  const asOf = input.asOf ?? ctx.clock.now().toISOString().slice(0, 10);
  if (!isIsoDate(asOf)) throw new TrellisError('invalid_input', `--as-of ${asOf} is not a date (YYYY-MM-DD)`);
  const vendor = await ctx.repos.vendors.findBySlug(input.vendor);
  if (!vendor) throw new TrellisError('not_found', `no vendor has the slug ${input.vendor}`);
  const csv = await readCertificationCsv(input.file, {
    onProgress: (done, total) => input.onProgress?.('read', done, total),
  });
  const located: CsvProblem[] = [...csv.problems];
  const unreadable = csv.problems.some((p) => p.line <= 1) || (csv.rows.length === 0 && located.length > 0);

  // A header and no rows (a nightly export with nothing new) imports nothing, successfully.
  let recorded: Awaited<ReturnType<typeof recordCertifications>> | undefined =
    csv.rows.length === 0 && located.length === 0
      ? { vendorId: vendor.id, ids: [], people: 0, partners: 0 }
      : undefined;
  if (!unreadable && csv.rows.length > 0) {
    try {
      recorded = await recordCertifications(
        ctx,
        {
          actor: { kind: 'system', id: 'cli' },
          scope: { kind: 'system' },
          vendorId: vendor.id,
          source: `csv:${input.file}`,
        },
        csv.rows,
        {
          // A file with broken rows is only checked, so its other errors are listed too.
          dryRun: input.dryRun === true || located.length > 0,
          locate: (i, field) => `${csv.lines[i] ?? 0}:${csv.columnOf(field)}`,
          rowLabel: (i) => `line ${csv.lines[i] ?? 0}`,
          onProgress: input.onProgress,
        },
      );
    } catch (e) {
      if (!(e instanceof TrellisError) || e.code !== 'invalid_input' || e.details.length === 0) throw e;
      for (const d of e.details) {
        const [line = 0, column = 0] = d.location.split(':').map(Number);
        located.push({ line, column, message: d.message });
      }
    }
  }
  if (located.length > 0) {
    located.sort((a, b) => a.line - b.line || a.column - b.column);
    const badLines = new Set(located.map((p) => p.line)).size;
    return {
      ok: false,
      problems: located.map((p) => `${input.file}:${p.line}:${p.column}: ${p.message}`),
      message: unreadable
        ? `${input.file}: cannot import; nothing was recorded`
        : `${input.file}: ${badLines} of ${csv.rows.length + csv.problems.length} rows invalid; nothing was recorded`,
    };
  }
  if (!recorded) throw new Error('unreachable: no problems and nothing recorded');

  const soon = addDays(asOf, DEFAULT_EXPIRY_WINDOW_DAYS);
  const counts = { active: 0, expiringSoon: 0, expired: 0, notYetEarned: 0 };
  for (const r of csv.rows) {
    const earned = r.earnedOn.trim();
    const expires = r.expiresOn.trim();
    if (expires <= asOf) counts.expired++;
    else if (earned > asOf) counts.notYetEarned++;
    else {
      counts.active++;
      if (expires <= soon) counts.expiringSoon++;
    }
  }
  return {
    ok: true,
    summary: {
      file: input.file,
      vendor: { id: vendor.id, slug: vendor.slug, name: vendor.name },
      rows: csv.rows.length,
      recorded: recorded.ids.length,
      ids: recorded.ids,
      people: recorded.people,
      partners: recorded.partners,
      asOf,
      ...counts,
      ignoredColumns: csv.ignoredColumns,
    },
  };
}
