/** A bound value of a bulk insert: text, a number, or null (booleans are 0/1 in this schema). */
export type BulkValue = string | number | null;

/** `?, ?, ...`: `n` placeholders, for an `in (...)` list of `n` values. */
export const placeholders = (n: number): string => Array<string>(n).fill('?').join(', ');

const insertTexts = new Map<string, string>();
/** The same texts by column list (callers pass the same constant lists): no key string built per call. */
const byColumns = new WeakMap<readonly string[], Map<string, string>>();

/** `insert into table (columns) values (?, ...), ...` for `rows` rows, built once per shape. */
export function insertText(table: string, columns: readonly string[], rows: number): string {
  let texts = byColumns.get(columns);
  if (!texts) {
    texts = new Map();
    byColumns.set(columns, texts);
  }
  const short = `${table}/${rows}`;
  let text = texts.get(short);
  if (text === undefined) {
    const key = `${table}/${columns.join(',')}/${rows}`;
    text = insertTexts.get(key);
    if (text === undefined) {
      text = `insert into ${table} (${columns.join(', ')}) values ${Array<string>(rows)
        .fill(`(${columns.map(() => '?').join(', ')})`)
        .join(', ')}`;
      insertTexts.set(key, text);
    }
    texts.set(short, text);
  }
  return text;
}
