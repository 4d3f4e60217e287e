import { insertText, type BulkValue } from '../insert-text.js';

export type { BulkValue } from '../insert-text.js';

/** Most rows one multi-row insert carries (SQLite prepares one statement per row count it sees). */
export const ROWS_PER_INSERT = 64;
/**
 * Rows of the large statements a big batch is written in first (fewer for wide rows: at most
 * MAX_PARAMETERS values a statement). Inside a transaction SQLite copies every page a statement changes
 * to a statement journal the first time that statement changes it (to undo that statement alone if a
 * later row of it fails); a table with many indexes has each row change pages all over them, so in small
 * statements the same pages are copied again and again. Measured on the CSV import's 100,000 lines (32,462
 * orders into 11 B-trees, 95,661 lines into 7): orders 1.23 to 1.50 s in statements of 64 rows, 0.86 to
 * 0.93 s in statements of 1,024; lines 1.70 to 1.92 s, 1.62 to 1.66 s. One row a statement (no statement
 * journal at all) is slower still: each statement seeks every index from its root again, where a
 * statement's later rows start from where the last one left its cursors.
 */
const BIG_ROWS_PER_INSERT = 1024;
/** Values one SQLite statement binds at most (SQLITE_MAX_VARIABLE_NUMBER's default since 3.32). */
const MAX_PARAMETERS = 32_766;

/** What a prepared statement must offer here (better-sqlite3's Statement). */
interface Runnable {
  run(params: readonly BulkValue[]): { changes: number };
}

/**
 * Runs `insert into table (columns)` for the rows in `values` (flat, in column order) as prepared
 * multi-row statements: full statements of BIG_ROWS_PER_INSERT rows, then of ROWS_PER_INSERT rows, then
 * one for the rest (so at most 2 + 63 texts per table and column list are ever prepared). `prepared`
 * returns the (cached) statement for a text. Returns the number of rows inserted.
 */
export function insertRowsPrepared(
  prepared: (text: string) => Runnable,
  table: string,
  columns: readonly string[],
  values: readonly BulkValue[],
): number {
  const width = columns.length;
  if (width === 0 || values.length % width !== 0)
    throw new RangeError(`${values.length} values do not fill rows of ${width} columns of ${table}`);
  const rows = values.length / width;
  if (rows === 0) return 0;
  let changes = 0;
  let i = 0;
  for (const size of statementSizes(width)) {
    const step = size * width;
    if (i + step > values.length) continue;
    const full = prepared(insertText(table, columns, size));
    for (; i + step <= values.length; i += step) changes += full.run(values.slice(i, i + step)).changes;
  }
  if (i < values.length)
    changes += prepared(insertText(table, columns, (values.length - i) / width)).run(values.slice(i)).changes;
  return changes;
}

/** The statement sizes, largest first, that rows of `width` columns are written in. */
function statementSizes(width: number): readonly number[] {
  const big = Math.min(BIG_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / width));
  return big > ROWS_PER_INSERT ? [big, ROWS_PER_INSERT] : [ROWS_PER_INSERT];
}
