/**
 * The events Trellis sends to webhook endpoints (docs/webhooks.md), each with its data. An event is written
 * once per audience: the vendor's endpoints get the vendor's view, a partner's endpoints the partner's view
 * (only events about that partner, and no field naming another partner).
 */
export const WEBHOOK_EVENT_TYPES = [
  'deal.submitted',
  'deal.decided',
  'order.accepted',
  'import.completed',
  'offer.made',
  'statement.issued',
  'statement.paid',
  'dispute.decided',
  'tier.changed',
  'mdf.activity.decided',
  'claim.decided',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEventData {
  'deal.submitted': {
    dealId: string;
    partnerId: string;
    customerName: string;
    status: string;
  };
  'deal.decided': {
    dealId: string;
    partnerId: string;
    customerName: string;
    decision: 'approved' | 'rejected' | 'extended' | 'extension-refused';
    protectedUntil: string | null;
    reasonCode: string | null;
  };
  'order.accepted': {
    orderId: string;
    source: string;
    externalId: string;
    orderDate: string;
    currency: string;
    totalMinor: number;
    customerId: string;
    /** The partner this view is for, and its part in the order; null in the vendor's view. */
    partnerId: string | null;
    role: 'reseller' | 'distributor' | null;
    /** The vendor's view only (null in a partner's view). */
    resellerId: string | null;
    distributorId: string | null;
  };
  /** A bulk order import stored orders: one event per import (not one per order). */
  'import.completed': {
    /** The file's name. */
    name: string;
    /** orders, or sell-out (a distributor's report: its partner view goes to that distributor). */
    variant: string;
    /** The distributor of a sell-out import; null otherwise. */
    partnerId: string | null;
    ordersCreated: number;
    ordersReplayed: number;
    ordersRejected: number;
    ordersRouted: number;
    linesCreated: number;
  };
  'offer.made': {
    offerId: string;
    routedOrderId: string;
    partnerId: string;
    deadline: string;
  };
  'statement.issued': StatementData;
  'statement.paid': StatementData;
  'dispute.decided': {
    disputeId: string;
    statementId: string;
    partnerId: string;
    decision: 'accepted' | 'rejected';
    amountMinor: number | null;
    currency: string;
  };
  'tier.changed': {
    programId: string;
    partnerId: string;
    from: string | null;
    to: string;
    validFrom: string;
    direction: 'up' | 'down' | 'new';
  };
  /** A market development activity was pre-approved (in full or in part) or refused. */
  'mdf.activity.decided': {
    activityId: string;
    programId: string;
    partnerId: string;
    decision: 'preapproved' | 'refused';
    amountMinor: number | null;
    requestedMinor: number;
    currency: string;
    reason: string | null;
    claimDeadline: string;
  };
  /** An MDF claim was approved (paid, posted to the ledger) or rejected with a reason. */
  'claim.decided': {
    activityId: string;
    programId: string;
    partnerId: string;
    claimSeq: number;
    decision: 'approved' | 'rejected';
    claimedMinor: number;
    amountMinor: number | null;
    currency: string;
    reason: string | null;
    ledgerTransactionId: string | null;
  };
  'webhook.test': { endpointId: string; message: string };
}

interface StatementData {
  statementId: string;
  partnerId: string;
  programId: string;
  period: string;
  sequence: number;
  totalMinor: number;
  currency: string;
}

/** One event for one audience: partnerId null = the vendor's endpoints, else that partner's. */
export interface WebhookEventInput<T extends WebhookEventType = WebhookEventType> {
  /** Default: a new id and now. */
  id?: string;
  createdAt?: string;
  type: T;
  vendorId: string;
  partnerId: string | null;
  data: WebhookEventData[T];
}

/** The body sent: an envelope around the data (its id is the de-duplication key). */
export interface WebhookEnvelope<T extends WebhookEventType = WebhookEventType> {
  id: string;
  type: T;
  createdAt: string;
  vendorId: string;
  partnerId: string | null;
  data: WebhookEventData[T];
}

export function envelopeOf<T extends WebhookEventType>(
  id: string,
  createdAt: string,
  e: WebhookEventInput<T>,
): WebhookEnvelope<T> {
  return { id, type: e.type, createdAt, vendorId: e.vendorId, partnerId: e.partnerId, data: e.data };
}

/**
 * An event in the vendor's view and in the view of each partner it concerns: the partner's copy names only
 * that partner (`partnerOnly` clears what names another one).
 */
export function audiencesOf<T extends WebhookEventType>(
  type: T,
  vendorId: string,
  vendorData: WebhookEventData[T],
  partners: readonly { partnerId: string; data: WebhookEventData[T] }[],
): WebhookEventInput<T>[] {
  return [
    { type, vendorId, partnerId: null, data: vendorData },
    ...partners.map((p) => ({ type, vendorId, partnerId: p.partnerId, data: p.data })),
  ];
}

/** The views of an accepted order: the vendor's (both partners named) and each partner's (itself only). */
export function orderAcceptedEvents(order: {
  id: string;
  vendorId: string;
  source: string;
  externalId: string;
  orderDate: string;
  currency: string;
  totalMinor: number;
  customerId: string;
  resellerId: string | null;
  distributorId: string | null;
}): WebhookEventInput<'order.accepted'>[] {
  const base = {
    orderId: order.id,
    source: order.source,
    externalId: order.externalId,
    orderDate: order.orderDate,
    currency: order.currency,
    totalMinor: Number(order.totalMinor),
    customerId: order.customerId,
  };
  const partners: { partnerId: string; data: WebhookEventData['order.accepted'] }[] = [];
  for (const [partnerId, role] of [
    [order.resellerId, 'reseller'],
    [order.distributorId, 'distributor'],
  ] as const)
    if (partnerId && !partners.some((p) => p.partnerId === partnerId))
      partners.push({
        partnerId,
        data: { ...base, partnerId, role, resellerId: null, distributorId: null },
      });
  return audiencesOf(
    'order.accepted',
    order.vendorId,
    {
      ...base,
      partnerId: null,
      role: null,
      resellerId: order.resellerId,
      distributorId: order.distributorId,
    },
    partners,
  );
}

/** An event about one partner: the same data for the vendor and for that partner. */
export function partnerEvents<T extends WebhookEventType>(
  type: T,
  vendorId: string,
  partnerId: string,
  data: WebhookEventData[T],
): WebhookEventInput<T>[] {
  return audiencesOf(type, vendorId, data, [{ partnerId, data }]);
}
