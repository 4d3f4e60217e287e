import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A connection setting (`pragma name = value`) of a SQLite connection. */
export type PragmaSetting = readonly [name: 'cache_size' | 'foreign_keys' | 'temp_store', value: number];

/**
 * Runs `work` on the store's SQLite connection, held (no other transaction runs on it meanwhile), with
 * `settings` applied, and puts each setting back as it was before the connection is released, whether
 * `work` succeeds or not (a failure to put one back is reported only when `work` succeeded: `work`'s own
 * error is the one the caller gets). The pragmas run as statements on the held connection, so the same on
 * either thread the connection runs on. Settings SQLite refuses inside a transaction (`temp_store`,
 * `foreign_keys`) take effect here, before `work` begins one.
 */
export async function withConnectionSettings<R>(
  db: Kysely<Database>,
  settings: readonly PragmaSetting[],
  work: (conn: Kysely<Database>) => Promise<R>,
): Promise<R> {
  return db.connection().execute(async (conn) => {
    const pragma = async (text: string) =>
      Object.values((await sql.raw(`pragma ${text}`).execute(conn)).rows[0] ?? {})[0];
    const before: [string, number][] = [];
    try {
      for (const [name, value] of settings) {
        before.push([name, Number(await pragma(name))]);
        await pragma(`${name} = ${Math.trunc(value)}`);
      }
    } catch (error) {
      await restore(pragma, before, true);
      throw error;
    }
    let failed = false;
    try {
      return await work(conn);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await restore(pragma, before, failed);
    }
  });
}

async function restore(
  pragma: (text: string) => Promise<unknown>,
  before: readonly (readonly [string, number])[],
  quietly: boolean,
): Promise<void> {
  let first: unknown = null;
  for (const [name, value] of [...before].reverse()) {
    try {
      await pragma(`${name} = ${value}`);
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== null && !quietly) throw first;
}
