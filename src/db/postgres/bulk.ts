import { CompiledQuery, type Kysely } from 'kysely';
import type { BulkValue } from '../insert-text.js';
import type { Database } from '../schema.js';

const pgText = new Map<string, string>();

/** The same text with `$n` placeholders for `?` (kept per text). */
export function toPgPlaceholders(text: string): string {
  let out = pgText.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    pgText.set(text, out);
  }
  return out;
}

/**
 * The type of each column of the tables a store bulk-inserts into (`udt_name`: `text`, `int8`, `int4`...),
 * read from the catalogue the first time a table is written, one map per store (a column unknown to the
 * map, as after a migration, reads the table again).
 */
export type PgColumnTypes = Map<string, ReadonlyMap<string, string>>;

/** Values per `unnest` statement (all columns together): large enough that a batch is a few round trips. */
const VALUES_PER_STATEMENT = 400_000;

async function columnTypes(
  db: Kysely<Database>,
  types: PgColumnTypes,
  table: string,
  columns: readonly string[],
): Promise<string[]> {
  let known = types.get(table);
  if (!known || columns.some((c) => !known?.has(c))) {
    const { rows } = await db.executeQuery<{ name: string; type: string }>(
      CompiledQuery.raw(
        `select column_name as "name", udt_name as "type" from information_schema.columns
         where table_schema = current_schema() and table_name = $1`,
        [table],
      ),
    );
    known = new Map(rows.map((r) => [r.name, r.type]));
    types.set(table, known);
  }
  return columns.map((c) => {
    const type = known?.get(c);
    if (type === undefined) throw new RangeError(`table ${table} has no column ${c}`);
    return type;
  });
}

const unnestTexts = new Map<string, string>();

/** `insert into table (columns) select * from unnest($1::type[], ...)`, built once per shape. */
function unnestText(table: string, columns: readonly string[], types: readonly string[]): string {
  const key = `${table}/${columns.join(',')}/${types.join(',')}`;
  let text = unnestTexts.get(key);
  if (text === undefined) {
    text = `insert into ${table} (${columns.join(', ')}) select * from unnest(${types
      .map((t, i) => `$${i + 1}::${t}[]`)
      .join(', ')})`;
    unnestTexts.set(key, text);
  }
  return text;
}

/**
 * `insert into table (columns) ... ` on PostgreSQL for the rows in `values` (flat, in column order),
 * through the caller's Kysely handle (its transaction): one `insert ... select * from unnest($1::type[],
 * ...)` per VALUES_PER_STATEMENT values, one array parameter per column. No bind-parameter limit, one
 * statement text per table (planned once), and one round trip for thousands of rows; statement-level
 * triggers (the ledger's payable totals) run once per statement. The driver sends each array as an array
 * literal with every text quoted and escaped, so any text (quotes, backslashes, tabs, newlines, unicode,
 * the word NULL) arrives as it is, and a null stays null.
 */
export async function insertRowsPostgres(
  db: Kysely<Database>,
  types: PgColumnTypes,
  table: string,
  columns: readonly string[],
  values: readonly BulkValue[],
): Promise<void> {
  const width = columns.length;
  if (width === 0 || values.length % width !== 0)
    throw new RangeError(`${values.length} values do not fill rows of ${width} columns of ${table}`);
  const rows = values.length / width;
  if (rows === 0) return;
  const text = unnestText(table, columns, await columnTypes(db, types, table, columns));
  const per = Math.max(1, Math.floor(VALUES_PER_STATEMENT / width));
  for (let first = 0; first < rows; first += per) {
    const n = Math.min(per, rows - first);
    const arrays: BulkValue[][] = [];
    for (let c = 0; c < width; c++) {
      const column = new Array<BulkValue>(n);
      for (let r = 0, at = first * width + c; r < n; r++, at += width) column[r] = values[at] as BulkValue;
      arrays.push(column);
    }
    await db.executeQuery(CompiledQuery.raw(text, arrays));
  }
}
