import { type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, JobsTable } from '../schema.js';
import { paginate, type PageRequest } from './page.js';

export type JobRow = Selectable<JobsTable>;
export type JobSort = 'createdAt';

const JOB_SORTS = { createdAt: { ref: 'created_at', value: (r: JobRow) => r.createdAt } } as const;

/** Jobs within a scope: a vendor sees its own vendor's; a partner only those it started. */
function scoped(db: Kysely<Database>, scope: Scope) {
  const q = db.selectFrom('jobs').selectAll();
  switch (scope.kind) {
    case 'system':
      return q;
    case 'vendor':
      // Jobs carry vendor-wide results (a close's totals): people limited to some regions see none.
      return scope.regions.length > 0 ? q.where('id', '=', '') : q.where('vendorId', '=', scope.vendorId);
    case 'partner':
      return q.where('partnerId', '=', scope.partnerId);
  }
}

export function jobRepository(db: Kysely<Database>) {
  return {
    insert(row: Insertable<JobsTable>) {
      return db.insertInto('jobs').values(row).execute();
    },
    /** `startedBy`: only a job this actor started (a token without the read scope). */
    get(scope: Scope, id: string, startedBy?: string | undefined) {
      let q = scoped(db, scope).where('id', '=', id);
      if (startedBy) q = q.where('startedBy', '=', startedBy);
      return q.executeTakeFirst();
    },
    list(
      scope: Scope,
      filter: { kind?: string | undefined; status?: string | undefined; startedBy?: string | undefined },
      page: PageRequest<JobSort>,
    ) {
      let q = scoped(db, scope);
      if (filter.startedBy) q = q.where('startedBy', '=', filter.startedBy);
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      if (filter.status) q = q.where('status', '=', filter.status);
      return paginate(q, page, JOB_SORTS, 'id');
    },
    update(id: string, changes: Updateable<JobsTable>) {
      return db.updateTable('jobs').set(changes).where('id', '=', id).execute();
    },
    /** Marks every queued or running job except `keep` failed (after a restart); returns how many. */
    async failUnfinished(keep: readonly string[], error: string, now: string): Promise<number> {
      let q = db
        .updateTable('jobs')
        .set({ status: 'failed', error, runningKey: null, finishedAt: now })
        .where('status', 'in', ['queued', 'running']);
      if (keep.length > 0) q = q.where('id', 'not in', keep);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** True when an insert failed on the running-key unique index. */
    isRunningKeyConflict(e: unknown): boolean {
      const text = `${(e as { code?: unknown }).code ?? ''} ${(e as Error).message ?? ''}`;
      return /jobs_running_key_ux|jobs\.running_key|23505|SQLITE_CONSTRAINT_UNIQUE/.test(text);
    },
    running(runningKey: string) {
      return db.selectFrom('jobs').selectAll().where('runningKey', '=', runningKey).executeTakeFirst();
    },
  };
}
