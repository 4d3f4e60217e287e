import { insertText, type BulkValue } from '../insert-text.js';

export type { BulkValue } from '../insert-text.js';

/** Most rows one multi-row insert carries (SQLite prepares one statement per row count it sees). */
export const ROWS_PER_INSERT = 64;

/** What a prepared statement must offer here (better-sqlite3's Statement). */
interface Runnable {
  run(params: readonly BulkValue[]): { changes: number };
}

/**
 * Runs `insert into table (columns)` for the rows in `values` (flat, in column order) as prepared
 * multi-row statements: full statements of ROWS_PER_INSERT rows, then one for the rest. `prepared` returns
 * the (cached) statement for a text. Returns the number of rows inserted.
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
  if (rows <= ROWS_PER_INSERT) return prepared(insertText(table, columns, rows)).run(values).changes;
  const full = prepared(insertText(table, columns, ROWS_PER_INSERT));
  const step = ROWS_PER_INSERT * width;
  let changes = 0;
  let i = 0;
  for (; i + step <= values.length; i += step) changes += full.run(values.slice(i, i + step)).changes;
  if (i < values.length)
    changes += prepared(insertText(table, columns, (values.length - i) / width)).run(values.slice(i)).changes;
  return changes;
}
