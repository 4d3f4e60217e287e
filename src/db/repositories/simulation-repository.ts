import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, SimulationsTable } from '../schema.js';
import { paginate, type PageRequest } from './page.js';
import { factCounters } from './fact-version-repository.js';

export type SimulationRow = Selectable<SimulationsTable>;
export type SimulationSort = 'createdAt' | 'name';

const SORTS = {
  createdAt: { ref: 'created_at', value: (r: SimulationRow) => r.createdAt },
  name: { ref: 'name', value: (r: SimulationRow) => r.name },
} as const;

/**
 * Simulations within a scope: a vendor's own (vendor-wide results: people limited to some regions see
 * none); partners none.
 */
function scoped(db: Kysely<Database>, scope: Scope) {
  const q = db.selectFrom('simulations').selectAll();
  switch (scope.kind) {
    case 'system':
      return q;
    case 'vendor':
      return scope.regions.length > 0 ? q.where('id', '=', '') : q.where('vendorId', '=', scope.vendorId);
    case 'partner':
      return q.where('id', '=', '');
  }
}

export function simulationRepository(db: Kysely<Database>) {
  return {
    insert(row: Insertable<SimulationsTable>) {
      return db.insertInto('simulations').values(row).execute();
    },
    /** Finishes a running simulation, once (a finished one is read only). */
    async finish(
      id: string,
      outcome: {
        status: 'succeeded' | 'failed';
        result: string | null;
        error: string | null;
        engineVersion: string | null;
        finishedAt: string;
        jobId?: string | undefined;
      },
    ): Promise<boolean> {
      const r = await db
        .updateTable('simulations')
        .set(outcome)
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    get(scope: Scope, id: string) {
      return scoped(db, scope).where('id', '=', id).executeTakeFirst();
    },
    getMany(scope: Scope, ids: readonly string[]) {
      return ids.length === 0 ? Promise.resolve([]) : scoped(db, scope).where('id', 'in', ids).execute();
    },
    list(scope: Scope, filter: { status?: string | undefined }, page: PageRequest<SimulationSort>) {
      let q = scoped(db, scope);
      if (filter.status) q = q.where('status', '=', filter.status);
      return paginate(q, page, SORTS, 'id');
    },
    /**
     * A version of everything a simulation of the vendor's program reads (its history): it changes whenever
     * any of it changes, so that a simulation's kept history (app/simulation/history-cache.ts) is never used
     * stale. One query, from indexes and small tables: per table its row count and greatest id (orders,
     * order lines, ledger transactions and closes are only ever added to; an order is linked to its
     * registration in the transaction that adds it), plus the columns changed in place (a membership's
     * dates, an enrolment's status and exclusivity, a registration's version, coverage's last change, a
     * program version's status, the vendor a partner stands for). With certifications and agreements, it
     * also covers what tier evaluation reads. A day is summed as the number YYYYMMDD.
     */
    async dataVersion(vendorId: string, programId: string, counters = false): Promise<string> {
      // Where the store keeps fact versions (migration 0038: triggers on orders and their lines, products,
      // partners, tier records, enrolments, registrations, ledger transactions and program versions, by
      // vendor), they stand for those tables: no count over millions of lines on every run.
      if (counters) {
        const rest = await sql<Record<string, unknown>>`select
          (select count(*) || ':' || coalesce(max(id), '')
             from certifications where vendor_id = ${vendorId}) as certifications,
          (select count(*) || ':' || coalesce(max(id), '') from agreements) as agreements,
          (select count(*) || ':' || coalesce(max(updated_at), '')
             from account_coverage where vendor_id = ${vendorId}) as coverage,
          (select count(*) || ':' || coalesce(max(id), '')
             from period_closes where vendor_id = ${vendorId} and program_id = ${programId}) as closes`.execute(
          db,
        );
        return [
          `facts:${await factCounters(db, vendorId)}`,
          ...Object.values(rest.rows[0] ?? {}).map((v) => String(v ?? '')),
        ].join('|');
      }
      const day = (column: string) => sql.raw(`sum(cast(replace(${column}, '-', '') as integer))`);
      const r = await sql<Record<string, unknown>>`select
        (select count(*) from order_lines where vendor_id = ${vendorId}) as lines,
        (select max(id) from order_lines where vendor_id = ${vendorId}) as last_line,
        (select count(*) from orders where vendor_id = ${vendorId}) as orders,
        (select max(id) from orders where vendor_id = ${vendorId}) as last_order,
        (select count(*) from products where vendor_id = ${vendorId}) as products,
        (select max(id) from products where vendor_id = ${vendorId}) as last_product,
        (select count(*) || ':' || coalesce(max(id), '') || ':' || count(represents_vendor_id) || ':' ||
           coalesce(max(represents_vendor_id), '') || ':' || coalesce(min(represents_vendor_id), '')
           from partners) as partners,
        (select count(*) || ':' || coalesce(max(id), '')
           from certifications where vendor_id = ${vendorId}) as certifications,
        (select count(*) || ':' || coalesce(max(id), '') from agreements) as agreements,
        (select count(*) || ':' || coalesce(max(id), '') || ':' || count(valid_to) || ':' ||
           coalesce(${day('valid_to')}, 0) || ':' || coalesce(${day('valid_from')}, 0) ||
           ':' || coalesce(${day('grandfathered_until')}, 0)
           from memberships where vendor_id = ${vendorId} and program_id = ${programId}) as memberships,
        (select count(*) || ':' || coalesce(max(id), '') || ':' || coalesce(sum(exclusive), 0) || ':' ||
           coalesce(sum(length(status)), 0) || ':' || count(payout_currency)
           from enrolments where vendor_id = ${vendorId} and program_id = ${programId}) as enrolments,
        (select count(*) || ':' || coalesce(max(updated_at), '') || ':' || coalesce(sum(version), 0)
           from deal_registrations where vendor_id = ${vendorId}) as deals,
        (select count(*) || ':' || coalesce(max(updated_at), '')
           from account_coverage where vendor_id = ${vendorId}) as coverage,
        (select count(*) || ':' || coalesce(max(id), '')
           from period_closes where vendor_id = ${vendorId} and program_id = ${programId}) as closes,
        (select count(*) || ':' || coalesce(max(id), '')
           from ledger_transactions where vendor_id = ${vendorId} and program_id = ${programId}) as ledger,
        (select count(*) || ':' || coalesce(max(id), '') || ':' || coalesce(sum(length(status)), 0)
           from program_versions where vendor_id = ${vendorId} and program_id = ${programId}) as versions`.execute(
        db,
      );
      const row = r.rows[0] ?? {};
      return Object.values(row)
        .map((v) => String(v ?? ''))
        .join('|');
    },
    /** Order lines of the vendor sold through partners in [from, to] (is there any history to run on). */
    async hasLines(vendorId: string, from: string, to: string): Promise<boolean> {
      const row = await db
        .selectFrom('orderLines')
        .select('id')
        .where('vendorId', '=', vendorId)
        .where('orderDate', '>=', from)
        .where('orderDate', '<=', to)
        .where('resellerId', 'is not', null)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
