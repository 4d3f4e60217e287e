import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Case-insensitive "contains" on both databases; % and _ in the user's text match literally. */
export function containsText(columnRef: string, text: string): RawBuilder<SqlBool> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`lower(${sql.ref(columnRef)}) like ${`%${escaped}%`} escape '\\'`;
}
