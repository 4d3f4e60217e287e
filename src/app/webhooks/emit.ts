import type { Kysely } from 'kysely';
import {
  orderAcceptedEvents,
  partnerEvents,
  audiencesOf,
  type WebhookEventData,
} from '../../core/webhooks/events.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { emitWebhookEvents } from './outbox.js';

/**
 * The webhook events of each change, written in its transaction (the outbox, src/app/webhooks/outbox.ts):
 * one call at the place of the change, beside its notification. Payloads: docs/webhooks.md.
 */

const DEAL_DECISIONS: Record<string, WebhookEventData['deal.decided']['decision']> = {
  approve: 'approved',
  reject: 'rejected',
  'grant-extension': 'extended',
  'refuse-extension': 'extension-refused',
};

/** A registration was submitted, or decided (approved, also automatically; rejected; extension decided). */
export function emitDealStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  action: string,
  deal: {
    id: string;
    vendorId: string;
    partnerId: string;
    customerName: string;
    protectedUntil: string | null;
  },
  after: { status?: string; protectedUntil?: string | null; reasonCode?: string | null } | null,
  reasonCode: string | null,
) {
  if (action === 'submit')
    return emitWebhookEvents(
      trx,
      ctx,
      partnerEvents('deal.submitted', deal.vendorId, deal.partnerId, {
        dealId: deal.id,
        partnerId: deal.partnerId,
        customerName: deal.customerName,
        status: after?.status ?? 'submitted',
      }),
    );
  const decision = DEAL_DECISIONS[action];
  if (!decision) return Promise.resolve(0);
  return emitWebhookEvents(
    trx,
    ctx,
    partnerEvents('deal.decided', deal.vendorId, deal.partnerId, {
      dealId: deal.id,
      partnerId: deal.partnerId,
      customerName: deal.customerName,
      decision,
      protectedUntil: after?.protectedUntil ?? deal.protectedUntil,
      reasonCode: reasonCode ?? after?.reasonCode ?? null,
    }),
  );
}

/** An order was accepted (stored): the vendor's view, and each partner's view of its own part. */
export function emitOrderAccepted(
  trx: Kysely<Database>,
  ctx: AppContext,
  order: Parameters<typeof orderAcceptedEvents>[0],
) {
  return emitWebhookEvents(trx, ctx, orderAcceptedEvents(order));
}

/** A bulk import stored orders: one event per import (the vendor's; a sell-out's distributor's too). */
export function emitImportCompleted(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  data: WebhookEventData['import.completed'],
) {
  return emitWebhookEvents(
    trx,
    ctx,
    audiencesOf(
      'import.completed',
      vendorId,
      data,
      data.partnerId ? [{ partnerId: data.partnerId, data }] : [],
    ),
  );
}

/** A routed order was offered to a partner. */
export function emitOfferMade(
  trx: Kysely<Database>,
  ctx: AppContext,
  offer: { id: string; vendorId: string; partnerId: string; routedOrderId: string; deadline: string },
) {
  return emitWebhookEvents(
    trx,
    ctx,
    partnerEvents('offer.made', offer.vendorId, offer.partnerId, {
      offerId: offer.id,
      routedOrderId: offer.routedOrderId,
      partnerId: offer.partnerId,
      deadline: offer.deadline,
    }),
  );
}

/** A statement was issued or paid. */
export function emitStatementStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  action: string,
  s: {
    id: string;
    vendorId: string;
    partnerId: string;
    programId: string;
    period: string;
    sequence: number;
    totalMinor: number;
    currency: string;
  },
) {
  const type = action === 'issue' ? 'statement.issued' : action === 'pay' ? 'statement.paid' : null;
  if (!type) return Promise.resolve(0);
  return emitWebhookEvents(
    trx,
    ctx,
    partnerEvents(type, s.vendorId, s.partnerId, {
      statementId: s.id,
      partnerId: s.partnerId,
      programId: s.programId,
      period: s.period,
      sequence: Number(s.sequence),
      totalMinor: Number(s.totalMinor),
      currency: s.currency,
    }),
  );
}

/** A dispute was accepted or rejected. */
export function emitDisputeDecided(
  trx: Kysely<Database>,
  ctx: AppContext,
  d: { id: string; vendorId: string; partnerId: string; statementId: string; currency: string },
  decision: 'accept' | 'reject',
  amountMinor: number | null,
) {
  return emitWebhookEvents(
    trx,
    ctx,
    partnerEvents('dispute.decided', d.vendorId, d.partnerId, {
      disputeId: d.id,
      statementId: d.statementId,
      partnerId: d.partnerId,
      decision: decision === 'accept' ? 'accepted' : 'rejected',
      amountMinor: decision === 'accept' ? (amountMinor === null ? null : Number(amountMinor)) : null,
      currency: d.currency,
    }),
  );
}

/** A market development activity was pre-approved or refused. */
export function emitMdfActivityDecided(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  data: WebhookEventData['mdf.activity.decided'],
) {
  return emitWebhookEvents(trx, ctx, partnerEvents('mdf.activity.decided', vendorId, data.partnerId, data));
}

/** An MDF claim was approved (paid) or rejected. */
export function emitClaimDecided(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  data: WebhookEventData['claim.decided'],
) {
  return emitWebhookEvents(trx, ctx, partnerEvents('claim.decided', vendorId, data.partnerId, data));
}

/**
 * Tier changes among memberships just written (the same changes the notifications tell, `tierChangesOf`);
 * ids derive from the membership, so no generator is needed.
 */
export async function emitTierChanges(
  trx: Kysely<Database>,
  changes: readonly {
    membershipId: string;
    vendorId: string;
    partnerId: string;
    createdAt: string;
    data: WebhookEventData['tier.changed'];
  }[],
) {
  let written = 0;
  const byVendor = new Map<string, typeof changes>();
  for (const c of changes) byVendor.set(c.vendorId, [...(byVendor.get(c.vendorId) ?? []), c]);
  for (const [vendorId, list] of byVendor) {
    const events = list.flatMap((c) => {
      const key = c.membershipId.replace(/[^0-9a-z]/g, '');
      return partnerEvents('tier.changed', vendorId, c.partnerId, c.data).map((e) => ({
        ...e,
        id: `evt_${key}_${e.partnerId === null ? 'v' : 'p'}`,
        createdAt: c.createdAt,
      }));
    });
    written += await emitWebhookEvents(trx, null, events);
  }
  return written;
}
