import type { Kysely } from 'kysely';
import { coverageOn, type ChannelRun, type Coverage } from '../../core/engagement/coverage.js';
import { decideRouting, type RoutingDecision, type RoutingPolicy } from '../../core/engagement/routing.js';
import type { OrderInput } from '../../core/orders/order-input.js';
import { zoneOf } from '../../core/programs/zones.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import type { SqlStore, Store } from '../../db/connection.js';
import { engagementRepository } from '../../db/repositories/engagement-repository.js';
import {
  orderIntakeRepository,
  type PublishedVersionRow,
} from '../../db/repositories/order-intake-repository.js';
import type { Database } from '../../db/schema.js';
import { compiledVersion } from '../incentives/post-accruals.js';
import type { AppContext } from '../context.js';
import { namedAccountOf } from './named-accounts.js';
import { candidatesOn, rosterStatsChanged } from './roster.js';
import { notifyOfferReceived } from '../notifications/notify.js';
import { emitOfferMade } from '../webhooks/emit.js';

/** The customer of a direct order, as intake resolved it. */
export interface RoutedCustomer {
  id: string;
  name: string;
  domain: string | null;
  country: string;
  region: string;
}

export interface DirectOrderToRoute {
  vendorId: string;
  input: OrderInput;
  hash: string;
  customer: RoutedCustomer;
  /** Amounts in the program's currency (converted when the order was in another, issue 17). */
  lines: { family: string; quantity: number; amountMinor: number; returnsLineId: string | null }[];
  totalMinor: number;
  /** The currency of `lines` and `totalMinor`: the program's. */
  currency: string;
  actorId: string;
  now: string;
}

export interface RoutedOutcome {
  routedOrderId: string;
  programId: string;
  decision: RoutingDecision;
  coverage: Coverage;
  /** The first offer, when the order was routed. */
  offer: { id: string; partnerId: string; deadline: string } | null;
}

/** The coverage rules of the program in force on a day, as the routing decision reads them. */
async function programOn(
  trx: Kysely<Database>,
  store: Store,
  published: readonly PublishedVersionRow[],
  day: string,
): Promise<{ programId: string; program: ProgramDefinition } | null> {
  const v = published.find((p) => p.effectiveFrom <= day && day <= p.effectiveTo);
  if (!v) return null;
  const compiled = await compiledVersion(
    { versionDefinition: (id) => orderIntakeRepository(trx, store).versionDefinition(id) },
    v,
  );
  return { programId: v.programId, program: compiled.program };
}

export function policyOf(program: ProgramDefinition): RoutingPolicy & { offerHours: number } {
  const r = program.coverage.routing;
  return {
    threshold: r.threshold,
    order: r.order,
    maxCandidates: r.maxCandidates,
    maxOpenOffers: r.maxOpenOffers,
    offerHours: r.offerHours,
    channelExclusiveWindow: program.coverage.channelExclusiveWindow,
  };
}

/** The account's coverage on a day: named (recorded or matched now), else its channel run. */
export async function coverageOfAccount(
  trx: Kysely<Database>,
  store: Store,
  program: ProgramDefinition,
  vendorId: string,
  customer: RoutedCustomer,
  day: string,
  now: string,
): Promise<Coverage> {
  const repo = engagementRepository(trx, store);
  const named = await namedAccountOf(trx, store, vendorId, customer, now);
  const [row] = await repo.coverageOf(vendorId, [customer.id]);
  const run: ChannelRun | null = row
    ? {
        since: row.channelSince,
        lastDate: row.lastChannelDate,
        until: row.channelUntil,
        lastPartnerId: row.lastPartnerId,
        lastOrderId: row.lastOrderId,
      }
    : null;
  const partnerName = run ? await nameOf(trx, store, run.lastPartnerId) : (id: string) => id;
  return coverageOn(
    {
      named: named ? { namedAccountId: named.id, name: named.name } : null,
      namedSince: named?.since ?? null,
      run,
    },
    day,
    program.coverage.channelExclusiveWindow,
    partnerName,
  );
}

async function nameOf(trx: Kysely<Database>, store: Store, partnerId: string) {
  const name = await engagementRepository(trx, store).partnerName(partnerId);
  return (id: string) => (id === partnerId && name !== null ? name : id);
}

/**
 * Decides a direct order (src/core/engagement/routing.ts) and records the decision in the caller's
 * transaction. Routed: the order is held (not booked) and offered to the first candidate. Direct: the
 * caller books it and then calls `recordDirect` with the order id. Returns null when no program with
 * coverage rules is in force on the order day (intake has refused such an order already).
 */
export async function decideDirectOrder(
  trx: Kysely<Database>,
  ctx: AppContext,
  published: readonly PublishedVersionRow[],
  order: DirectOrderToRoute,
): Promise<RoutedOutcome | null> {
  const found = await programOn(trx, ctx.store, published, order.input.orderDate);
  if (!found) return null;
  const { program, programId } = found;
  const policy = policyOf(program);
  const repo = engagementRepository(trx, ctx.store);
  const day = order.input.orderDate;
  const coverage = await coverageOfAccount(
    trx,
    ctx.store,
    program,
    order.vendorId,
    order.customer,
    day,
    order.now,
  );
  const isReturn = order.lines.some((l) => l.returnsLineId !== null || l.quantity < 0);
  const needsCandidates =
    !isReturn &&
    coverage.status !== 'direct-named' &&
    (coverage.status === 'channel-exclusive' || order.totalMinor < policy.threshold.amountMinor);
  const lastSold = new Map<string, string>();
  let pool: Awaited<ReturnType<typeof candidatesOn>> = [];
  let counter = 0;
  if (needsCandidates) {
    for (const s of await repo.sellersOf(order.vendorId, order.customer.id)) {
      if (s.role !== 'reseller' || s.firstOrderDate > day) continue;
      const last = s.lastOrderDate <= day ? s.lastOrderDate : s.firstOrderDate;
      const known = lastSold.get(s.partnerId);
      if (!known || last > known) lastSold.set(s.partnerId, last);
    }
    pool = await candidatesOn(ctx.store, trx, order.vendorId, programId, program, day);
    counter = await repo.rotation(order.vendorId);
  }
  const decision = decideRouting(
    {
      orderDate: day,
      total: { amountMinor: order.totalMinor, currency: order.currency },
      families: [...new Set(order.lines.map((l) => l.family))],
      customerName: order.customer.name,
      customerZone: zoneOf(program, order.customer.country),
      coverage,
      isReturn,
      lastSold,
    },
    policy,
    pool,
    counter,
  );
  const routedOrderId = ctx.ids.next('routedOrder');
  let offer: RoutedOutcome['offer'] = null;
  if (decision.outcome === 'route') {
    // The rotation moves on by one routed decision (a conditional upsert: concurrent decisions each move it).
    await engagementRepository(trx, ctx.store).advanceRotation(order.vendorId);
    await insertRouted(trx, ctx.store, order, programId, coverage, decision, routedOrderId, 'offered', null);
    const first = decision.candidates[0];
    if (first)
      offer = await openOffer(
        trx,
        ctx,
        order.vendorId,
        routedOrderId,
        first.partnerId,
        1,
        policy.offerHours,
        order.now,
      );
  }
  return { routedOrderId, programId, decision, coverage, offer };
}

/** Records a direct order's decision once the caller booked it direct. */
export async function recordDirect(
  trx: Kysely<Database>,
  store: SqlStore,
  order: DirectOrderToRoute,
  outcome: RoutedOutcome,
  orderId: string,
): Promise<void> {
  await insertRouted(
    trx,
    store,
    order,
    outcome.programId,
    outcome.coverage,
    outcome.decision,
    outcome.routedOrderId,
    'direct',
    orderId,
  );
}

async function insertRouted(
  trx: Kysely<Database>,
  store: SqlStore,
  order: DirectOrderToRoute,
  programId: string,
  coverage: Coverage,
  decision: RoutingDecision,
  id: string,
  status: string,
  orderId: string | null,
): Promise<void> {
  await engagementRepository(trx, store).insertRouted({
    id,
    vendorId: order.vendorId,
    programId,
    source: order.input.source,
    externalId: order.input.externalId,
    inputHash: order.hash,
    input: JSON.stringify(order.input),
    customerId: order.customer.id,
    region: order.customer.region,
    orderDate: order.input.orderDate,
    totalMinor: order.totalMinor,
    currency: order.currency,
    coverageStatus: coverage.status,
    reason: decision.reason,
    sentence: decision.sentence,
    decision: JSON.stringify({ ...decision, coverage }),
    status,
    orderId,
    bookedPartnerId: null,
    bookedAt: orderId ? order.now : null,
    createdBy: order.actorId,
    createdAt: order.now,
    updatedAt: order.now,
    version: 1,
  });
}

/** Opens the offer of rank `rank` to a partner, and counts it against the partner's open offers. */
export async function openOffer(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  routedOrderId: string,
  partnerId: string,
  rank: number,
  offerHours: number,
  now: string,
): Promise<{ id: string; partnerId: string; deadline: string }> {
  const id = ctx.ids.next('offer');
  const deadline = new Date(Date.parse(now) + offerHours * 3_600_000).toISOString();
  await engagementRepository(trx, ctx.store).openOffer({
    id,
    vendorId,
    routedOrderId,
    partnerId,
    rank,
    offeredAt: now,
    deadline,
  });
  rosterStatsChanged(ctx.store, vendorId, partnerId, { open: 1 });
  await notifyOfferReceived(trx, ctx, { id, vendorId, partnerId, routedOrderId, deadline });
  await emitOfferMade(trx, ctx, { id, vendorId, partnerId, routedOrderId, deadline });
  return { id, partnerId, deadline };
}
