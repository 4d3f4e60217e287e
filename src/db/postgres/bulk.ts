import { CompiledQuery, type Kysely } from 'kysely';
import { insertText, type BulkValue } from '../insert-text.js';
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
 * `insert into table (columns) values (...), (...)` on PostgreSQL, through the caller's Kysely handle (its
 * transaction), as few multi-row statements as its 65,535 bind parameters allow (at most 1,000 rows each).
 */
export async function insertRowsPostgres(
  db: Kysely<Database>,
  table: string,
  columns: readonly string[],
  values: readonly BulkValue[],
): Promise<void> {
  const width = columns.length;
  if (width === 0 || values.length % width !== 0)
    throw new RangeError(`${values.length} values do not fill rows of ${width} columns of ${table}`);
  const per = Math.max(1, Math.min(1000, Math.floor(65_535 / width)));
  for (let i = 0; i < values.length; i += per * width) {
    const chunk = values.slice(i, i + per * width);
    await db.executeQuery(
      CompiledQuery.raw(toPgPlaceholders(insertText(table, columns, chunk.length / width)), [...chunk]),
    );
  }
}
