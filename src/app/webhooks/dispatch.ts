import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  ATTEMPT_TIMEOUT_MS,
  DISABLE_AFTER,
  MAX_TRIES,
  retryDelayMs,
  succeeded,
} from '../../core/webhooks/delivery-policy.js';
import { isPrivateAddress } from '../../core/webhooks/endpoint-url.js';
import { webhookRepository } from '../../db/repositories/webhook-repository.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { openSecret } from '../access/secret-box.js';
import { signatureHeader } from './signing.js';

export interface WebhookDispatchOptions {
  /** Deliveries attempted at once (and claimed per batch). */
  batch?: number;
  /** Batches per pass at most (a pass ends earlier when nothing is due). */
  maxBatches?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
  /** Only this endpoint's deliveries (a redelivery or a test sent now). */
  endpointId?: string;
}

export interface WebhookDispatchResult {
  fannedOut: number;
  delivered: number;
  retried: number;
  failed: number;
  disabled: number;
}

/**
 * Makes the deliveries of pending outbox events: one per active endpoint of the event's audience that
 * takes its type (the vendor's endpoints for the vendor's view, the partner's for the partner's view).
 */
export async function fanOutWebhookEvents(ctx: AppContext, limit = 500): Promise<number> {
  let fanned = 0;
  for (;;) {
    const events = await webhookRepository(ctx.store.db).pendingEvents(limit);
    if (events.length === 0) return fanned;
    for (const e of events) {
      const endpoints = await webhookRepository(ctx.store.db).endpointsFor(e);
      const now = ctx.clock.now().toISOString();
      await retryOnRace(() =>
        ctx.store.db.transaction().execute((trx) =>
          webhookRepository(trx).fanOut(
            e.id,
            endpoints.map((endpointId) => ({ id: ctx.ids.next('webhookDelivery'), endpointId })),
            now,
          ),
        ),
      );
      fanned++;
    }
    if (events.length < limit) return fanned;
  }
}

/** Refuses an IP-literal host that is loopback or private (unless those are allowed). */
function literalProblem(ctx: AppContext, url: string): string | null {
  if (ctx.settings.webhooks.allowPrivate) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return isIP(host) && isPrivateAddress(host) ? `${host} is a loopback or private address` : null;
}

/**
 * The name resolution the POST connects with: the addresses are checked as they are resolved, for the
 * very connection that uses them, so a name that answers a public address to a first look and a private
 * one to the next (DNS rebinding) cannot reach a private address.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) {
        const refused = Object.assign(
          new Error(`${hostname} resolves to a loopback or private address (${bad.address})`),
          { code: 'EPRIVATEADDRESS' },
        );
        return callback(refused, '', 0);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** One POST: the status code (null when none came back) and the error, if any. Redirects are not followed. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  allowPrivate: boolean,
): Promise<{ statusCode: number | null; error: string | null }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: { statusCode: number | null; error: string | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate),
        agent: false,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        finish({
          statusCode: status,
          error: succeeded(status)
            ? null
            : `answered ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`,
        });
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: Error & { code?: string }) => {
      finish({
        statusCode: null,
        error: e.code === 'EPRIVATEADDRESS' ? e.message : (e.code ?? e.message),
      });
    });
    req.end(body);
  });
}

/**
 * Attempts the due deliveries: claims a batch (conditional updates: no other dispatcher attempts them
 * meanwhile), POSTs each signed event, and records every attempt in the log. A failure is tried again with
 * growing delays up to MAX_TRIES, then the delivery fails (an admin may redeliver); DISABLE_AFTER
 * consecutive failures disable the endpoint. A dispatcher that stops between the POST and its record
 * leaves the claim to lapse: the event is sent again (at least once; receivers de-duplicate on its id).
 */
export async function deliverDueWebhooks(
  ctx: AppContext,
  options: WebhookDispatchOptions = {},
): Promise<Omit<WebhookDispatchResult, 'fannedOut'>> {
  const batch = options.batch ?? 10;
  const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const claimant = randomUUID();
  const repo = webhookRepository(ctx.store.db);
  const result = { delivered: 0, retried: 0, failed: 0, disabled: 0 };
  for (let round = 0; round < (options.maxBatches ?? 100); round++) {
    const now = ctx.clock.now();
    const claimed = await repo.claimDue(
      claimant,
      now.toISOString(),
      new Date(now.getTime() + timeoutMs + 60_000).toISOString(),
      batch,
      options.endpointId,
    );
    if (claimed.length === 0) break;
    await Promise.all(
      claimed.map(async (d) => {
        const startedAt = ctx.clock.now();
        const problem = literalProblem(ctx, d.url);
        const secrets = [openSecret(ctx.settings.secretsKey, d.secretEnc)];
        if (d.previousSecretEnc && d.previousSecretUntil && d.previousSecretUntil > startedAt.toISOString())
          secrets.push(openSecret(ctx.settings.secretsKey, d.previousSecretEnc));
        const timestamp = Math.floor(startedAt.getTime() / 1000);
        const answer = problem
          ? { statusCode: null, error: problem }
          : await post(
              d.url,
              {
                'content-type': 'application/json',
                'user-agent': 'Trellis-Webhooks/1',
                'trellis-event-id': d.eventId,
                'trellis-event-type': d.type,
                'trellis-delivery-id': d.id,
                'trellis-attempt': String(d.attempts),
                'trellis-signature': signatureHeader(secrets, timestamp, d.payload),
              },
              d.payload,
              timeoutMs,
              ctx.settings.webhooks.allowPrivate,
            );
        const ended = ctx.clock.now();
        const ok = succeeded(answer.statusCode);
        const outcome = ok
          ? ({ status: 'succeeded' } as const)
          : d.tries >= MAX_TRIES
            ? ({ status: 'failed' } as const)
            : ({
                status: 'pending',
                nextAttemptAt: new Date(ended.getTime() + retryDelayMs(d.tries)).toISOString(),
              } as const);
        const { disabled } = await retryOnRace(() =>
          ctx.store.db.transaction().execute((trx) =>
            webhookRepository(trx).recordAttempt(
              claimant,
              {
                id: ctx.ids.next('webhookAttempt'),
                deliveryId: d.id,
                endpointId: d.endpointId,
                attempt: d.attempts,
                startedAt: startedAt.toISOString(),
                durationMs: Math.max(0, ended.getTime() - startedAt.getTime()),
                statusCode: answer.statusCode,
                error: answer.error?.slice(0, 500) ?? null,
                succeeded: ok ? 1 : 0,
              },
              outcome,
              {
                after: DISABLE_AFTER,
                at: ended.toISOString(),
                reason: `${DISABLE_AFTER} consecutive failed attempts (last: ${answer.error ?? 'failed'})`,
              },
            ),
          ),
        );
        if (ok) result.delivered++;
        else if (outcome.status === 'failed') result.failed++;
        else result.retried++;
        if (disabled) result.disabled++;
      }),
    );
  }
  return result;
}

export interface WebhookPruneResult {
  /** The day before which finished deliveries and their events were pruned. */
  before: string;
  deliveries: number;
  events: number;
}

/**
 * Prunes the webhook log (docs/webhooks.md, "Retention"): finished deliveries (succeeded, or failed for
 * good) older than the retention, with their attempts, and the events no delivery names any more, in
 * batches of `batch`, each in its own transaction (a long prune never holds one lock for long). Pending
 * deliveries are kept whatever their age.
 */
export async function pruneWebhookLog(
  ctx: AppContext,
  options: { retentionDays?: number; batch?: number } = {},
): Promise<WebhookPruneResult> {
  const days = options.retentionDays ?? ctx.settings.webhooks.retentionDays;
  const before = new Date(ctx.clock.now().getTime() - days * 86_400_000).toISOString();
  const batch = options.batch ?? 500;
  const total = { before, deliveries: 0, events: 0 };
  for (;;) {
    const r = await retryOnRace(() =>
      ctx.store.db.transaction().execute((trx) => webhookRepository(trx).pruneLog(before, batch)),
    );
    total.deliveries += r.deliveries;
    total.events += r.events;
    if (r.deliveries < batch && r.events < batch) return total;
  }
}

/** How often the serve loop prunes the log. */
const PRUNE_EVERY_MS = 60 * 60_000;

/** One dispatcher pass: fan out pending events, then attempt what is due. */
export async function dispatchWebhooks(
  ctx: AppContext,
  options: WebhookDispatchOptions = {},
): Promise<WebhookDispatchResult> {
  const fannedOut = await fanOutWebhookEvents(ctx);
  return { fannedOut, ...(await deliverDueWebhooks(ctx, options)) };
}

/**
 * The dispatcher loop of `trellis serve`: a pass every `intervalMs` (off the request path), never two
 * passes of this loop at once. `stop()` ends the loop after the pass under way.
 */
export function startWebhookDispatcher(
  ctx: AppContext,
  options: {
    intervalMs?: number;
    onPass?: (r: WebhookDispatchResult) => void;
    onPrune?: (r: WebhookPruneResult) => void;
    onError?: (e: unknown) => void;
  } = {},
): { stop(): Promise<void> } {
  let stopped = false;
  let prunedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = dispatchWebhooks(ctx)
      .then(async (r) => {
        options.onPass?.(r);
        // The log is pruned once an hour, in the same loop (never beside a pass).
        if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
          prunedAt = Date.now();
          const pruned = await pruneWebhookLog(ctx);
          if (pruned.deliveries + pruned.events > 0) options.onPrune?.(pruned);
        }
      })
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, options.intervalMs ?? 5_000);
          timer.unref();
        }
      });
  };
  timer = setTimeout(tick, 0);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
