import type { Kysely } from 'kysely';
import {
  RESOURCE_OF,
  tierDirection,
  type NotificationKind,
  type NotificationParams,
} from '../../core/notifications/kinds.js';
import {
  notificationRepository,
  type NotificationInsert,
} from '../../db/repositories/notification-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';

export interface NotificationInput<K extends NotificationKind> {
  kind: K;
  params: NotificationParams[K];
  vendorId: string;
  /** The partner whose people are told; null = the vendor's people. */
  partnerId: string | null;
  /** One person only (else everyone in the audience whose role reads the subject). */
  personId?: string | null;
  /** The subject's owner (a partner's sales rep sees only the registrations it owns). */
  ownerPersonId?: string | null;
  subject: { type: string; id: string };
  /** Unique: a periodic check's (subject, kind, threshold), so it is told once. */
  dedupeKey?: string | null;
  /** Default: a new id and now. */
  id?: string;
  createdAt?: string;
}

function row<K extends NotificationKind>(
  ctx: Pick<AppContext, 'clock' | 'ids'> | null,
  n: NotificationInput<K>,
): NotificationInsert {
  const id = n.id ?? ctx?.ids.next('notification');
  const createdAt = n.createdAt ?? ctx?.clock.now().toISOString();
  if (!id || !createdAt) throw new Error('a notification needs an id and a time');
  return {
    id,
    vendorId: n.vendorId,
    partnerId: n.partnerId,
    personId: n.personId ?? null,
    ownerPersonId: n.ownerPersonId ?? null,
    resource: RESOURCE_OF[n.kind],
    kind: n.kind,
    params: JSON.stringify(n.params),
    subjectType: n.subject.type,
    subjectId: n.subject.id,
    dedupeKey: n.dedupeKey ?? null,
    createdAt,
  };
}

/**
 * Writes notifications on the caller's handle: call it inside the transaction of the event, so the event
 * and its notification commit (or roll back) together; the e-mail dispatcher reads them from there later
 * (an outbox). A notification whose dedupe key exists is skipped. Returns how many were written.
 */
export function notify(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'clock' | 'ids'> | null,
  items: readonly NotificationInput<NotificationKind>[],
): Promise<number> {
  if (items.length === 0) return Promise.resolve(0);
  return notificationRepository(trx).insert(items.map((n) => row(ctx, n)));
}

// --- the events ------------------------------------------------------------------------------------

/** A statement was issued: its partner's readers of statements are told. */
export function notifyStatementIssued(
  trx: Kysely<Database>,
  ctx: AppContext,
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
  return notify(trx, ctx, [
    {
      kind: 'statement.issued',
      params: {
        statementId: s.id,
        programId: s.programId,
        period: s.period,
        sequence: s.sequence,
        totalMinor: Number(s.totalMinor),
        currency: s.currency,
      },
      vendorId: s.vendorId,
      partnerId: s.partnerId,
      subject: { type: 'statement', id: s.id },
    },
  ]);
}

/** A dispute was accepted or rejected. */
export function notifyDisputeDecided(
  trx: Kysely<Database>,
  ctx: AppContext,
  d: { id: string; vendorId: string; partnerId: string; statementId: string; currency: string },
  decision: 'accept' | 'reject',
  amountMinor: number | null,
) {
  return notify(trx, ctx, [
    {
      kind: 'dispute.decided',
      params: {
        disputeId: d.id,
        statementId: d.statementId,
        decision: decision === 'accept' ? 'accepted' : 'rejected',
        amountMinor: decision === 'accept' ? amountMinor : null,
        currency: d.currency,
      },
      vendorId: d.vendorId,
      partnerId: d.partnerId,
      subject: { type: 'dispute', id: d.id },
    },
  ]);
}

/** An MDF activity was decided (pre-approved, refused) or its claim (approved, rejected): its partner is told. */
export function notifyMdfDecided(
  trx: Kysely<Database>,
  ctx: AppContext,
  a: { id: string; vendorId: string; partnerId: string },
  params: NotificationParams['mdf.decided'],
) {
  return notify(trx, ctx, [
    {
      kind: 'mdf.decided',
      params,
      vendorId: a.vendorId,
      partnerId: a.partnerId,
      subject: { type: 'mdf-activity', id: a.id },
    },
  ]);
}

const DEAL_DECISIONS: Record<string, NotificationParams['deal.decided']['decision']> = {
  approve: 'approved',
  reject: 'rejected',
  'grant-extension': 'extended',
  'refuse-extension': 'extension-refused',
};

/** A registration was decided (approved, also automatically; rejected; extension granted or refused). */
export function notifyDealStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  action: string,
  deal: {
    id: string;
    vendorId: string;
    partnerId: string;
    ownerPersonId: string | null;
    customerName: string;
    protectedUntil: string | null;
  },
  after: { protectedUntil?: string | null; reasonCode?: string | null } | null,
  reasonCode: string | null,
) {
  const decision = DEAL_DECISIONS[action];
  if (!decision) return Promise.resolve(0);
  return notify(trx, ctx, [
    {
      kind: 'deal.decided',
      params: {
        dealId: deal.id,
        customerName: deal.customerName,
        decision,
        protectedUntil: after?.protectedUntil ?? deal.protectedUntil,
        reasonCode: reasonCode ?? after?.reasonCode ?? null,
      },
      vendorId: deal.vendorId,
      partnerId: deal.partnerId,
      ownerPersonId: deal.ownerPersonId,
      subject: { type: 'deal', id: deal.id },
    },
  ]);
}

/** A routed customer order was offered to a partner. */
export function notifyOfferReceived(
  trx: Kysely<Database>,
  ctx: AppContext,
  offer: { id: string; vendorId: string; partnerId: string; routedOrderId: string; deadline: string },
) {
  return notify(trx, ctx, [
    {
      kind: 'offer.received',
      params: { offerId: offer.id, routedOrderId: offer.routedOrderId, deadline: offer.deadline },
      vendorId: offer.vendorId,
      partnerId: offer.partnerId,
      subject: { type: 'offer', id: offer.id },
    },
  ]);
}

/** A record written about a day further back than this is history (a backfill), not news. */
const TIER_NEWS_DAYS = 7;

/**
 * Tells tier changes among memberships just written (by `writeMemberships`, in its transaction; see
 * `tierChangesOf`). Keyed by the membership (told once); ids derive from it, so no generator is needed.
 */
export function notifyTierChanges(trx: Kysely<Database>, changes: readonly TierChange[]) {
  const items: NotificationInput<'tier.changed'>[] = changes.map(({ membership: m, from, direction }) => ({
    id: `ntf_${m.id.replace(/[^0-9a-z]/g, '')}`,
    createdAt: m.createdAt,
    kind: 'tier.changed',
    params: { programId: m.programId, from, to: m.tierCode, validFrom: m.validFrom, direction },
    vendorId: m.vendorId,
    partnerId: m.partnerId,
    subject: { type: 'program', id: m.programId },
    dedupeKey: `tier.changed:${m.id}`,
  }));
  return notify(trx, null, items);
}

export interface TierChange {
  membership: {
    id: string;
    vendorId: string;
    programId: string;
    partnerId: string;
    tierCode: string;
    validFrom: string;
    createdAt: string;
  };
  from: string | null;
  direction: ReturnType<typeof tierDirection>;
}

/**
 * The tier changes among memberships just written: each new tier record whose tier differs from the one
 * the partner held the day before. Records dated long before they were written (history, a status match
 * of past years) are not news. Told (notifications) and sent (webhooks) alike.
 */
export function tierChangesOf(
  tiers: readonly string[],
  statusCodes: ReadonlySet<string>,
  stored: readonly { partnerId: string; code: string; validFrom: string; validTo: string | null }[],
  written: readonly TierChange['membership'][],
): TierChange[] {
  const changes: TierChange[] = [];
  for (const m of written) {
    if (statusCodes.has(m.tierCode)) continue;
    const written = Date.parse(m.createdAt.slice(0, 10));
    if (written - Date.parse(m.validFrom) > TIER_NEWS_DAYS * 86_400_000) continue;
    const before = stored
      .filter((s) => s.partnerId === m.partnerId && !statusCodes.has(s.code) && s.validFrom < m.validFrom)
      .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
    const from =
      before && (before.validTo === null || before.validTo >= prevDay(m.validFrom)) ? before.code : null;
    if (from === m.tierCode) continue;
    changes.push({ membership: m, from, direction: tierDirection(tiers, from, m.tierCode) });
  }
  return changes;
}

function prevDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
