import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../connection.js';
import type { Database } from '../schema.js';

/**
 * Whether the facts a close of a vendor reads changed since an earlier close (migration 0038), each store
 * its own way. SQLite: counters bumped by triggers (`fact_versions`); a mark is their value. PostgreSQL:
 * the transactions that changed them (`fact_changes`, one row per scope and transaction); a mark is the
 * snapshot the close started from and the close's own transaction, and a change since is a row of a
 * transaction that snapshot did not see, other than the close's own.
 */
export type FactStart =
  { kind: 'sqlite'; version: string } | { kind: 'postgres'; snapshot: string; xmin: number };

/** What a close records (JSON, in its summary's ledger mark). */
export type FactMark = string | { snapshot: string; xmin: number; txid: number };

/** Changes older than this are pruned by the closes on PostgreSQL (a mark older than them reads again). */
const KEEP_CHANGES = '7 days';

/**
 * SQLite: the vendor's counter and the shared partners' (`fact_versions`), as one value that changes
 * whenever any fact of the vendor a close reads does.
 */
export async function factCounters(db: Kysely<Database>, vendorId: string): Promise<string> {
  const rows = await db
    .selectFrom('factVersions')
    .select(['scope', 'version'])
    .where('scope', 'in', [vendorId, '*'])
    .execute();
  const of = (scope: string) => Number(rows.find((r) => r.scope === scope)?.version ?? 0);
  return `${of(vendorId)}.${of('*')}`;
}

export function factVersionRepository(db: Kysely<Database>, kind: DatabaseKind) {
  const sqliteVersion = (vendorId: string) => factCounters(db, vendorId);
  return {
    /** Where the facts stand as a close starts (before it reads any). */
    async start(vendorId: string): Promise<FactStart> {
      if (kind === 'sqlite') return { kind, version: await sqliteVersion(vendorId) };
      const { rows } = await sql<{ snapshot: string; xmin: string }>`
        select s::text as snapshot, pg_snapshot_xmin(s)::text as xmin
        from (select pg_current_snapshot() as s) x`.execute(db);
      const row = rows[0] as { snapshot: string; xmin: string };
      return { kind, snapshot: row.snapshot, xmin: Number(row.xmin) };
    },
    /** What a close that started at `start` records, after its own writes. */
    async mark(vendorId: string, start: FactStart): Promise<FactMark> {
      if (start.kind === 'sqlite') return sqliteVersion(vendorId);
      // The close's own transaction (its postings are changes it made itself, not changes since).
      const { rows } = await sql<{ txid: string }>`select txid_current()::text as txid`.execute(db);
      // Prune what no recent close needs, leaving the newest pruned transaction per scope.
      await sql`with gone as (
          delete from fact_changes
          where scope in (${vendorId}, '*') and at::timestamptz < now() - ${KEEP_CHANGES}::interval
          returning scope, txid)
        insert into fact_changes (scope, txid)
        select 'pruned:' || scope, max(txid) from gone group by scope
        on conflict do nothing`.execute(db);
      return { snapshot: start.snapshot, xmin: start.xmin, txid: Number(rows[0]?.txid) };
    },
    /** Whether nothing a close of the vendor reads changed since the close that recorded `mark`. */
    async unchangedSince(vendorId: string, mark: unknown, start: FactStart): Promise<boolean> {
      if (start.kind === 'sqlite') return typeof mark === 'string' && mark === start.version;
      if (typeof mark !== 'object' || mark === null) return false;
      const { snapshot, xmin, txid } = mark as { snapshot?: unknown; xmin?: unknown; txid?: unknown };
      if (typeof snapshot !== 'string' || typeof xmin !== 'number' || typeof txid !== 'number') return false;
      const { rows } = await sql<{ changed: boolean }>`
        select exists (
            select 1 from fact_changes
            where scope in (${vendorId}, '*') and txid >= ${xmin} and txid <> ${txid}
              and not pg_visible_in_snapshot(txid::text::xid8, ${snapshot}::pg_snapshot))
          or exists (
            select 1 from fact_changes
            where scope in ('pruned:' || ${vendorId}, 'pruned:*') and txid >= ${xmin}) as changed`.execute(
        db,
      );
      return rows[0]?.changed === false;
    },
  };
}
