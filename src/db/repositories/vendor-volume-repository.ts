import { sql, type Kysely } from 'kysely';
import type { SqlStore } from '../connection.js';
import type { Database } from '../schema.js';
import { sqlRunner } from './order-intake-repository.js';

/**
 * Each vendor's gross order volume (sum of |line amount| of every line accepted), the database side of
 * the money limits (docs/limits.md). Raised in the transaction that writes the lines, never past the limit.
 */
export function vendorVolumeRepository(db: Kysely<Database>, store: SqlStore) {
  const q = sqlRunner(db, store);
  return {
    /**
     * Adds `grossMinor` to the vendor's volume if the result stays at most `limitMinor`: true when
     * added, false (nothing changed) when it would pass. One conditional statement, so concurrent
     * writers (PostgreSQL) cannot pass the limit together: the second waits for the first's row lock and
     * re-checks the condition against the committed value. The caller has checked grossMinor <= limitMinor.
     */
    async add(vendorId: string, grossMinor: number, limitMinor: number): Promise<boolean> {
      const rows = await q.all<{ grossMinor: number | string }>(
        `insert into vendor_volumes (vendor_id, gross_minor) values (?, ?)
         on conflict (vendor_id) do update set gross_minor = vendor_volumes.gross_minor + excluded.gross_minor
         where vendor_volumes.gross_minor + excluded.gross_minor <= ?
         returning gross_minor as "grossMinor"`,
        [vendorId, grossMinor, limitMinor],
      );
      return rows.length > 0;
    },

    async get(vendorId: string): Promise<number> {
      const row = await db
        .selectFrom('vendorVolumes')
        .select('grossMinor')
        .where('vendorId', '=', vendorId)
        .executeTakeFirst();
      return Number(row?.grossMinor ?? 0);
    },

    /**
     * Sets every vendor's volume from the lines stored (the demo loader, once at the end of a load), in
     * one pass over the lines (one conditional sum per vendor: no sort, no index needed), and returns
     * the vendors whose volume passes `limitMinor` (the caller refuses the load).
     */
    async recomputeAll(limitMinor: number): Promise<{ vendorId: string; grossMinor: number }[]> {
      const vendors = (await db.selectFrom('vendors').select('id').orderBy('id').execute()).map((v) => v.id);
      await sql`delete from vendor_volumes`.execute(db);
      if (vendors.length === 0) return [];
      const sums = vendors.map(
        (id, i) =>
          sql`coalesce(sum(case when vendor_id = ${id} then abs(amount_minor) else 0 end), 0) as ${sql.ref(`v${i}`)}`,
      );
      const row = (
        await sql<Record<string, number | string>>`select ${sql.join(sums)} from order_lines`.execute(db)
      ).rows[0];
      const volumes = vendors.map((vendorId, i) => ({ vendorId, grossMinor: Number(row?.[`v${i}`] ?? 0) }));
      await db.insertInto('vendorVolumes').values(volumes).execute();
      return volumes.filter((v) => v.grossMinor > limitMinor);
    },
  };
}
