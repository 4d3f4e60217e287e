import type { Kysely } from 'kysely';
import { primaryRole, type Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import { auditRepository, type AuditFilter, type AuditSort } from '../../db/repositories/audit-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { digest } from './secrets.js';

export interface AuditInput {
  actor: Actor | { kind: 'system'; id: string } | { kind: 'anonymous' };
  action: string;
  target: { type: string; id: string | null; vendorId: string | null; partnerId: string | null };
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /** Non-secret details worth reading later (never passwords or tokens). */
  detail?: Record<string, unknown>;
}

/**
 * Appends one audit event on the given handle: call it inside the transaction of the change it records,
 * so a change and its audit event commit or roll back together.
 */
export async function recordAudit(
  db: Kysely<Database>,
  deps: { clock: Clock; ids: IdGenerator },
  input: AuditInput,
): Promise<void> {
  const a = input.actor;
  await auditRepository(db).append({
    id: deps.ids.next('auditEvent'),
    at: deps.clock.now().toISOString(),
    actorType: a.kind,
    actorId:
      a.kind === 'person' ? a.personId : a.kind === 'token' ? a.tokenId : a.kind === 'system' ? a.id : null,
    role: a.kind === 'person' || a.kind === 'token' ? primaryRole(a) : null,
    vendorId: input.target.vendorId,
    partnerId: input.target.partnerId,
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id,
    beforeDigest: digest(input.before),
    afterDigest: digest(input.after),
    requestId: input.requestId ?? null,
    detail: JSON.stringify(input.detail ?? {}),
  });
}

export async function listAudit(
  ctx: AppContext,
  scope: Scope,
  filter: AuditFilter,
  page: PageParams<AuditSort>,
) {
  const db = ctx.store.db;
  const result = await paged(page, (request) => auditRepository(db).list(scope, filter, request));
  // Who acted, by name: the person, or the token (its name as its creator gave it).
  const idsOf = (type: string) => [
    ...new Set(result.items.filter((e) => e.actorType === type && e.actorId).map((e) => e.actorId as string)),
  ];
  const names = await auditRepository(db).actorNames(idsOf('person'), idsOf('token'));
  return {
    ...result,
    items: result.items.map((e) => ({
      ...e,
      actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
      detail: JSON.parse(e.detail) as Record<string, unknown>,
    })),
  };
}
