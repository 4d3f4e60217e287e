import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { AuditEventsTable, Database } from '../schema.js';
import { heldStatements } from '../held-prepared.js';
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

const APPEND_TEXT = `insert into audit_events (id, at, actor_type, actor_id, role, vendor_id, partner_id, action,
  target_type, target_id, before_digest, after_digest, request_id, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The audit trail: append-only, so this repository can insert and read, never update or delete. */
export function auditRepository(db: Kysely<Database>) {
  return {
    async append(row: AuditRow): Promise<void> {
      // Inside a group commit (order intake): the kept prepared insert, not a query built anew.
      const held = heldStatements(db);
      if (held) {
        held.run(APPEND_TEXT, [
          row.id,
          row.at,
          row.actorType,
          row.actorId ?? null,
          row.role ?? null,
          row.vendorId ?? null,
          row.partnerId ?? null,
          row.action,
          row.targetType,
          row.targetId ?? null,
          row.beforeDigest ?? null,
          row.afterDigest ?? null,
          row.requestId ?? null,
          row.detail ?? '{}',
        ]);
        return;
      }
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
    /** Who acted, by name: people by their name, API tokens by the name their creator gave them. */
    async actorNames(
      personIds: readonly string[],
      tokenIds: readonly string[],
    ): Promise<Map<string, string>> {
      const names = new Map<string, string>();
      if (personIds.length > 0)
        for (const p of await db
          .selectFrom('people')
          .select(['id', 'name'])
          .where('id', 'in', [...personIds])
          .execute())
          names.set(p.id, p.name);
      if (tokenIds.length > 0)
        for (const k of await db
          .selectFrom('apiTokens')
          .select(['id', 'name'])
          .where('id', 'in', [...tokenIds])
          .execute())
          names.set(k.id, k.name);
      return names;
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
