import {
  MDF_CLAIM_DUE_THRESHOLDS,
  CERTIFICATION_EXPIRY_THRESHOLDS,
  DEAL_EXPIRY_THRESHOLDS,
  daysFrom,
  thresholdReached,
} from '../../core/notifications/kinds.js';
import { mdfRepository } from '../../db/repositories/mdf-repository.js';
import { notificationRepository } from '../../db/repositories/notification-repository.js';
import type { AppContext } from '../context.js';
import { notify, type NotificationInput } from './notify.js';

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The periodic check (run by `trellis serve` every hour and by `trellis notifications send-due`): protected
 * registrations whose protection ends within a threshold's days (14, then 3) and certifications expiring
 * within theirs (60, then 14) are told once per (subject, kind, threshold): the dedupe key is unique in
 * the store, so running it again, or twice at once, writes nothing more. A registration extended since
 * is told again (its new last day is part of the key). MDF activities pre-approved and ended are told
 * their claim deadline within 14, then 3 days.
 */
export async function scanExpiring(ctx: AppContext, options: { asOf?: string } = {}) {
  const today = options.asOf ?? ctx.clock.now().toISOString().slice(0, 10);
  const repo = notificationRepository(ctx.store.db);
  const items: NotificationInput<'deal.expiring' | 'certification.expiring' | 'mdf.claim-due'>[] = [];
  for (const d of await repo.expiringDeals(today, addDays(today, Math.max(...DEAL_EXPIRY_THRESHOLDS)))) {
    const protectedUntil = d.protectedUntil as string;
    const daysLeft = daysFrom(today, protectedUntil);
    const threshold = thresholdReached(daysLeft, DEAL_EXPIRY_THRESHOLDS);
    if (threshold === null) continue;
    items.push({
      kind: 'deal.expiring',
      params: { dealId: d.id, customerName: d.customerName, protectedUntil, daysLeft, threshold },
      vendorId: d.vendorId,
      partnerId: d.partnerId,
      ownerPersonId: d.ownerPersonId,
      subject: { type: 'deal', id: d.id },
      dedupeKey: `deal.expiring:${d.id}:${threshold}:${protectedUntil}`,
    });
  }
  const certUntil = addDays(today, Math.max(...CERTIFICATION_EXPIRY_THRESHOLDS));
  for (const c of await repo.expiringCertifications(today, certUntil)) {
    const daysLeft = daysFrom(today, c.expiresOn);
    const threshold = thresholdReached(daysLeft, CERTIFICATION_EXPIRY_THRESHOLDS);
    if (threshold === null) continue;
    items.push({
      kind: 'certification.expiring',
      params: {
        certificationId: c.id,
        personName: c.personName,
        certification: c.kind,
        family: c.family || null,
        expiresOn: c.expiresOn,
        daysLeft,
        threshold,
      },
      vendorId: c.vendorId,
      partnerId: c.partnerId,
      subject: { type: 'certification', id: c.id },
      dedupeKey: `certification.expiring:${c.id}:${threshold}`,
    });
  }
  // MDF activities that ended and whose claim is due soon (partners lose funds to missed deadlines).
  const mdfUntil = addDays(today, Math.max(...MDF_CLAIM_DUE_THRESHOLDS));
  for (const a of await mdfRepository(ctx.store.db).claimsDue(today, mdfUntil)) {
    const daysLeft = daysFrom(today, a.claimDeadline);
    const threshold = thresholdReached(daysLeft, MDF_CLAIM_DUE_THRESHOLDS);
    if (threshold === null) continue;
    items.push({
      kind: 'mdf.claim-due',
      params: {
        activityId: a.id,
        title: a.title,
        claimDeadline: a.claimDeadline,
        daysLeft,
        threshold,
        preapprovedMinor: Number(a.preapprovedMinor ?? 0),
        currency: a.currency,
      },
      vendorId: a.vendorId,
      partnerId: a.partnerId,
      subject: { type: 'mdf-activity', id: a.id },
      dedupeKey: `mdf.claim-due:${a.id}:${threshold}`,
    });
  }
  let written = 0;
  for (let i = 0; i < items.length; i += 500)
    written += await ctx.store.db.transaction().execute((trx) => notify(trx, ctx, items.slice(i, i + 500)));
  return { asOf: today, considered: items.length, written };
}
