import { effectiveStatus, slaBreached, type DealStatus } from '../../core/deals/lifecycle.js';
import type { DealEventRow, DealLineRow, DealRow } from '../../db/repositories/deal-repository.js';

/**
 * What a registration looks like to its partner: its own data, state, protection and history. Never a
 * conflict's evidence, another registration or the vendor's reviewers by name.
 */
export function partnerDealView(d: DealRow, lines: readonly DealLineRow[], now: Date) {
  const today = now.toISOString().slice(0, 10);
  const status = effectiveStatus(d.status as DealStatus, d.protectedUntil, today);
  return {
    id: d.id,
    vendorId: d.vendorId,
    programId: d.programId,
    partnerId: d.partnerId,
    ownerPersonId: d.ownerPersonId,
    status,
    customer: {
      name: d.customerName,
      domain: d.customerDomain,
      addressLine: d.customerAddressLine,
      city: d.customerCity,
      postalCode: d.customerPostalCode,
      country: d.customerCountry,
      region: d.customerRegion,
      segment: d.customerSegment,
    },
    currency: d.currency,
    totalMinor: Number(d.totalMinor),
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      family: l.family,
      amountMinor: Number(l.amountMinor),
      productId: l.productId,
      quantity: l.quantity,
      description: l.description,
    })),
    expectedCloseDate: d.expectedCloseDate,
    description: d.description,
    externalRef: d.externalRef,
    submittedAt: d.submittedAt,
    reviewDueAt: d.reviewDueAt,
    approvedOn: d.approvedOn,
    protectedUntil: d.protectedUntil,
    /** Whole days of protection left today (0 on its last day; null when not protecting). */
    protectionDaysLeft:
      (status === 'approved' || status === 'extended') && d.protectedUntil
        ? Math.round(
            (Date.parse(`${d.protectedUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
          )
        : null,
    extensionsGranted: d.extensionsGranted,
    extensionRequestedAt: d.extensionRequestedAt,
    reasonCode: d.reasonCode,
    reasonText: d.reasonText,
    wonOrderId: d.wonOrderId,
    closedAt: d.closedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The vendor's view adds the review facts (SLA, escalation, who decided). */
export function vendorDealView(d: DealRow, lines: readonly DealLineRow[], now: Date) {
  return {
    ...partnerDealView(d, lines, now),
    customerId: d.customerId,
    slaBreached: slaBreached(d.status as DealStatus, d.reviewDueAt, now.toISOString()),
    slaBreachedAt: d.slaBreachedAt,
    escalated: d.escalated === 1,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    sequence: d.sequence,
  };
}

/** One step of the immutable history, as the partner may read it: the side that acted, not the person. */
export function dealEventView(e: DealEventRow, forVendor: boolean) {
  return {
    at: e.at,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    by: e.actorSide,
    ...(forVendor ? { actorType: e.actorType, actorId: e.actorId } : {}),
    reasonCode: e.reasonCode,
    note: e.note,
  };
}
