/**
 * What a notification says, as a code and its parameters (never text): the web app and the mailer
 * translate them (`messages.ts`). One entry per event that notifies.
 */
export interface NotificationParams {
  'statement.issued': {
    statementId: string;
    programId: string;
    period: string;
    sequence: number;
    totalMinor: number;
    currency: string;
  };
  'dispute.decided': {
    disputeId: string;
    statementId: string;
    decision: 'accepted' | 'rejected';
    amountMinor: number | null;
    currency: string;
  };
  'deal.decided': {
    dealId: string;
    customerName: string;
    decision: 'approved' | 'rejected' | 'extended' | 'extension-refused';
    protectedUntil: string | null;
    reasonCode: string | null;
  };
  'deal.expiring': {
    dealId: string;
    customerName: string;
    protectedUntil: string;
    daysLeft: number;
    threshold: number;
  };
  'offer.received': { offerId: string; routedOrderId: string; deadline: string };
  'tier.changed': {
    programId: string;
    from: string | null;
    to: string;
    validFrom: string;
    direction: 'up' | 'down' | 'new';
  };
  /** An MDF activity was pre-approved or refused, or its claim approved (paid) or rejected. */
  'mdf.decided': {
    activityId: string;
    title: string;
    decision: 'preapproved' | 'refused' | 'claim-approved' | 'claim-rejected';
    amountMinor: number | null;
    currency: string;
    reason: string | null;
    claimDeadline: string;
  };
  /** A pre-approved MDF activity has ended and its claim is due within a threshold's days. */
  'mdf.claim-due': {
    activityId: string;
    title: string;
    claimDeadline: string;
    daysLeft: number;
    threshold: number;
    preapprovedMinor: number;
    currency: string;
  };
  'certification.expiring': {
    certificationId: string;
    personName: string;
    certification: string;
    family: string | null;
    expiresOn: string;
    daysLeft: number;
    threshold: number;
  };
}

export type NotificationKind = keyof NotificationParams;

export const NOTIFICATION_KINDS = [
  'statement.issued',
  'dispute.decided',
  'deal.decided',
  'deal.expiring',
  'offer.received',
  'tier.changed',
  'certification.expiring',
  'mdf.decided',
  'mdf.claim-due',
] as const satisfies readonly NotificationKind[];

/** The policy resource of each kind's subject: a person sees a notification when its role reads it. */
export const RESOURCE_OF: Record<NotificationKind, string> = {
  'statement.issued': 'statement',
  'dispute.decided': 'dispute',
  'deal.decided': 'deal',
  'deal.expiring': 'deal',
  'offer.received': 'offer',
  'tier.changed': 'membership',
  'certification.expiring': 'certification',
  'mdf.decided': 'mdf',
  'mdf.claim-due': 'mdf',
};

/** Days before a registration's protection ends, and before a certification expires, that notify. */
export const DEAL_EXPIRY_THRESHOLDS = [14, 3] as const;
export const CERTIFICATION_EXPIRY_THRESHOLDS = [60, 14] as const;
/** Days before an MDF claim deadline (of an activity pre-approved and ended, not yet claimed) that notify. */
export const MDF_CLAIM_DUE_THRESHOLDS = [14, 3] as const;

/**
 * The threshold a subject `daysLeft` from its end has reached: the smallest threshold at or above the
 * days left (so a subject first seen 2 days out is told once, at the nearest threshold, not at every
 * threshold it is past). Null when it is farther than every threshold, or already past its end.
 */
export function thresholdReached(daysLeft: number, thresholds: readonly number[]): number | null {
  if (daysLeft < 0) return null;
  const reached = thresholds.filter((t) => daysLeft <= t);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** Whole days from one calendar day (YYYY-MM-DD) to another. */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A tier change's direction, by the tiers' rank order (lowest first); statuses and unknown codes: up. */
export function tierDirection(
  tiers: readonly string[],
  from: string | null,
  to: string,
): 'up' | 'down' | 'new' {
  if (from === null) return 'new';
  const a = tiers.indexOf(from);
  const b = tiers.indexOf(to);
  return a >= 0 && b >= 0 && b < a ? 'down' : 'up';
}
