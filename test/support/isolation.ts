import type { Server } from '../../src/server/types.js';
import type { Reply } from './http.js';

/** A record of the fixture world, with who may see it (the oracle the harness checks the API against). */
export interface CatalogRecord {
  type:
    | 'vendor'
    | 'program'
    | 'partner'
    | 'product'
    | 'customer'
    | 'order'
    | 'token'
    | 'certification'
    | 'close'
    | 'statement'
    | 'dispute'
    | 'job'
    | 'deal'
    | 'deal-flag'
    | 'named-account'
    | 'routed-order'
    | 'offer'
    | 'agreement'
    | 'transfer'
    | 'simulation'
    | 'notification'
    | 'webhook'
    | 'webhook-delivery'
    | 'mdf-activity'
    | 'file';
  id: string;
  /** Also looked up by these (slug, code). */
  aliases?: string[];
}

export interface HarnessActor {
  name: string;
  call: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => Promise<Reply>;
  /** Ground truth: may this actor see this record? */
  sees: (record: CatalogRecord) => boolean;
  /** Vendor id to try as a foreign `vendor` filter. */
  foreignVendorId: string;
}

/** Which path parameter names an id of which record type. A new parameter must be added here. */
const PARAM_TYPES: Record<string, CatalogRecord['type']> = {
  vendorId: 'vendor',
  programId: 'program',
  partnerId: 'partner',
  productId: 'product',
  customerId: 'customer',
  orderId: 'order',
  tokenId: 'token',
  closeId: 'close',
  statementId: 'statement',
  disputeId: 'dispute',
  jobId: 'job',
  dealId: 'deal',
  flagId: 'deal-flag',
  namedAccountId: 'named-account',
  routedOrderId: 'routed-order',
  offerId: 'offer',
  agreementId: 'agreement',
  transferId: 'transfer',
  simulationId: 'simulation',
  notificationId: 'notification',
  webhookId: 'webhook',
  deliveryId: 'webhook-delivery',
  activityId: 'mdf-activity',
  fileId: 'file',
};

/** The record type each list route returns. */
const LIST_TYPES: Record<string, CatalogRecord['type']> = {
  '/api/vendors': 'vendor',
  '/api/programs': 'program',
  '/api/partners': 'partner',
  '/api/products': 'product',
  '/api/customers': 'customer',
  '/api/orders': 'order',
  // The orders export (CSV) names each line's order id: a foreign order's id must not appear.
  '/api/orders/export': 'order',
  '/api/tokens': 'token',
  '/api/certifications': 'certification',
  '/api/closes': 'close',
  '/api/statements': 'statement',
  '/api/disputes': 'dispute',
  '/api/jobs': 'job',
  '/api/deals': 'deal',
  '/api/deal-flags': 'deal-flag',
  '/api/named-accounts': 'named-account',
  '/api/routing': 'routed-order',
  '/api/offers': 'offer',
  '/api/agreements': 'agreement',
  '/api/program-transfers': 'transfer',
  '/api/simulations': 'simulation',
  '/api/notifications': 'notification',
  '/api/webhooks': 'webhook',
  '/api/mdf/activities': 'mdf-activity',
  // Coverage items are accounts: they carry the customer's id (`customerId`), checked as customers.
  '/api/coverage': 'customer',
};

/** Routes anyone may call without signing in. Everything else must answer an anonymous call with 401. */
const PUBLIC = new Set([
  'GET /api/health',
  'POST /api/auth/sign-in',
  'POST /api/auth/reset-password',
  'GET /api/auth/sso/start',
  'GET /api/auth/sso/callback',
]);

interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params: string[];
  query: string[];
}

export function operationsOf(openapi: {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const m = method.toUpperCase();
      if (m !== 'GET' && m !== 'POST' && m !== 'PUT' && m !== 'DELETE') continue;
      const parameters = op.parameters ?? [];
      ops.push({
        method: m,
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1] as string),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return ops;
}

/**
 * Walks every route of the OpenAPI document and, for each actor, calls it on records the actor must not
 * see: a route with an id parameter must answer 404 (existence is not disclosed; a 403 is accepted only
 * when the actor's role may not use that route at all); a list must not contain a foreign id, even when
 * filtered by a foreign vendor. Anonymous calls must be refused with 401 unless the route is public.
 * Returns every failure as a sentence; an empty list means the API isolates tenants.
 */
export async function runIsolationHarness(
  app: Server,
  anonymous: HarnessActor['call'],
  actors: HarnessActor[],
  catalog: CatalogRecord[],
  options: {
    /**
     * A valid body for a state-changing route on one record (`POST /api/deals/{dealId}/withdraw`), so a
     * call on a foreign record reaches the handler instead of stopping at validation. Without one, `{}`.
     */
    bodies?: Record<string, unknown>;
  } = {},
): Promise<string[]> {
  const failures: string[] = [];
  const openapi = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Parameters<
    typeof operationsOf
  >[0];
  const ops = operationsOf(openapi);
  if (ops.length === 0) failures.push('the OpenAPI document lists no operations');
  const writes = (m: Operation['method']) => m === 'POST' || m === 'PUT';

  for (const op of ops) {
    const key = `${op.method} ${op.path}`;
    const sample = op.path.replace(
      /\{(\w+)\}/g,
      (_, p: string) => catalog.find((r) => r.type === PARAM_TYPES[p])?.id ?? 'x_0000',
    );
    const anon = await anonymous(op.method, sample, writes(op.method) ? {} : undefined);
    if (PUBLIC.has(key)) {
      if (anon.status === 401 || anon.status >= 500)
        failures.push(`${key}: public route answered an anonymous call with ${anon.status}`);
    } else if (anon.status !== 401) {
      failures.push(
        `${key}: anonymous call answered ${anon.status}, expected 401 (${anon.text.slice(0, 120)})`,
      );
    }
  }

  for (const actor of actors) {
    const foreign = catalog.filter((r) => !actor.sees(r));
    const foreignIds = foreign.map((r) => r.id);
    // A visible order may name its distributor even when the distributor's own record is not visible, so a
    // list is checked for foreign records of its own type and for foreign vendors.
    const listLeak = (reply: Reply, type: CatalogRecord['type'] | undefined) =>
      foreign
        .filter((r) => (r.type === type || r.type === 'vendor') && reply.text.includes(r.id))
        .map((r) => r.id);
    // The caller's own input (the id it asked for, echoed in `instance`) is not a leak; anything else is.
    const leak = (reply: Reply, asked?: string) =>
      foreignIds.filter((id) => id !== asked && reply.text.includes(id));
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      if (PUBLIC.has(key)) continue;
      if (op.params.length === 0) {
        if (op.method !== 'GET') continue;
        const urls = [op.path];
        if (op.query.includes('vendor')) urls.push(`${op.path}?vendor=${actor.foreignVendorId}`);
        for (const url of urls) {
          const reply = await actor.call('GET', url);
          if (reply.status >= 500) failures.push(`${actor.name} ${key}: ${reply.status} on ${url}`);
          // A refusal echoes the caller's own filter (its `instance` is the URL asked): not a leak. A list
          // answered (2xx) must not name the foreign vendor at all.
          const asked = reply.status >= 400 && url !== op.path ? actor.foreignVendorId : null;
          const leaked = listLeak(reply, LIST_TYPES[op.path]).filter((id) => id !== asked);
          if (leaked.length > 0)
            failures.push(`${actor.name} GET ${url}: lists foreign records ${leaked.join(', ')}`);
        }
        continue;
      }
      const param = op.params[0] as string;
      const type = PARAM_TYPES[param];
      if (!type || op.params.length > 1) {
        failures.push(
          `${key}: the harness does not know parameter {${op.params.join('}, {')}}; teach it (PARAM_TYPES) and the fixture`,
        );
        continue;
      }
      // A state-changing route is called with a valid body, so that it reaches the record.
      const body = writes(op.method) ? (options.bodies?.[key] ?? {}) : undefined;
      // A 403 that an id which exists nowhere also gets is about the route, not the record: it discloses nothing.
      // So is a 400 of a state-changing route's body, which is checked before any record is read.
      const probe = await actor.call(op.method, op.path.replace(`{${param}}`, 'zzz_doesnotexist0'), body);
      for (const record of foreign.filter((r) => r.type === type)) {
        for (const id of [record.id, ...(record.aliases ?? [])]) {
          const url = op.path.replace(`{${param}}`, encodeURIComponent(id));
          const reply = await actor.call(op.method, url, body);
          const typeLevel403 = reply.status === 403 && probe.status === 403;
          const bodyLevel400 =
            writes(op.method) &&
            reply.status === 400 &&
            probe.status === 400 &&
            reply.text
              .replaceAll(encodeURIComponent(id), 'zzz_doesnotexist0')
              .replaceAll(id, 'zzz_doesnotexist0') === probe.text;
          if (reply.status !== 404 && !typeLevel403 && !bodyLevel400) {
            failures.push(`${actor.name} ${op.method} ${url}: answered ${reply.status}, expected 404`);
          }
          const leaked = leak(reply, id);
          if (leaked.length > 0)
            failures.push(
              `${actor.name} ${op.method} ${url}: body names foreign records ${leaked.join(', ')}`,
            );
        }
      }
    }
  }
  return failures;
}

/**
 * A value planted in one party's business that only some callers may learn: a total of records the
 * caller does not see, or a summary that adds them up (another partner's whole revenue).
 */
export interface FieldMarker {
  /** How it would appear in a response (raw JSON numbers, so minor units as written). */
  values: string[];
  description: string;
  /** Ground truth: may this actor learn it? */
  visibleTo: (actorName: string) => boolean;
}

/**
 * The field-level oracle: every GET route of the OpenAPI document, for every actor, on every record of
 * each path parameter's type that the actor *may* see (so summaries of records it sees are read, e.g. a
 * distributor asking for a reseller it supplies), with the program given when the route takes one. No
 * answer may contain a marker the actor may not learn, whatever its status.
 */
export async function runFieldOracle(
  app: Server,
  actors: HarnessActor[],
  catalog: CatalogRecord[],
  markers: FieldMarker[],
  options: { program: string },
): Promise<string[]> {
  const failures: string[] = [];
  const openapi = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Parameters<
    typeof operationsOf
  >[0];
  const ops = operationsOf(openapi).filter((op) => op.method === 'GET' && !PUBLIC.has(`GET ${op.path}`));
  let read = 0;
  for (const actor of actors) {
    const hidden = markers.filter((m) => !m.visibleTo(actor.name));
    if (hidden.length === 0) continue;
    for (const op of ops) {
      const type = op.params[0] ? PARAM_TYPES[op.params[0]] : undefined;
      const targets =
        op.params.length === 0
          ? ['']
          : catalog.filter((r) => r.type === type && actor.sees(r)).map((r) => r.id);
      for (const target of targets) {
        let url = op.params.length === 0 ? op.path : op.path.replace(`{${op.params[0]}}`, target);
        if (op.query.includes('program')) url += `?program=${options.program}`;
        const reply = await actor.call('GET', url);
        if (reply.status === 200) read++;
        for (const m of hidden)
          for (const v of m.values)
            if (reply.text.includes(v))
              failures.push(`${actor.name} GET ${url}: answer contains ${m.description} (${v})`);
      }
    }
  }
  if (read === 0) failures.push('the field oracle read nothing: no actor saw any record');
  return failures;
}
