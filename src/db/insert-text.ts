/** A bound value of a bulk insert: text, a number, or null (booleans are 0/1 in this schema). */
export type BulkValue = string | number | null;

const insertTexts = new Map<string, string>();

/** `insert into table (columns) values (?, ...), ...` for `rows` rows, built once per shape. */
export function insertText(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}/${columns.join(',')}/${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    text = `insert into ${table} (${columns.join(', ')}) values ${Array<string>(rows)
      .fill(`(${columns.map(() => '?').join(', ')})`)
      .join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}
