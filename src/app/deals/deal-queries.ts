import type { Scope } from '../../core/access/scope.js';
import { DEAL_STATUSES, isDealStatus, PROTECTING } from '../../core/deals/lifecycle.js';
import { rejectionReasonsOf } from '../../core/deals/reasons.js';
import type { Message } from '../../core/messages/message.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { dealRepository, type DealFlagSort, type DealSort } from '../../db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import { namedAccountRepository } from '../../db/repositories/named-account-repository.js';
import type { PageRequest } from '../../db/repositories/page.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { programInForce } from '../programs/program-in-force.js';
import { dealEventView, partnerDealView, vendorDealView } from './deal-views.js';

export interface DealListFilter {
  vendor?: string | undefined;
  program?: string | undefined;
  partner?: string | undefined;
  status?: string | undefined;
  customer?: string | undefined;
  breached?: boolean | undefined;
  expiringWithinDays?: number | undefined;
  extensionRequested?: boolean | undefined;
  q?: string | undefined;
}

/**
 * Registrations in scope. A partner sees its own (a sales rep, those it owns); a vendor its queue, sorted by
 * review due time by default in the routes. `status` takes a comma-separated list; `expired` also finds
 * approved registrations whose protection has passed and that no sweep has recorded yet.
 */
export async function listDeals(
  ctx: AppContext,
  scope: Scope,
  filter: DealListFilter,
  page: PageParams<DealSort>,
) {
  const now = ctx.clock.now();
  const statuses = filter.status ? filter.status.split(',').map((s) => s.trim()) : undefined;
  for (const s of statuses ?? [])
    if (!isDealStatus(s))
      throw new TrellisError('invalid_input', `unknown status ${s}`, [
        { location: 'querystring.status', message: `one of ${DEAL_STATUSES.join(', ')}` },
      ]);
  const protectedThrough =
    filter.expiringWithinDays !== undefined
      ? new Date(now.getTime() + filter.expiringWithinDays * 86_400_000).toISOString().slice(0, 10)
      : undefined;
  const result = await paged(page, (req: PageRequest<DealSort>) =>
    dealRepository(ctx.store.db).list(
      scope,
      {
        vendorId: filter.vendor,
        programId: filter.program,
        partnerId: filter.partner,
        customerId: scope.kind === 'partner' ? undefined : filter.customer,
        statuses: statuses?.includes('expired') ? [...statuses, ...PROTECTING] : statuses,
        breachedAt: filter.breached ? now.toISOString() : undefined,
        protectedThrough,
        extensionRequested: filter.extensionRequested,
        q: filter.q,
      },
      req,
    ),
  );
  const lines = await dealRepository(ctx.store.db).linesOf(result.items.map((d) => d.id));
  const names =
    scope.kind === 'partner'
      ? new Map<string, string>()
      : await partnerNames(
          ctx,
          result.items.map((d) => d.partnerId),
        );
  let items = result.items.map((d) => {
    const own = lines.filter((l) => l.registrationId === d.id);
    return scope.kind === 'partner'
      ? partnerDealView(d, own, now)
      : { ...vendorDealView(d, own, now), partnerName: names.get(d.partnerId) ?? null };
  });
  // The state as of now: an approved registration past its last day reads as expired before the sweep records it.
  if (statuses) items = items.filter((d) => statuses.includes(d.status));
  return { items, nextCursor: result.nextCursor };
}

/** A field a conflict matched on, as the matcher stored it (src/core/matching/similarity.ts Evidence). */
type ConflictEvidence = {
  readonly field: string;
  readonly score: number;
  readonly detail?: string;
  /** The detail as a message (evidence stored since messages exist; null before). */
  readonly detailMessage?: Message | null;
};

/** Stored evidence as the API returns it: each detail with its message (null for older evidence). */
function conflictEvidence(json: string): ConflictEvidence[] {
  return (JSON.parse(json) as ConflictEvidence[]).map((e) =>
    e.detail === undefined ? e : { ...e, detailMessage: e.detailMessage ?? null },
  );
}

/** The `otherId` of a conflict with a record outside the reviewer's regions (its evidence keeps only scores). */
export const HIDDEN_OTHER = 'outside-your-regions';

/**
 * One registration with its lines and history. The vendor's reviewer also gets the conflicts found on
 * submission, side by side with what they matched (the other registration, the customer, the direct
 * account) and the evidence: which fields matched, with what scores.
 */
export async function getDeal(ctx: AppContext, scope: Scope, id: string) {
  const repo = dealRepository(ctx.store.db);
  const d = await repo.get(scope, id);
  if (!d) throw notFound('deal registration', id);
  const now = ctx.clock.now();
  const lines = await repo.lines(d.id);
  const history = (await repo.events(d.id)).map((e) => dealEventView(e, scope.kind !== 'partner'));
  if (scope.kind === 'partner') return { ...partnerDealView(d, lines, now), history };
  const conflicts = await repo.conflicts(d.id);
  const others = await Promise.all(
    conflicts.map(async (c) => {
      const base = {
        id: c.id,
        kind: c.otherKind,
        otherId: c.otherId,
        score: c.score,
        decision: c.decision,
        status: c.status,
        evidence: conflictEvidence(c.evidence),
      };
      // What it matched, as far as the reviewer may see it: a channel manager limited to regions is not
      // shown another region's registration or customer (a program's conflict scope need not include the
      // region), only that there is one.
      const hidden = {
        ...base,
        otherId: HIDDEN_OTHER,
        evidence: base.evidence.map((e) => ({
          field: e.field,
          score: e.score,
        })),
        other: null,
      };
      if (c.otherKind === 'registration') {
        const o = await repo.get(scope, c.otherId);
        if (!o) return hidden;
        return {
          ...base,
          other: {
            ...vendorDealView(o, await repo.lines(o.id), now),
            partnerName: await partnerName(ctx, o.partnerId),
          },
        };
      }
      if (c.otherKind === 'customer') {
        const cu = await dealSupportRepository(ctx.store.db).vendorCustomer(d.vendorId, c.otherId);
        const visible =
          cu && (scope.kind !== 'vendor' || scope.regions.length === 0 || scope.regions.includes(cu.region));
        return visible ? { ...base, other: cu } : hidden;
      }
      const named = await namedAccountRepository(ctx.store.db).get(c.otherId);
      return {
        ...base,
        other:
          named && named.vendorId === d.vendorId
            ? { id: named.id, name: named.name, domain: named.domain, country: named.country }
            : { name: c.otherId.replace(/^named:[^:]*:/, '') },
      };
    }),
  );
  // The later registrations that ran into this one: its reviewer sees who was turned away, and why.
  const against = await repo.conflictsAgainst(d.vendorId, d.id);
  const challengers = await Promise.all(
    against.map(async (c) => {
      const o = await repo.get({ kind: 'vendor', vendorId: d.vendorId, regions: [] }, c.registrationId);
      return {
        id: c.id,
        registrationId: c.registrationId,
        score: c.score,
        decision: c.decision,
        status: c.status,
        evidence: conflictEvidence(c.evidence),
        other: o
          ? {
              ...vendorDealView(o, await repo.lines(o.id), now),
              partnerName: await partnerName(ctx, o.partnerId),
            }
          : null,
      };
    }),
  );
  return {
    ...vendorDealView(d, lines, now),
    partnerName: await partnerName(ctx, d.partnerId),
    history,
    conflicts: others,
    laterConflicts: challengers,
  };
}

async function partnerNames(ctx: AppContext, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await dealSupportRepository(ctx.store.db).partnerNames(unique);
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function partnerName(ctx: AppContext, partnerId: string): Promise<string | null> {
  return dealSupportRepository(ctx.store.db).partnerName(partnerId);
}

/** The reason codes a reviewer picks from, with their labels (the program's list). */
export async function dealReasons(ctx: AppContext, scope: Scope, programId: string) {
  const program = await programInForce(ctx, scope, programId, undefined, 'programId');
  return { items: rejectionReasonsOf(program.definition.dealRegistration) };
}

export async function listDealFlags(
  ctx: AppContext,
  scope: Scope,
  filter: { status?: string | undefined; rule?: string | undefined; partner?: string | undefined },
  page: PageParams<DealFlagSort>,
) {
  const result = await paged(page, (req: PageRequest<DealFlagSort>) =>
    dealRepository(ctx.store.db).listFlags(
      scope,
      { status: filter.status, rule: filter.rule, partnerId: filter.partner },
      req,
    ),
  );
  return { items: result.items.map(flagView), nextCursor: result.nextCursor };
}

export function flagView(f: Awaited<ReturnType<ReturnType<typeof dealRepository>['getFlag']>> & object) {
  return {
    id: f.id,
    vendorId: f.vendorId,
    partnerId: f.partnerId,
    registrationId: f.registrationId,
    orderId: f.orderId,
    rule: f.rule,
    evidence: JSON.parse(f.evidence) as Record<string, unknown>,
    status: f.status,
    resolution: f.resolution,
    resolvedBy: f.resolvedBy,
    resolvedAt: f.resolvedAt,
    createdAt: f.createdAt,
  };
}
