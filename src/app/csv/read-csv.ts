/** A problem in the text of a CSV file, at a line (1 = the first) and a column (1-based). */
export interface CsvTextProblem {
  line: number;
  column: number;
  message: string;
}

/** The records read from one chunk of input, with the line each starts on. */
export interface CsvBatch {
  records: string[][];
  lines: number[];
  problems: CsvTextProblem[];
  /** Bytes of input consumed so far. */
  bytes: number;
}

/**
 * The one CSV reader: the order, certification, status-match and deal-registration imports all read
 * their files through `csvBatches`, and report its problems the same way (`file:line:column: message` on
 * the command line, `row N, column C` through the API).
 *
 * Reads CSV text as a stream of record batches, by the rules of docs/csv-formats.md: UTF-8 (a byte-order
 * mark is allowed), comma-separated, RFC 4180 quoting (a quote inside a quoted field is doubled, quoted
 * fields may hold commas and line breaks), spaces around unquoted fields trimmed, blank lines skipped,
 * `\n` and `\r\n` line ends. Unquoted lines are split natively, so plain files read at several hundred
 * thousand lines a second (csv-parse read about 100,000 here). Whatever `csvRow` (src/core/shared/csv.ts)
 * writes is read back as written, but for the `'` that neutralises a formula-like cell.
 * A record that cannot be read is reported as a problem and left out; reading goes on with the next line.
 * A record's line is the line it starts on.
 */
export async function* csvBatches(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
): AsyncGenerator<CsvBatch> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let carry = '';
  let carryLine = 1;
  let bytes = 0;
  let first = true;
  for await (const chunk of input) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    let text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const batch: CsvBatch = { records: [], lines: [], problems: [], bytes };
    const rest = readRecords(text, carryLine, false, batch);
    carry = text.slice(rest.offset);
    carryLine = rest.line;
    if (carry.length > MAX_RECORD_CHARS) {
      // An unclosed quote would otherwise hold the rest of the input in memory.
      batch.problems.push({
        line: carryLine,
        column: 1,
        message: `a record longer than ${MAX_RECORD_CHARS} characters (a quoted field that is not closed?); reading stopped here`,
      });
      yield batch;
      return;
    }
    if (batch.records.length > 0 || batch.problems.length > 0) yield batch;
  }
  const tail = carry + decoder.decode();
  if (tail.length > 0) {
    const batch: CsvBatch = { records: [], lines: [], problems: [], bytes };
    readRecords(first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail, carryLine, true, batch);
    if (batch.records.length > 0 || batch.problems.length > 0) yield batch;
  }
}

/** Longest record read (a quoted field may span lines, but not the whole file). */
const MAX_RECORD_CHARS = 1 << 20;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Control characters a field may not hold (C0 but tab, line feed and carriage return; DEL): text with a
 * NUL cannot be stored on PostgreSQL, and none of them belongs in an id, a name or an amount. A record
 * holding one is reported at its line and column and left out, as the API refuses them in a request.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Adds a record, or the problem of its first field that holds a control character. */
function pushRecord(out: CsvBatch, fields: string[], line: number, mayHoldControl: boolean): void {
  if (mayHoldControl) {
    const column = fields.findIndex((f) => CONTROL.test(f));
    if (column >= 0) {
      const c = CONTROL.exec(fields[column] as string)?.[0] ?? '';
      const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      out.problems.push({ line, column: column + 1, message: `contains a control character (${code})` });
      return;
    }
  }
  out.records.push(fields);
  out.lines.push(line);
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}

/**
 * Reads every complete record of `text` (all of it when `final`), starting at physical line `line`.
 * Returns where the unread rest starts and its line number.
 */
function readRecords(
  text: string,
  line: number,
  final: boolean,
  out: CsvBatch,
): { offset: number; line: number } {
  let pos = 0;
  const n = text.length;
  // One native scan of the chunk: records are checked for control characters only when it has one.
  const mayHoldControl = CONTROL.test(text);
  // The next quote at or after pos (n when none): found once, not once per line.
  let quote = -1;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) {
      if (!final) break;
      end = n;
    }
    if (quote < pos) {
      quote = text.indexOf('"', pos);
      if (quote < 0) quote = n;
    }
    // Fast path: a line without quotes is one record.
    if (quote >= end) {
      let raw = text.slice(pos, end);
      if (raw.length > 0 && raw.charCodeAt(raw.length - 1) === CR) raw = raw.slice(0, -1);
      if (!isBlank(raw)) {
        const fields = raw.split(',');
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i] as string;
          if (f.length > 0 && (f.charCodeAt(0) <= 32 || f.charCodeAt(f.length - 1) <= 32))
            fields[i] = f.trim();
        }
        pushRecord(out, fields, line, mayHoldControl);
      }
      pos = end + 1;
      line++;
      continue;
    }
    // Slow path: quoted fields, which may span lines.
    const r = readQuoted(text, pos, line, final);
    if (r === null) break; // the record continues in the next chunk
    if (r.problem) out.problems.push(r.problem);
    else if (r.fields) pushRecord(out, r.fields, line, mayHoldControl);
    pos = r.next;
    line = r.nextLine;
  }
  return { offset: Math.min(pos, n), line };
}

function readQuoted(
  text: string,
  start: number,
  line: number,
  final: boolean,
): {
  fields?: string[];
  problem?: CsvTextProblem;
  next: number;
  nextLine: number;
} | null {
  const n = text.length;
  const fields: string[] = [];
  let i = start;
  let problem: CsvTextProblem | undefined;
  for (;;) {
    // One field: skip leading spaces, then quoted or plain.
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      let j = from;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          if (!final) return null;
          return {
            problem: { line, column: fields.length + 1, message: 'a quoted field is not closed' },
            next: n,
            nextLine: line + countLines(text, start, n),
          };
        }
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          j = q + 2;
          from = j;
          continue;
        }
        if (q + 1 >= n && !final) return null; // a doubled quote may follow in the next chunk
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i < n && text.charCodeAt(i) === CR && (i + 1 >= n || text.charCodeAt(i + 1) === LF)) i++;
      if (i >= n) {
        if (!final) return null;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === LF) break;
      problem ??= {
        line,
        column: fields.length,
        message: 'characters after the closing quote of a field; quote the whole field',
      };
      // Skip to the end of the field.
      while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF) i++;
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      if (i >= n && !final) return null;
      break;
    }
    // A plain field: up to the next comma or line end.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === LF) break;
      if (c === QUOTE)
        problem ??= {
          line,
          column: fields.length + 1,
          message: 'a quote inside an unquoted field; quote the whole field and double the quote',
        };
      j++;
    }
    if (j >= n && !final) return null;
    let raw = text.slice(i, j);
    if (raw.length > 0 && raw.charCodeAt(raw.length - 1) === CR && (j >= n || text.charCodeAt(j) === LF))
      raw = raw.slice(0, -1);
    fields.push(raw.trim());
    if (j < n && text.charCodeAt(j) === COMMA) {
      i = j + 1;
      continue;
    }
    i = j;
    break;
  }
  // `i` is at the line feed that ends the record (or the end of the text).
  const next = i < n ? i + 1 : n;
  const nextLine = line + countLines(text, start, next);
  if (problem) return { problem, next, nextLine };
  return { fields, next, nextLine };
}

/** Line feeds in text[from, to). */
function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** A header name as the formats match it: case-insensitive, spaces and hyphens read as `_`. */
export function csvColumnName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Reads a header row against the columns a format knows: where each known column is (0-based), the
 * header names it does not know (ignored), and a problem for a column given twice or a required one
 * missing (at one past the last column).
 */
export function readCsvHeader<C extends string>(
  record: readonly string[],
  line: number,
  known: readonly C[],
  required: readonly C[],
): { index: Partial<Record<C, number>>; ignored: string[]; problems: CsvTextProblem[] } {
  const index: Partial<Record<C, number>> = {};
  const ignored: string[] = [];
  const problems: CsvTextProblem[] = [];
  record.forEach((raw, i) => {
    const name = csvColumnName(raw);
    if (!(known as readonly string[]).includes(name)) {
      ignored.push(raw);
      return;
    }
    const column = name as C;
    if (index[column] !== undefined)
      problems.push({ line, column: i + 1, message: `column ${column} appears twice` });
    else index[column] = i;
  });
  for (const c of required)
    if (index[c] === undefined)
      problems.push({
        line,
        column: record.length + 1,
        message: `the header has no ${c} column (required: ${required.join(', ')})`,
      });
  return { index, ignored, problems };
}

/** The problem of a row whose number of fields is not the header's, or null when it matches. */
export function wrongWidth(record: readonly string[], line: number, width: number): CsvTextProblem | null {
  if (record.length === width) return null;
  return {
    line,
    column: Math.min(record.length, width) + 1,
    message: `this row has ${record.length} field${record.length === 1 ? '' : 's'}, the header ${width}`,
  };
}
