import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import { coverageOn, type CoverageStatus } from '../../core/engagement/coverage.js';
import { historyMessage } from '../../core/engagement/history.js';
import {
  joined,
  type RankedCandidate,
  type RoutingDecision,
  type RoutingReason,
} from '../../core/engagement/routing.js';
import { day, message, renderEnglish, type Message, type MessageValue } from '../../core/messages/message.js';
import { addDays, addDuration } from '../../core/programs/dates.js';
import type { Duration } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { engagementQueryRepository } from '../../db/repositories/engagement-query-repository.js';
import { namedAccountRepository } from '../../db/repositories/named-account-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { paged, type CursorPage, type PageParams } from '../pagination.js';
import { programForCoverage } from './named-accounts.js';

/** The vendor a vendor-side caller reads: its own (a vendor id or slug, when named, must be it). */
function vendorOf(scope: Scope, vendor?: string): string {
  if (scope.kind !== 'vendor') throw new TrellisError('forbidden', 'only the vendor reads this');
  if (vendor && vendor !== scope.vendorId) throw notFound('vendor', vendor);
  return scope.vendorId;
}

async function windowOf(ctx: AppContext, db: Kysely<Database>, vendorId: string): Promise<Duration> {
  const program = await programForCoverage(ctx, db, vendorId);
  return program?.definition.coverage.channelExclusiveWindow ?? { months: 36, days: 0 };
}

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------------
// Coverage

export interface CoverageItem {
  customerId: string;
  customerName: string;
  country: string;
  region: string;
  status: CoverageStatus;
  since: string | null;
  through: string | null;
  sentence: string;
  /** The sentence as a message the app translates. */
  sentenceMessage: Message | null;
  /** Vendors only: the partner of the last channel purchase and its date; the named account. */
  lastPartnerId?: string | null;
  lastPartnerName?: string | null;
  lastChannelDate?: string | null;
  namedAccountId?: string | null;
  namedAccountName?: string | null;
  /** Partners only: their own last purchase for the account. */
  yourLastPurchase?: string | null;
}

export type CoverageSort = 'name' | 'through';

export interface CoverageFilter {
  vendor?: string | undefined;
  status?: CoverageStatus | undefined;
  partner?: string | undefined;
  region?: string | undefined;
  expiringWithinDays?: number | undefined;
  q?: string | undefined;
  asOf?: string | undefined;
  customerId?: string | undefined;
}

/**
 * Coverage of the vendor's accounts on a day (today by default), filtered by status, partner, region,
 * "expiring within N days" or name. A partner reads only the accounts it sold to, as its own purchases
 * make them channel-exclusive to it: never another partner's purchases, nor the vendor's named list.
 */
export async function listCoverage(
  ctx: AppContext,
  scope: Scope,
  filter: CoverageFilter,
  page: PageParams<CoverageSort>,
): Promise<CursorPage<CoverageItem>> {
  if (scope.kind === 'partner') return listPartnerCoverage(ctx, scope.partnerId, filter, page);
  const vendorId = vendorOf(scope, filter.vendor);
  const db = ctx.store.db;
  const asOf = filter.asOf ?? today(ctx);
  const window = await windowOf(ctx, db, vendorId);
  const names = await namedAccountRepository(db).names(vendorId);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const regions = scope.kind === 'vendor' ? scope.regions : [];
  const result = await paged(page, (request) =>
    engagementQueryRepository(db).coveragePage(
      vendorId,
      regions,
      {
        region: filter.region,
        customerId: filter.customerId,
        q: filter.q,
        partner: filter.partner,
        status: filter.status,
        expiringThrough:
          filter.expiringWithinDays !== undefined ? addDays(asOf, filter.expiringWithinDays + 1) : undefined,
      },
      asOf,
      request,
    ),
  );
  return {
    nextCursor: result.nextCursor,
    items: result.items.map((r) => {
      const c = coverageOn(
        {
          named: r.namedAccountId
            ? { namedAccountId: r.namedAccountId, name: nameOf.get(r.namedAccountId) ?? '' }
            : null,
          run:
            r.channelSince && r.lastChannelDate && r.channelUntil && r.lastPartnerId && r.lastOrderId
              ? {
                  since: r.channelSince,
                  lastDate: r.lastChannelDate,
                  until: r.channelUntil,
                  lastPartnerId: r.lastPartnerId,
                  lastOrderId: r.lastOrderId,
                }
              : null,
        },
        asOf,
        window,
        () => r.lastPartnerName ?? r.lastPartnerId ?? '',
      );
      return {
        customerId: r.id,
        customerName: r.name,
        country: r.country,
        region: r.region,
        ...c,
        sentenceMessage: c.sentenceMessage ?? null,
        lastPartnerId: r.lastPartnerId,
        lastPartnerName: r.lastPartnerName,
        lastChannelDate: r.lastChannelDate,
        namedAccountId: r.namedAccountId,
        namedAccountName: r.namedAccountId ? (nameOf.get(r.namedAccountId) ?? null) : null,
      };
    }),
  };
}

async function listPartnerCoverage(
  ctx: AppContext,
  partnerId: string,
  filter: CoverageFilter,
  page: PageParams<CoverageSort>,
): Promise<CursorPage<CoverageItem>> {
  const db = ctx.store.db;
  const asOf = filter.asOf ?? today(ctx);
  // The partner's own purchases per account (any family), from the relation: never the orders.
  const rows = await engagementQueryRepository(db).partnerPurchases(partnerId, {
    vendor: filter.vendor,
    region: filter.region,
    q: filter.q,
  });
  const windows = new Map<string, Duration>();
  const items: CoverageItem[] = [];
  for (const r of rows) {
    let w = windows.get(r.vendorId);
    if (!w) windows.set(r.vendorId, (w = await windowOf(ctx, db, r.vendorId)));
    const until = addDuration(r.lastDate, w);
    const exclusive = r.firstDate <= asOf && asOf < until;
    const status: CoverageStatus = exclusive ? 'channel-exclusive' : 'open';
    if (filter.status && filter.status !== status) continue;
    if (
      filter.expiringWithinDays !== undefined &&
      !(exclusive && until <= addDays(asOf, filter.expiringWithinDays + 1))
    )
      continue;
    const through = addDays(until, -1);
    const said = exclusive
      ? message('engagement.coverage.yoursExclusive', {
          through: day(through),
          customer: r.name,
          lastDate: day(r.lastDate),
        })
      : message('engagement.coverage.yoursEnded', {
          customer: r.name,
          lastDate: day(r.lastDate),
          through: day(through),
        });
    items.push({
      customerId: r.id,
      customerName: r.name,
      country: r.country,
      region: r.region,
      status,
      since: exclusive ? r.firstDate : null,
      through: exclusive ? through : null,
      sentence: renderEnglish(said),
      sentenceMessage: said,
      yourLastPurchase: r.lastDate,
    });
  }
  // A page over the computed list (a partner's accounts are few; the list is read from one index range).
  const start = page.cursor ? Number(Buffer.from(page.cursor, 'base64url').toString()) || 0 : 0;
  const slice = items.slice(start, start + page.limit);
  const next =
    start + page.limit < items.length ? Buffer.from(String(start + page.limit)).toString('base64url') : null;
  return { items: slice, nextCursor: next };
}

export interface CoverageDetail extends CoverageItem {
  history: {
    onDay: string;
    kind: string;
    sentence: string;
    /** Null for events written before messages existed (their sentence is stored text). */
    sentenceMessage: Message | null;
    partnerId?: string | null;
    orderId?: string | null;
  }[];
  sellers?: {
    partnerId: string;
    partnerName: string;
    role: string;
    family: string;
    firstOrderDate: string;
    lastOrderDate: string;
    lastOrderId: string;
    ordersCount: number;
  }[];
  routedOrders?: {
    id: string;
    orderDate: string;
    totalMinor: number;
    currency: string;
    reason: string;
    status: string;
  }[];
}

/** One account's coverage with its history; the vendor also sees who sold to it and its routed orders. */
export async function getCoverage(
  ctx: AppContext,
  scope: Scope,
  customerId: string,
  asOf?: string,
): Promise<CoverageDetail> {
  const db = ctx.store.db;
  const reads = engagementQueryRepository(db);
  const customer = await reads.customer(customerId);
  if (!customer) throw notFound('customer', customerId);
  if (scope.kind === 'partner') {
    const own = await listPartnerCoverage(
      ctx,
      scope.partnerId,
      { vendor: customer.vendorId, asOf },
      {
        limit: 5_000,
        sort: 'name',
        direction: 'asc',
      },
    );
    const item = own.items.find((i) => i.customerId === customerId);
    if (!item) throw notFound('customer', customerId);
    return { ...item, history: [] };
  }
  if (scope.kind !== 'vendor' || scope.vendorId !== customer.vendorId) throw notFound('customer', customerId);
  if (scope.regions.length > 0 && !scope.regions.includes(customer.region as never))
    throw notFound('customer', customerId);
  const page = (
    await listCoverage(ctx, scope, { customerId, asOf }, { limit: 1, sort: 'name', direction: 'asc' })
  ).items[0];
  if (!page) throw notFound('customer', customerId);
  const [events, sellers, routed] = await Promise.all([
    reads.coverageEvents(customer.vendorId, customerId),
    reads.sellersWithNames(customer.vendorId, customerId),
    reads.routedOrdersOf(customer.vendorId, customerId),
  ]);
  const history: CoverageDetail['history'] = events.map((e) => ({
    onDay: e.onDay,
    kind: e.kind,
    sentence: e.sentence,
    sentenceMessage: historyMessage(e.sentence),
    partnerId: e.partnerId,
    orderId: e.orderId,
  }));
  // The end of a run is not an event written by anyone: it is the day the window closed.
  if (page.lastChannelDate && page.status === 'open' && page.through === null) {
    const w = await windowOf(ctx, db, customer.vendorId);
    const ended = addDuration(page.lastChannelDate, w);
    if (ended <= (asOf ?? today(ctx))) {
      const said = message('engagement.coverage.openFrom', {
        day: day(ended),
        lastDate: day(page.lastChannelDate),
      });
      history.push({ onDay: ended, kind: 'open', sentence: renderEnglish(said), sentenceMessage: said });
    }
  }
  return {
    ...page,
    history,
    sellers: sellers.map((s) => ({ ...s, ordersCount: Number(s.ordersCount) })),
    routedOrders: routed.map((r) => ({ ...r, totalMinor: Number(r.totalMinor) })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Routing log and offers

export interface RoutedOrderItem {
  id: string;
  vendorId: string;
  source: string;
  externalId: string;
  customerId: string;
  customerName: string;
  region: string;
  orderDate: string;
  totalMinor: number;
  currency: string;
  coverageStatus: string;
  reason: RoutingReason;
  sentence: string;
  /** The sentence as a message, for decisions recorded since messages exist. */
  sentenceMessage: Message | null;
  status: string;
  orderId: string | null;
  bookedPartnerId: string | null;
  bookedPartnerName: string | null;
  /** The offer waiting for an answer, if any: to whom and until when. */
  openOffer: { partnerId: string; partnerName: string; deadline: string } | null;
  createdAt: string;
}

export type RoutingSort = 'createdAt' | 'orderDate';

/** The routing log: every direct order's decision, newest first by default (vendor readers). */
export async function listRouting(
  ctx: AppContext,
  scope: Scope,
  filter: {
    vendor?: string | undefined;
    status?: string | undefined;
    reason?: string | undefined;
    customer?: string | undefined;
    partner?: string | undefined;
  },
  page: PageParams<RoutingSort>,
): Promise<CursorPage<RoutedOrderItem>> {
  const vendorId = vendorOf(scope, filter.vendor);
  const db = ctx.store.db;
  const regions = scope.kind === 'vendor' ? scope.regions : [];
  const result = await paged(page, (request) =>
    engagementQueryRepository(db).routingPage(
      vendorId,
      regions,
      { status: filter.status, reason: filter.reason, customer: filter.customer, partner: filter.partner },
      request,
    ),
  );
  return {
    ...result,
    items: result.items.map(({ openPartnerId, openPartnerName, openDeadline, decision, ...r }) => ({
      ...r,
      sentenceMessage: routedSentenceMessage(r, JSON.parse(decision) as RoutingDecision),
      reason: r.reason as RoutingReason,
      totalMinor: Number(r.totalMinor),
      openOffer:
        openPartnerId && openDeadline
          ? {
              partnerId: openPartnerId,
              partnerName: openPartnerName ?? openPartnerId,
              deadline: openDeadline,
            }
          : null,
    })),
  };
}

export interface OfferItem {
  id: string;
  routedOrderId: string;
  vendorId: string;
  vendorName: string;
  partnerId: string;
  partnerName?: string;
  rank: number;
  status: string;
  offeredAt: string;
  deadline: string;
  answeredAt: string | null;
  declineReason: string | null;
  customerId: string;
  customerName: string;
  orderDate: string;
  totalMinor: number;
  currency: string;
  lines: {
    productId: string;
    productName: string;
    family: string;
    quantity: number;
    unitPriceMinor: number;
    /** The unit price's currency: the order's as invoiced. */
    currency: string;
  }[];
  /** Why this partner was offered the order, from its own facts only. */
  why: string;
  /** The same as a message (null for decisions recorded before messages existed). */
  whyMessage: Message | null;
  orderId: string | null;
}

/** A partner's offers (its inbox), or the vendor's offers (by status, partner). */
export async function listOffers(
  ctx: AppContext,
  scope: Scope,
  filter: {
    vendor?: string | undefined;
    status?: string | undefined;
    partner?: string | undefined;
    routedOrder?: string | undefined;
  },
  page: PageParams<'deadline' | 'offeredAt'>,
): Promise<CursorPage<OfferItem>> {
  const db = ctx.store.db;
  const reads = engagementQueryRepository(db);
  const who =
    scope.kind === 'partner'
      ? { kind: 'partner' as const, partnerId: scope.partnerId, vendor: filter.vendor }
      : {
          kind: 'vendor' as const,
          vendorId: vendorOf(scope, filter.vendor),
          regions: scope.kind === 'vendor' ? scope.regions : [],
          partner: filter.partner,
        };
  const result = await paged(page, (request) =>
    reads.offersPage(who, { status: filter.status, routedOrder: filter.routedOrder }, request),
  );
  const inputs = new Map(
    result.items.map((r) => [
      r.id,
      JSON.parse(r.input) as {
        currency: string;
        lines: { productId: string; quantity: number; unitPriceMinor: number }[];
      },
    ]),
  );
  const productIds = [...new Set([...inputs.values()].flatMap((i) => i.lines.map((l) => l.productId)))];
  const products = new Map(
    (productIds.length > 0 ? await reads.productNames(productIds) : []).map((p) => [p.id, p]),
  );
  return {
    nextCursor: result.nextCursor,
    items: result.items.map((r) => {
      const decision = JSON.parse(r.decision) as RoutingDecision;
      const own = decision.candidates.find((c) => c.partnerId === r.partnerId);
      const input = inputs.get(r.id) ?? { currency: r.currency, lines: [] };
      const item: OfferItem = {
        id: r.id,
        routedOrderId: r.routedOrderId,
        vendorId: r.vendorId,
        vendorName: r.vendorName,
        partnerId: r.partnerId,
        rank: Number(r.rank),
        status: r.status,
        offeredAt: r.offeredAt,
        deadline: r.deadline,
        answeredAt: r.answeredAt,
        declineReason: r.declineReason,
        customerId: r.customerId,
        customerName: r.customerName,
        orderDate: r.orderDate,
        totalMinor: Number(r.totalMinor),
        currency: r.currency,
        lines: input.lines.map((l) => ({
          productId: l.productId,
          productName: products.get(l.productId)?.name ?? l.productId,
          family: products.get(l.productId)?.family ?? '',
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
          currency: input.currency,
        })),
        why: whyOffered(r.reason, r.customerName, own),
        whyMessage: whyOfferedMessage(r.reason, r.customerName, own),
        // The booked order is the accepting partner's only.
        orderId: r.bookedPartnerId === r.partnerId || scope.kind !== 'partner' ? r.orderId : null,
      };
      if (scope.kind !== 'partner') item.partnerName = r.partnerName;
      return item;
    }),
  };
}

/**
 * Why a partner was offered an order, in terms of its own figures only (never another partner's): the
 * message, with each of its values as the decision recorded it (a message, or English text for a decision
 * recorded before messages existed, which then has no message to give).
 */
function whyOfferedSaid(
  reason: string,
  customerName: string,
  own: RankedCandidate | undefined,
): { message: Message; translatable: boolean } {
  const steps = own ? (Object.keys(own.values) as (keyof RankedCandidate['values'])[]) : [];
  const values = steps.map((s): MessageValue => {
    const m = own?.valueMessages?.[s];
    return m ? { message: m } : (own?.values[s] ?? '');
  });
  const facts = joined(values, 'semicolon');
  const m =
    reason === 'channel-exclusive'
      ? message(own?.incumbent ? 'engagement.offer.incumbent' : 'engagement.offer.channelOnly', {
          customer: customerName,
          facts,
        })
      : message('engagement.offer.belowThreshold', { facts });
  return { message: m, translatable: steps.every((s) => own?.valueMessages?.[s] !== undefined) };
}

/** Why a partner was offered an order, in English. */
export function whyOffered(reason: string, customerName: string, own: RankedCandidate | undefined): string {
  return renderEnglish(whyOfferedSaid(reason, customerName, own).message);
}

/** The same as a message; null for a decision recorded before messages existed. */
export function whyOfferedMessage(
  reason: string,
  customerName: string,
  own: RankedCandidate | undefined,
): Message | null {
  const said = whyOfferedSaid(reason, customerName, own);
  return said.translatable ? said.message : null;
}

/**
 * A routed order's sentence as a message: its decision's, and when no candidate accepted the order, the
 * booking direct after it (the day read from the stored sentence). Null unless it renders exactly the
 * stored English (decisions recorded before messages existed have none).
 */
export function routedSentenceMessage(
  routed: { sentence: string; status: string },
  decision: RoutingDecision,
): Message | null {
  const m = decision.sentenceMessage;
  if (!m) return null;
  const bookedOn = / No candidate accepted it: booked direct on (\d{4}-\d{2}-\d{2})\.$/.exec(routed.sentence);
  const full =
    routed.status === 'booked-direct' && decision.outcome === 'route' && bookedOn
      ? message('engagement.routing.bookedDirect', {
          sentence: { message: m },
          day: day(bookedOn[1] as string),
        })
      : m;
  try {
    return renderEnglish(full) === routed.sentence ? full : null;
  } catch {
    return null;
  }
}

/** One decision with its candidates and offers (vendor readers). */
export async function getRouting(ctx: AppContext, scope: Scope, id: string) {
  if (scope.kind !== 'vendor') throw notFound('routed order', id);
  const row = await engagementQueryRepository(ctx.store.db).routedOrderWithNames(id);
  if (!row || row.vendorId !== scope.vendorId) throw notFound('routed order', id);
  if (scope.regions.length > 0 && !scope.regions.includes(row.region as never))
    throw notFound('routed order', id);
  const offers = await listOffers(
    ctx,
    scope,
    { routedOrder: id },
    { limit: 100, sort: 'offeredAt', direction: 'asc' },
  );
  const { input, decision, inputHash: _h, ...rest } = row;
  const open = offers.items.find((o) => o.status === 'open');
  const recorded = JSON.parse(decision) as RoutingDecision;
  return {
    ...rest,
    sentenceMessage: routedSentenceMessage(row, recorded),
    openOffer: open
      ? {
          partnerId: open.partnerId,
          partnerName: open.partnerName ?? open.partnerId,
          deadline: open.deadline,
        }
      : null,
    reason: row.reason as RoutingReason,
    totalMinor: Number(row.totalMinor),
    version: Number(row.version),
    input: JSON.parse(input) as unknown,
    decision: recorded,
    offers: offers.items.sort((a, b) => a.rank - b.rank),
  };
}
