import { hash as digestOf } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import type { RoutingDecision } from '../../core/engagement/routing.js';
import { canonicalOrder, type OrderInput } from '../../core/orders/order-input.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { orderIntakeRepository } from '../../db/repositories/order-intake-repository.js';
import { routingOfferRepository } from '../../db/repositories/routing-offer-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { actorIdOf } from '../deals/deal-events.js';
import { compiledVersion } from '../incentives/post-accruals.js';
import { takeOrder } from '../orders/ingest-order.js';
import { openOffer, policyOf } from './route-order.js';
import { rosterStatsChanged } from './roster.js';

type Who = { actor: Actor; scope: Scope };
type SystemActor = { kind: 'system'; id: string };

/**
 * Offers of routed direct orders. A partner accepts (the order is booked through it, or through the
 * distributor that supplies it) or declines (with a reason) before the deadline; a decline or a lapse
 * goes to the next candidate of the decision; when none is left the order is booked direct. Each step
 * is a conditional update (open -> answered, offered -> booked), so an offer is answered once and an
 * order booked once, whatever runs at the same time.
 */
export async function acceptOffer(
  ctx: AppContext,
  who: Who,
  offerId: string,
  input: { distributorId?: string | null; requestId?: string } = {},
): Promise<{ offerId: string; status: 'accepted'; orderId: string; routedOrderId: string }> {
  if (who.scope.kind !== 'partner') throw notFound('offer', offerId);
  const partnerId = who.scope.partnerId;
  const now = ctx.clock.now().toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    const offer = await ownOffer(trx, offerId, partnerId);
    await answer(trx, offer, now, 'accepted', actorIdOf(who.actor), null);
    const offers = routingOfferRepository(trx);
    const routed = await offers.routedOrderOrThrow(offer.routedOrderId);
    const taken = await offers.takeOffered(routed.id, {
      status: 'booked-partner',
      updatedAt: now,
      version: routed.version + 1,
    });
    if (!taken) throw new TrellisError('conflict', `the order of offer ${offerId} is no longer offered`);
    const original = JSON.parse(routed.input) as OrderInput;
    const distributorId = input.distributorId ?? null;
    const booked: OrderInput = {
      ...original,
      channel: distributorId ? 'distributor' : 'partner',
      resellerId: partnerId,
      distributorId,
    };
    const intake = orderIntakeRepository(trx, ctx.store);
    // Only a distributor that supplies the partner: any other id (another partner, another vendor's, none)
    // is refused alike, before the vendor's order checks would say what it is.
    if (distributorId && !(await intake.supplies(routed.vendorId, distributorId, partnerId)))
      throw new TrellisError('invalid_input', `distributor ${distributorId} does not supply you`, [
        { location: 'body.distributorId', message: 'not a distributor that supplies you' },
      ]);
    const vendor = await intake.vendorById(routed.vendorId);
    if (!vendor) throw notFound('vendor', routed.vendorId);
    const outcome = await takeOrder(
      trx,
      ctx,
      { actor: who.actor, scope: { kind: 'vendor', vendorId: routed.vendorId, regions: [] } },
      vendor,
      { ...booked, requestId: input.requestId ?? '' },
      digestOf('sha256', canonicalOrder(booked)),
      true,
    );
    if (outcome.status !== 'created')
      throw new TrellisError('conflict', `order ${original.source}/${original.externalId} is already booked`);
    await offers.recordBooking(routed.id, {
      orderId: outcome.orderId,
      bookedPartnerId: partnerId,
      bookedAt: now,
    });
    await statsAfterAnswer(trx, ctx, routed.vendorId, partnerId, 'accepted');
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'offer.accept',
      target: { type: 'offer', id: offerId, vendorId: routed.vendorId, partnerId },
      after: { status: 'accepted', orderId: outcome.orderId, distributorId },
      requestId: input.requestId ?? null,
    });
    return { offerId, status: 'accepted' as const, orderId: outcome.orderId, routedOrderId: routed.id };
  });
}

export async function declineOffer(
  ctx: AppContext,
  who: Who,
  offerId: string,
  input: { reason: string; requestId?: string },
): Promise<{ offerId: string; status: 'declined' }> {
  if (who.scope.kind !== 'partner') throw notFound('offer', offerId);
  const partnerId = who.scope.partnerId;
  const reason = input.reason.trim();
  if (reason.length === 0)
    throw new TrellisError('invalid_input', 'say why the offer is declined', [
      { location: 'body.reason', message: 'must not be blank' },
    ]);
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const offer = await ownOffer(trx, offerId, partnerId);
    await answer(trx, offer, now, 'declined', actorIdOf(who.actor), reason);
    await statsAfterAnswer(trx, ctx, offer.vendorId, partnerId, 'declined');
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'offer.decline',
      target: { type: 'offer', id: offerId, vendorId: offer.vendorId, partnerId },
      after: { status: 'declined', reason },
      requestId: input.requestId ?? null,
    });
    await passOn(trx, ctx, offer.routedOrderId, offer.rank, now, { kind: 'system', id: 'routing' });
  });
  return { offerId, status: 'declined' };
}

/**
 * Offers past their deadline lapse and go to the next candidate. Returns how many lapsed. A vendor's sweep
 * (`scope`) lapses and counts its own offers only; the server's (no scope, or the system's) every vendor's.
 */
export async function lapseOffers(
  ctx: AppContext,
  options: { limit?: number; scope?: Scope } = {},
): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const scope = options.scope ?? { kind: 'system' };
  if (scope.kind === 'partner') return 0;
  const due = await routingOfferRepository(ctx.store.db).dueOffers(
    now,
    scope.kind === 'vendor' ? scope.vendorId : null,
    options.limit ?? 500,
  );
  let lapsed = 0;
  for (const { id } of due) {
    await ctx.store.db.transaction().execute(async (trx) => {
      const offers = routingOfferRepository(trx);
      const offer = await offers.offer(id);
      if (!offer) return;
      if (!(await offers.lapse(id, now))) return;
      lapsed++;
      await statsAfterAnswer(trx, ctx, offer.vendorId, offer.partnerId, 'lapsed');
      await recordAudit(trx, ctx, {
        actor: { kind: 'system', id: 'routing' },
        action: 'offer.lapse',
        target: { type: 'offer', id, vendorId: offer.vendorId, partnerId: offer.partnerId },
        after: { status: 'lapsed', deadline: offer.deadline },
      });
      await passOn(trx, ctx, offer.routedOrderId, offer.rank, now, { kind: 'system', id: 'routing' });
    });
  }
  return lapsed;
}

interface OfferRow {
  id: string;
  vendorId: string;
  routedOrderId: string;
  partnerId: string;
  rank: number;
  status: string;
  deadline: string;
}

/** The caller's own offer (another partner's is a 404, exactly as an unknown id). */
async function ownOffer(trx: Kysely<Database>, offerId: string, partnerId: string): Promise<OfferRow> {
  const offer = await routingOfferRepository(trx).offerSummary(offerId);
  if (!offer || offer.partnerId !== partnerId) throw notFound('offer', offerId);
  return offer;
}

/** open -> accepted | declined, before the deadline; refused with the reason otherwise. */
async function answer(
  trx: Kysely<Database>,
  offer: OfferRow,
  now: string,
  status: 'accepted' | 'declined',
  by: string,
  reason: string | null,
): Promise<void> {
  if (await routingOfferRepository(trx).answer(offer.id, now, status, by, reason)) return;
  if (offer.status !== 'open')
    throw new TrellisError('conflict', `offer ${offer.id} was already ${offer.status}`, [
      { location: 'offerId', message: `the offer is ${offer.status}` },
    ]);
  throw new TrellisError('conflict', `offer ${offer.id} lapsed at its deadline ${offer.deadline}`, [
    { location: 'offerId', message: `the deadline ${offer.deadline} has passed` },
  ]);
}

async function statsAfterAnswer(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  partnerId: string,
  outcome: 'accepted' | 'declined' | 'lapsed',
): Promise<void> {
  await routingOfferRepository(trx).countAnswer(vendorId, partnerId, outcome);
  rosterStatsChanged(ctx.store, vendorId, partnerId, {
    open: -1,
    accepted: outcome === 'accepted' ? 1 : 0,
    answered: 1,
  });
}

/** After a decline or a lapse: the next candidate's offer, or the order booked direct when none is left. */
async function passOn(
  trx: Kysely<Database>,
  ctx: AppContext,
  routedOrderId: string,
  rank: number,
  now: string,
  actor: SystemActor,
): Promise<void> {
  const offers = routingOfferRepository(trx);
  const routed = await offers.routedOrder(routedOrderId);
  if (!routed || routed.status !== 'offered') return;
  const decision = JSON.parse(routed.decision) as RoutingDecision;
  const next = decision.candidates[rank];
  const intake = orderIntakeRepository(trx, ctx.store);
  if (next) {
    const published = await intake.publishedVersions(routed.vendorId);
    const v = published.find(
      (p) =>
        p.programId === routed.programId &&
        p.effectiveFrom <= routed.orderDate &&
        routed.orderDate <= p.effectiveTo,
    );
    const hours = v ? policyOf((await compiledVersion(intake, v)).program).offerHours : 48;
    await openOffer(trx, ctx, routed.vendorId, routed.id, next.partnerId, rank + 1, hours, now);
    return;
  }
  // No candidate left: the customer's order is booked direct, under its own key, once.
  const taken = await offers.takeOffered(routed.id, {
    status: 'booked-direct',
    updatedAt: now,
    version: routed.version + 1,
    sentence: `${routed.sentence} No candidate accepted it: booked direct on ${now.slice(0, 10)}.`,
  });
  if (!taken) return;
  const original = JSON.parse(routed.input) as OrderInput;
  const vendor = await intake.vendorById(routed.vendorId);
  if (!vendor) throw notFound('vendor', routed.vendorId);
  const outcome = await takeOrder(
    trx,
    ctx,
    { actor: actor as never, scope: { kind: 'vendor', vendorId: routed.vendorId, regions: [] } },
    vendor,
    original,
    routed.inputHash,
    true,
  );
  if (outcome.status === 'created')
    await offers.recordBooking(routed.id, { orderId: outcome.orderId, bookedAt: now });
}
