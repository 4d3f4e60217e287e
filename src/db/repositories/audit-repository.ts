import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { AuditEventsTable, Database } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';

export type AuditRow = AuditEventsTable;
export type AuditSort = 'at';

export interface AuditFilter {
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The audit trail: append-only, so this repository can insert and read, never update or delete. */
export function auditRepository(db: Kysely<Database>) {
  return {
    async append(row: AuditRow): Promise<void> {
      await db.insertInto('auditEvents').values(row).execute();
    },
    list(scope: Scope, filter: AuditFilter, page: PageRequest<AuditSort>): Promise<Page<AuditRow>> {
      let q = db.selectFrom('auditEvents').selectAll();
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'partner') q = q.where('partnerId', '=', scope.partnerId);
      if (filter.action) q = q.where('action', '=', filter.action);
      if (filter.targetType) q = q.where('targetType', '=', filter.targetType);
      if (filter.targetId) q = q.where('targetId', '=', filter.targetId);
      if (filter.actorId) q = q.where('actorId', '=', filter.actorId);
      if (filter.from) q = q.where('at', '>=', filter.from);
      if (filter.to) q = q.where('at', '<=', filter.to);
      return paginate(q, page, { at: { ref: 'auditEvents.at', value: (r) => r.at } }, 'auditEvents.id');
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
