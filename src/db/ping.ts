import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** True if the store answers a trivial query. */
export async function pingStore(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
