import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { DISABLE_AFTER } from '../../core/webhooks/delivery-policy.js';
import { urlProblem } from '../../core/webhooks/endpoint-url.js';
import { envelopeOf, type WebhookEventType } from '../../core/webhooks/events.js';
import {
  webhookRepository,
  type WebhookEndpointRow,
  type WebhookOwner,
} from '../../db/repositories/webhook-repository.js';
import { recordAudit } from '../access/audit.js';
import { newSecret } from '../access/secrets.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { sealSecret } from '../access/secret-box.js';

/** How long the previous secret still signs after a rotation, by default (at most 7 days). */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;

export interface WebhookEndpointView {
  id: string;
  vendorId: string | null;
  partnerId: string | null;
  url: string;
  description: string;
  events: WebhookEventType[];
  status: 'active' | 'disabled';
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  /** While a rotation's previous secret still signs (both signatures are sent). */
  previousSecretValidUntil: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Who {
  actor: Actor;
  scope: Scope;
  requestId?: string | null;
}

/** The caller's own organisation: a vendor admin manages the vendor's endpoints, a partner admin its partner's. */
function ownerOf(scope: Scope): WebhookOwner {
  if (scope.kind === 'vendor') return { vendorId: scope.vendorId };
  if (scope.kind === 'partner') return { partnerId: scope.partnerId };
  throw new TrellisError('forbidden', 'webhook endpoints belong to a vendor or a partner');
}

function view(row: WebhookEndpointRow, now: string): WebhookEndpointView {
  return {
    id: row.id,
    vendorId: row.vendorId,
    partnerId: row.partnerId,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.eventTypes) as WebhookEventType[],
    status: row.status as 'active' | 'disabled',
    consecutiveFailures: row.consecutiveFailures,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    previousSecretValidUntil:
      row.previousSecretUntil && row.previousSecretUntil > now ? row.previousSecretUntil : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkUrl(ctx: AppContext, url: string): string {
  const problem = urlProblem(url, ctx.settings.webhooks);
  if (problem)
    throw new TrellisError('invalid_input', `the webhook URL ${problem}`, [
      { location: 'body.url', message: problem },
    ]);
  return url;
}

function whoId(actor: Actor): string {
  return actor.kind === 'person' ? actor.personId : actor.tokenId;
}

async function endpointOf(ctx: AppContext, scope: Scope, id: string): Promise<WebhookEndpointRow> {
  const row = await webhookRepository(ctx.store.db).getEndpoint(ownerOf(scope), id);
  if (!row) throw notFound('webhook endpoint', id);
  return row;
}

/**
 * Registers an endpoint for the admin's own vendor or partner: an http(s) URL that is not this server nor
 * (unless allowed) a loopback or private address, and the event types it takes. Its signing secret is
 * returned once.
 */
export async function createWebhookEndpoint(
  ctx: AppContext,
  who: Who,
  input: { url: string; description?: string | undefined; events: readonly WebhookEventType[] },
): Promise<{ secret: string; endpoint: WebhookEndpointView }> {
  const owner = ownerOf(who.scope);
  const url = checkUrl(ctx, input.url);
  const secret = newSecret('whsec');
  const now = ctx.clock.now().toISOString();
  const row: WebhookEndpointRow = {
    id: ctx.ids.next('webhookEndpoint'),
    vendorId: 'vendorId' in owner ? owner.vendorId : null,
    partnerId: 'partnerId' in owner ? owner.partnerId : null,
    url,
    description: input.description ?? '',
    eventTypes: JSON.stringify([...new Set(input.events)].sort()),
    status: 'active',
    secretEnc: sealSecret(ctx.settings.secretsKey, secret),
    previousSecretEnc: null,
    previousSecretUntil: null,
    consecutiveFailures: 0,
    disabledAt: null,
    disabledReason: null,
    createdBy: whoId(who.actor),
    createdAt: now,
    updatedAt: now,
  };
  await retryOnRace(() =>
    ctx.store.db.transaction().execute(async (trx) => {
      await webhookRepository(trx).insertEndpoint(row);
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'webhook.create',
        target: { type: 'webhook-endpoint', id: row.id, vendorId: row.vendorId, partnerId: row.partnerId },
        requestId: who.requestId ?? null,
        detail: { url, events: JSON.parse(row.eventTypes) as unknown },
      });
    }),
  );
  return { secret, endpoint: view(row, now) };
}

export async function listWebhookEndpoints(ctx: AppContext, scope: Scope): Promise<WebhookEndpointView[]> {
  const now = ctx.clock.now().toISOString();
  return (await webhookRepository(ctx.store.db).listEndpoints(ownerOf(scope))).map((r) => view(r, now));
}

/** Every endpoint, for the platform operator (`trellis webhooks list`). */
export async function listAllWebhookEndpoints(ctx: AppContext): Promise<WebhookEndpointView[]> {
  const now = ctx.clock.now().toISOString();
  return (await webhookRepository(ctx.store.db).allEndpoints()).map((r) => view(r, now));
}

export async function getWebhookEndpoint(ctx: AppContext, scope: Scope, id: string) {
  return view(await endpointOf(ctx, scope, id), ctx.clock.now().toISOString());
}

/**
 * Changes an endpoint's URL, description, event types or status. `status: 'active'` enables a disabled
 * endpoint again (its count of failures starts over); `disabled` stops its deliveries (they wait).
 * Conditional on the row not having changed since it was read (else a conflict).
 */
export async function updateWebhookEndpoint(
  ctx: AppContext,
  who: Who,
  id: string,
  input: {
    url?: string | undefined;
    description?: string | undefined;
    events?: readonly WebhookEventType[] | undefined;
    status?: 'active' | 'disabled' | undefined;
  },
): Promise<WebhookEndpointView> {
  const before = await endpointOf(ctx, who.scope, id);
  const now = ctx.clock.now().toISOString();
  const patch: Partial<WebhookEndpointRow> = { updatedAt: now };
  if (input.url !== undefined) patch.url = checkUrl(ctx, input.url);
  if (input.description !== undefined) patch.description = input.description;
  if (input.events !== undefined) patch.eventTypes = JSON.stringify([...new Set(input.events)].sort());
  if (input.status !== undefined && input.status !== before.status) {
    patch.status = input.status;
    if (input.status === 'active')
      Object.assign(patch, { consecutiveFailures: 0, disabledAt: null, disabledReason: null });
    else Object.assign(patch, { disabledAt: now, disabledReason: 'disabled by an admin' });
  }
  const after = { ...before, ...patch };
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await webhookRepository(trx).updateEndpoint(id, patch, { updatedAt: before.updatedAt })))
      throw new TrellisError('conflict', `webhook endpoint ${id} changed meanwhile; read it again`);
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'webhook.update',
      target: { type: 'webhook-endpoint', id, vendorId: before.vendorId, partnerId: before.partnerId },
      requestId: who.requestId ?? null,
      detail: { url: after.url, events: JSON.parse(after.eventTypes) as unknown, status: after.status },
    });
  });
  return view(after, now);
}

/** Deletes an endpoint with its delivery log. */
export async function deleteWebhookEndpoint(
  ctx: AppContext,
  who: Who,
  id: string,
): Promise<{ id: string; deleted: true }> {
  const before = await endpointOf(ctx, who.scope, id);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await webhookRepository(trx).deleteEndpoint(id))) throw notFound('webhook endpoint', id);
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'webhook.delete',
      target: { type: 'webhook-endpoint', id, vendorId: before.vendorId, partnerId: before.partnerId },
      requestId: who.requestId ?? null,
      detail: { url: before.url },
    });
  });
  return { id, deleted: true };
}

/**
 * A new signing secret, shown once. The previous one keeps signing (both signatures are sent) for the
 * grace period, so receivers can switch without losing events.
 */
export async function rotateWebhookSecret(
  ctx: AppContext,
  who: Who,
  id: string,
  input: { graceHours?: number | undefined },
): Promise<{ secret: string; endpoint: WebhookEndpointView }> {
  const before = await endpointOf(ctx, who.scope, id);
  const now = ctx.clock.now();
  const secret = newSecret('whsec');
  const grace = input.graceHours ?? DEFAULT_ROTATION_GRACE_HOURS;
  const patch: Partial<WebhookEndpointRow> = {
    secretEnc: sealSecret(ctx.settings.secretsKey, secret),
    previousSecretEnc: grace > 0 ? before.secretEnc : null,
    previousSecretUntil: grace > 0 ? new Date(now.getTime() + grace * 3600_000).toISOString() : null,
    updatedAt: now.toISOString(),
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    // Conditional on the secret read: of two rotations at once, one wins (the other's secret would
    // otherwise be lost, neither current nor previous).
    if (!(await webhookRepository(trx).updateEndpoint(id, patch, { secretEnc: before.secretEnc })))
      throw new TrellisError(
        'conflict',
        `webhook endpoint ${id}'s secret was rotated meanwhile; read it again`,
      );
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'webhook.rotate-secret',
      target: { type: 'webhook-endpoint', id, vendorId: before.vendorId, partnerId: before.partnerId },
      requestId: who.requestId ?? null,
      detail: { graceHours: grace },
    });
  });
  return { secret, endpoint: view({ ...before, ...patch }, now.toISOString()) };
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  endpointId: string;
  type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  log: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
    succeeded: boolean;
  }[];
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  ctx: AppContext,
  scope: Scope,
  endpointId: string,
  filter: { status?: string | undefined; limit?: number | undefined },
): Promise<WebhookDeliveryView[]> {
  await endpointOf(ctx, scope, endpointId);
  const repo = webhookRepository(ctx.store.db);
  const rows = await repo.listDeliveries(endpointId, filter, filter.limit ?? 50);
  const attempts = await repo.attemptsOf(rows.map((r) => r.id));
  return rows.map((r) => ({
    ...r,
    status: r.status as WebhookDeliveryView['status'],
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
    log: attempts
      .filter((a) => a.deliveryId === r.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: a.startedAt,
        durationMs: a.durationMs,
        statusCode: a.statusCode,
        error: a.error,
        succeeded: a.succeeded === 1,
      })),
  }));
}

async function deliveryView(ctx: AppContext, endpointId: string, id: string): Promise<WebhookDeliveryView> {
  const repo = webhookRepository(ctx.store.db);
  const d = await repo.getDelivery(endpointId, id);
  if (!d) throw notFound('webhook delivery', id);
  const log = await repo.attemptsOf([id]);
  const { payload: _payload, claimedUntil: _claimed, ...rest } = d;
  return {
    ...rest,
    status: d.status as WebhookDeliveryView['status'],
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    log: log.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt,
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
      succeeded: a.succeeded === 1,
    })),
  };
}

/**
 * Sends a delivery again (a succeeded one too): due now, in a new round of tries, with the same event id.
 * Refused while a dispatcher is attempting it.
 */
export async function redeliverWebhook(
  ctx: AppContext,
  who: Who,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  const endpoint = await deliveryEndpointOf(ctx, who.scope, deliveryId);
  const endpointId = endpoint.id;
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const repo = webhookRepository(trx);
    if (!(await repo.getDelivery(endpointId, deliveryId))) throw notFound('webhook delivery', deliveryId);
    if (!(await repo.redeliver(endpointId, deliveryId, now)))
      throw new TrellisError('conflict', `delivery ${deliveryId} is being attempted now; try again shortly`);
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'webhook.redeliver',
      target: {
        type: 'webhook-endpoint',
        id: endpointId,
        vendorId: endpoint.vendorId,
        partnerId: endpoint.partnerId,
      },
      requestId: who.requestId ?? null,
      detail: { deliveryId },
    });
  });
  return deliveryView(ctx, endpointId, deliveryId);
}

/** A `webhook.test` event to this endpoint only, delivered by the next dispatcher pass. */
export async function sendTestWebhook(
  ctx: AppContext,
  who: Who,
  endpointId: string,
): Promise<WebhookDeliveryView> {
  // Reads too: SERIALIZABLE may abort a plain read among test sends at once, and reading again is safe.
  const endpoint = await retryOnRace(() => endpointOf(ctx, who.scope, endpointId));
  const createdAt = ctx.clock.now().toISOString();
  const eventId = ctx.ids.next('webhookEvent');
  const deliveryId = ctx.ids.next('webhookDelivery');
  // A partner's endpoint: the test event names no vendor (vendorId null; the partner may work with several).
  const envelope = {
    ...envelopeOf(eventId, createdAt, {
      type: 'webhook.test',
      vendorId: '',
      partnerId: endpoint.partnerId,
      data: { endpointId, message: 'A test event from Trellis' },
    }),
    vendorId: endpoint.vendorId,
  };
  await retryOnRace(() =>
    ctx.store.db.transaction().execute(async (trx) => {
      await webhookRepository(trx).insertTestDelivery(
        {
          id: eventId,
          vendorId: endpoint.vendorId ?? '',
          partnerId: endpoint.partnerId,
          type: 'webhook.test',
          payload: JSON.stringify(envelope),
          createdAt,
        },
        deliveryId,
        endpointId,
      );
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'webhook.test',
        target: {
          type: 'webhook-endpoint',
          id: endpointId,
          vendorId: endpoint.vendorId,
          partnerId: endpoint.partnerId,
        },
        requestId: who.requestId ?? null,
        detail: { eventId, deliveryId },
      });
    }),
  );
  return retryOnRace(() => deliveryView(ctx, endpointId, deliveryId));
}

/** One delivery with its attempts and the event as sent. */
export async function getWebhookDelivery(ctx: AppContext, scope: Scope, deliveryId: string) {
  const endpointId = (await deliveryEndpointOf(ctx, scope, deliveryId)).id;
  const d = await webhookRepository(ctx.store.db).getDelivery(endpointId, deliveryId);
  if (!d) throw notFound('webhook delivery', deliveryId);
  return { ...(await deliveryView(ctx, endpointId, deliveryId)), event: JSON.parse(d.payload) as unknown };
}

/** The endpoint of a delivery of the caller's own endpoints (else not found). */
async function deliveryEndpointOf(ctx: AppContext, scope: Scope, deliveryId: string) {
  const endpointId = await webhookRepository(ctx.store.db).deliveryEndpoint(ownerOf(scope), deliveryId);
  if (!endpointId) throw notFound('webhook delivery', deliveryId);
  return endpointOf(ctx, scope, endpointId);
}

export { DISABLE_AFTER };
