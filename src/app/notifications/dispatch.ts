import { randomUUID } from 'node:crypto';
import type { NotificationKind, NotificationParams } from '../../core/notifications/kinds.js';
import { mailLocaleOf, renderMail, subjectPath } from '../../core/notifications/messages.js';
import { notificationRepository } from '../../db/repositories/notification-repository.js';
import type { AppContext } from '../context.js';
import { readerOf } from './feed.js';
import type { Mailer } from './mailer.js';

export interface DispatchOptions {
  /** The web app's address for links; null = paths only. */
  publicUrl?: string | null;
  /** E-mails sent per run. */
  limit?: number;
  /** How long a claim holds an e-mail before another dispatcher may retry it. */
  leaseMs?: number;
  /** Notifications older than this when first expanded are not mailed (a transport configured late). */
  maxAgeDays?: number;
  /** Attempts before an e-mail is marked failed. */
  maxAttempts?: number;
}

/**
 * Turns pending notifications into e-mails to the people of their audience who take them (and whose role
 * reads the subject), each (notification, person) once. Several dispatchers may run it at once.
 */
export async function queueNotificationMails(ctx: AppContext, options: DispatchOptions = {}) {
  const maxAge = (options.maxAgeDays ?? 7) * 86_400_000;
  const now = ctx.clock.now();
  let queued = 0;
  let skipped = 0;
  for (;;) {
    const pending = await notificationRepository(ctx.store.db).pendingMail(200);
    if (pending.length === 0) break;
    for (const n of pending) {
      const tooOld = now.getTime() - Date.parse(n.createdAt) > maxAge;
      const mails: { personId: string; email: string; locale: string }[] = [];
      if (!tooOld)
        for (const p of await notificationRepository(ctx.store.db).mailCandidates(n)) {
          const reader = readerOf({
            kind: 'person',
            personId: p.id,
            vendorId: p.vendorId,
            partnerId: p.partnerId,
            roles: p.roles as never,
          });
          if (!reader.resources.includes(n.resource)) continue;
          if (reader.ownerOnly && n.resource === 'deal' && n.ownerPersonId !== p.id) continue;
          mails.push({ personId: p.id, email: p.email, locale: mailLocaleOf(p.locale) });
        }
      await ctx.store.db
        .transaction()
        .execute((trx) =>
          notificationRepository(trx).queueMails(
            n.id,
            mails,
            now.toISOString(),
            tooOld ? 'skipped' : 'queued',
          ),
        );
      if (tooOld) skipped++;
      else queued += mails.length;
    }
  }
  return { queued, skipped };
}

/**
 * Sends the e-mails due: claims a batch with a lease (no other dispatcher sends them meanwhile), sends
 * each in the recipient's language and marks it sent. A failure is retried later with a growing delay, up
 * to `maxAttempts`; a dispatcher that stops between sending and marking leaves the claim to lapse and the
 * e-mail is sent again (at least once).
 */
export async function sendDueMails(ctx: AppContext, mailer: Mailer, options: DispatchOptions = {}) {
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const claimant = randomUUID();
  const now = ctx.clock.now();
  const repo = notificationRepository(ctx.store.db);
  const claimed = await repo.claimMails(
    claimant,
    now.toISOString(),
    new Date(now.getTime() + leaseMs).toISOString(),
    options.limit ?? 100,
  );
  let sent = 0;
  let retried = 0;
  let failed = 0;
  for (const m of claimed) {
    const params = JSON.parse(m.params) as Record<string, unknown>;
    const path = subjectPath(m.subjectType, m.subjectId, params);
    const locale = mailLocaleOf(m.locale);
    try {
      const mail = renderMail(
        m.kind as NotificationKind,
        params as unknown as NotificationParams[NotificationKind],
        { vendorName: m.vendorName, link: `${options.publicUrl ?? ''}${path}` },
        locale,
      );
      await mailer.send({ to: m.email, subject: mail.subject, text: mail.text, locale });
      if (await repo.markMailSent(claimant, m.notificationId, m.personId, ctx.clock.now().toISOString()))
        sent++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const giveUp = m.attempts >= maxAttempts;
      const delay = 60_000 * 2 ** Math.min(m.attempts - 1, 10);
      await repo.markMailFailed(
        claimant,
        m.notificationId,
        m.personId,
        message,
        giveUp ? 'give-up' : { nextAttemptAt: new Date(ctx.clock.now().getTime() + delay).toISOString() },
      );
      if (giveUp) failed++;
      else retried++;
    }
  }
  return { sent, retried, failed };
}

/** One dispatcher run: queue what is pending, then send what is due. */
export async function dispatchNotifications(ctx: AppContext, mailer: Mailer, options: DispatchOptions = {}) {
  const q = await queueNotificationMails(ctx, options);
  const s = await sendDueMails(ctx, mailer, options);
  return { ...q, ...s };
}
