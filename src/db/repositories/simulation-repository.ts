import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, SimulationsTable } from '../schema.js';
import { paginate, type PageRequest } from './page.js';

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
