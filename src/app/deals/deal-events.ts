import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { DealAction, DealSide, DealStatus } from '../../core/deals/lifecycle.js';
import { dealRepository, type DealRow } from '../../db/repositories/deal-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { notifyDealStep } from '../notifications/notify.js';
import { emitDealStep } from '../webhooks/emit.js';

export type DealActor = Actor | { kind: 'system'; id: string };

export function sideOf(actor: DealActor): DealSide {
  if (actor.kind === 'system') return 'system';
  return actor.vendorId ? 'vendor' : 'partner';
}

export function actorIdOf(actor: DealActor): string {
  return actor.kind === 'person' ? actor.personId : actor.kind === 'token' ? actor.tokenId : actor.id;
}

/**
 * Records one step of a registration's life in the same transaction as the change: its immutable
 * history row (what the partner reads) and the audit event (what the vendor's auditors read).
 */
export async function recordDealStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  input: {
    actor: DealActor;
    deal: DealRow;
    action: DealAction;
    from: DealStatus | null;
    to: DealStatus;
    reasonCode?: string | null;
    note?: string | null;
    after?: unknown;
    requestId?: string | null | undefined;
    /** Audit details for the vendor's auditors (never shown to the partner). */
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await dealRepository(trx).appendEvent({
    id: ctx.ids.next('dealEvent'),
    registrationId: input.deal.id,
    vendorId: input.deal.vendorId,
    partnerId: input.deal.partnerId,
    at,
    actorType: input.actor.kind,
    actorId: actorIdOf(input.actor),
    actorSide: sideOf(input.actor),
    action: input.action,
    fromStatus: input.from,
    toStatus: input.to,
    reasonCode: input.reasonCode ?? null,
    note: input.note ?? null,
  });
  await recordAudit(trx, ctx, {
    actor: input.actor,
    action: `deal.${input.action}`,
    target: {
      type: 'deal',
      id: input.deal.id,
      vendorId: input.deal.vendorId,
      partnerId: input.deal.partnerId,
    },
    before: input.deal,
    after: input.after ?? null,
    requestId: input.requestId ?? null,
    detail: { from: input.from, to: input.to, reasonCode: input.reasonCode ?? null, ...input.detail },
  });
  await notifyDealStep(
    trx,
    ctx,
    input.action,
    input.deal,
    (input.after ?? null) as Partial<DealRow> | null,
    input.reasonCode ?? null,
  );
  await emitDealStep(
    trx,
    ctx,
    input.action,
    input.deal,
    (input.after ?? null) as Partial<DealRow> | null,
    input.reasonCode ?? null,
  );
}
