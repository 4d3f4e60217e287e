import type { Kysely } from 'kysely';
import { envelopeOf, type WebhookEventInput, type WebhookEventType } from '../../core/webhooks/events.js';
import { webhookRepository } from '../../db/repositories/webhook-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';

/**
 * Writes webhook events to the outbox on the caller's handle: call it inside the transaction of the change,
 * so the change and its events commit (or roll back) together; a dispatcher delivers them later
 * (src/app/webhooks/dispatch.ts). Events share one type and vendor. Cheap when nobody listens: one indexed
 * look-up of the active endpoints taking the type (the vendor's and the partners'), and only the views
 * some endpoint takes are written, in one multi-row insert. Returns how many were written.
 */
export async function emitWebhookEvents<T extends WebhookEventType>(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'clock' | 'ids'> | null,
  events: readonly WebhookEventInput<T>[],
): Promise<number> {
  const first = events[0];
  if (!first) return 0;
  const repo = webhookRepository(trx);
  const partnerIds = [...new Set(events.flatMap((e) => (e.partnerId ? [e.partnerId] : [])))];
  const listening = await repo.subscribedAudiences(first.vendorId, partnerIds, first.type);
  const wanted = events.filter((e) =>
    e.partnerId === null ? listening.vendor : listening.partners.has(e.partnerId),
  );
  if (wanted.length === 0) return 0;
  const now = ctx ? ctx.clock.now().toISOString() : null;
  await repo.insertEvents(
    wanted.map((e) => {
      const id = e.id ?? ctx?.ids.next('webhookEvent');
      const createdAt = e.createdAt ?? now;
      if (!id || !createdAt) throw new Error('a webhook event needs an id and a time');
      return {
        id,
        vendorId: e.vendorId,
        partnerId: e.partnerId,
        type: e.type,
        payload: JSON.stringify(envelopeOf(id, createdAt, e)),
        createdAt,
      };
    }),
  );
  return wanted.length;
}
