import { z } from 'zod';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
} from '../../app/webhooks/endpoints.js';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/events.js';
import { actorOf } from '../access.js';
import { ID, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const EventType = z.enum(WEBHOOK_EVENT_TYPES);

const EndpointSchema = z
  .object({
    id: z.string(),
    vendorId: z.string().nullable().describe("The vendor whose events it takes (a vendor's endpoint)"),
    partnerId: z.string().nullable().describe("The partner whose events it takes (a partner's endpoint)"),
    url: z.string(),
    description: z.string(),
    events: z.array(EventType),
    status: z.enum(['active', 'disabled']),
    consecutiveFailures: z.number().int(),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    previousSecretValidUntil: z
      .string()
      .nullable()
      .describe("After a rotation: until when the previous secret's signature is sent too"),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    startedAt: z.string(),
    durationMs: z.number().int(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    succeeded: z.boolean(),
  })
  .meta({ id: 'WebhookAttempt' });

const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().describe('The event id (Trellis-Event-Id): the same on every attempt and redelivery'),
    endpointId: z.string(),
    type: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    log: z.array(AttemptSchema),
  })
  .meta({ id: 'WebhookDelivery' });

// --- the events, one schema each (the body POSTed to an endpoint) -------------------------------------

const Money = { totalMinor: z.number().int(), currency: z.string() };
const StatementData = z.object({
  statementId: z.string(),
  partnerId: z.string(),
  programId: z.string(),
  period: z.string(),
  sequence: z.number().int(),
  ...Money,
});

function envelope<T extends (typeof WEBHOOK_EVENT_TYPES)[number], D extends z.ZodType>(
  type: T,
  id: string,
  description: string,
  data: D,
) {
  return z
    .object({
      id: z.string().describe('The event id: de-duplicate on it (a delivery may come more than once)'),
      type: z.literal(type),
      createdAt: z.string(),
      vendorId: z
        .string()
        .nullable()
        .describe("The vendor the event is about; null only in a partner endpoint's webhook.test"),
      partnerId: z
        .string()
        .nullable()
        .describe("The partner this copy is for (a partner's endpoint); null: the vendor's copy"),
      data,
    })
    .meta({ id, description });
}

export const WebhookEventSchema = z
  .discriminatedUnion('type', [
    envelope(
      'deal.submitted',
      'WebhookDealSubmitted',
      'A deal registration was submitted.',
      z.object({ dealId: z.string(), partnerId: z.string(), customerName: z.string(), status: z.string() }),
    ),
    envelope(
      'deal.decided',
      'WebhookDealDecided',
      'A deal registration was approved (also automatically), rejected, or its extension decided.',
      z.object({
        dealId: z.string(),
        partnerId: z.string(),
        customerName: z.string(),
        decision: z.enum(['approved', 'rejected', 'extended', 'extension-refused']),
        protectedUntil: z.string().nullable(),
        reasonCode: z.string().nullable(),
      }),
    ),
    envelope(
      'order.accepted',
      'WebhookOrderAccepted',
      "An order was accepted. A partner's copy names only that partner (its role); the vendor's names both.",
      z.object({
        orderId: z.string(),
        source: z.string(),
        externalId: z.string(),
        orderDate: z.string(),
        customerId: z.string(),
        ...Money,
        partnerId: z.string().nullable(),
        role: z.enum(['reseller', 'distributor']).nullable(),
        resellerId: z.string().nullable(),
        distributorId: z.string().nullable(),
      }),
    ),
    envelope(
      'import.completed',
      'WebhookImportCompleted',
      'A bulk order import stored orders: one event per import, not one per order.',
      z.object({
        name: z.string(),
        variant: z.string(),
        partnerId: z.string().nullable(),
        ordersCreated: z.number().int(),
        ordersReplayed: z.number().int(),
        ordersRejected: z.number().int(),
        ordersRouted: z.number().int(),
        linesCreated: z.number().int(),
      }),
    ),
    envelope(
      'offer.made',
      'WebhookOfferMade',
      'A routed customer order was offered to a partner.',
      z.object({
        offerId: z.string(),
        routedOrderId: z.string(),
        partnerId: z.string(),
        deadline: z.string(),
      }),
    ),
    envelope(
      'statement.issued',
      'WebhookStatementIssued',
      'A statement was issued to a partner.',
      StatementData,
    ),
    envelope('statement.paid', 'WebhookStatementPaid', 'A statement was paid.', StatementData),
    envelope(
      'dispute.decided',
      'WebhookDisputeDecided',
      'A dispute was accepted (with the amount adjusted) or rejected.',
      z.object({
        disputeId: z.string(),
        statementId: z.string(),
        partnerId: z.string(),
        decision: z.enum(['accepted', 'rejected']),
        amountMinor: z.number().int().nullable(),
        currency: z.string(),
      }),
    ),
    envelope(
      'tier.changed',
      'WebhookTierChanged',
      "A partner's tier changed (or it entered the program).",
      z.object({
        programId: z.string(),
        partnerId: z.string(),
        from: z.string().nullable(),
        to: z.string(),
        validFrom: z.string(),
        direction: z.enum(['up', 'down', 'new']),
      }),
    ),
    envelope(
      'mdf.activity.decided',
      'WebhookMdfActivityDecided',
      'A market development activity was pre-approved (amountMinor: in full or in part) or refused (with its reason).',
      z.object({
        activityId: z.string(),
        programId: z.string(),
        partnerId: z.string(),
        decision: z.enum(['preapproved', 'refused']),
        amountMinor: z.number().int().nullable(),
        requestedMinor: z.number().int(),
        currency: z.string(),
        reason: z.string().nullable(),
        claimDeadline: z.string(),
      }),
    ),
    envelope(
      'claim.decided',
      'WebhookClaimDecided',
      'An MDF claim was approved (paid from its fund and posted to the ledger) or rejected (with its reason; the partner may claim again until the deadline).',
      z.object({
        activityId: z.string(),
        programId: z.string(),
        partnerId: z.string(),
        claimSeq: z.number().int(),
        decision: z.enum(['approved', 'rejected']),
        claimedMinor: z.number().int(),
        amountMinor: z.number().int().nullable(),
        currency: z.string(),
        reason: z.string().nullable(),
        ledgerTransactionId: z.string().nullable(),
      }),
    ),
    envelope(
      'webhook.test',
      'WebhookTest',
      'A test event an admin sent to one endpoint.',
      z.object({ endpointId: z.string(), message: z.string() }),
    ),
  ])
  .meta({
    id: 'WebhookEvent',
    description: 'The JSON body Trellis POSTs to an endpoint (docs/webhooks.md).',
  });

const Url = z
  .string()
  .min(1)
  .max(2000)
  .describe('http:// or https://; not this server nor a private address');
const Events = z.array(EventType).min(1).max(WEBHOOK_EVENT_TYPES.length);
const Params = z.object({ webhookId: ID });
const DeliveryParams = z.object({ deliveryId: ID });

export const webhookRoutes: RouteModule = (app, ctx) => {
  const who = (request: Parameters<typeof actorOf>[0]) => ({
    actor: actorOf(request),
    scope: request.scope,
    requestId: request.id,
  });

  app.get(
    '/api/webhooks',
    {
      config: { access: { resource: 'webhook', action: 'read' } },
      schema: {
        tags: ['webhooks'],
        summary: "My vendor's or partner's webhook endpoints (secrets are never shown)",
        response: { 200: z.object({ items: z.array(EndpointSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await listWebhookEndpoints(ctx, request.scope) }),
  );

  app.post(
    '/api/webhooks',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint; its signing secret is shown once',
        body: z.object({
          url: Url,
          description: z.string().max(200).optional(),
          events: Events,
        }),
        response: {
          201: z.object({
            secret: z.string().describe('Verify Trellis-Signature with it. Not shown again.'),
            endpoint: EndpointSchema,
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhookEndpoint(ctx, who(request), request.body)),
  );

  app.get(
    '/api/webhooks/:webhookId',
    {
      config: { access: { resource: 'webhook', action: 'read' } },
      schema: {
        tags: ['webhooks'],
        summary: 'One webhook endpoint',
        params: Params,
        response: { 200: EndpointSchema, ...errors },
      },
    },
    (request) => getWebhookEndpoint(ctx, request.scope, request.params.webhookId),
  );

  app.put(
    '/api/webhooks/:webhookId',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Change an endpoint (only the fields sent); status=active enables a disabled one again',
        params: Params,
        body: z.object({
          url: Url.optional(),
          description: z.string().max(200).optional(),
          events: Events.optional(),
          status: z.enum(['active', 'disabled']).optional(),
        }),
        response: { 200: EndpointSchema, 409: ProblemSchema, ...errors },
      },
    },
    (request) => updateWebhookEndpoint(ctx, who(request), request.params.webhookId, request.body),
  );

  app.delete(
    '/api/webhooks/:webhookId',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Delete an endpoint and its delivery log',
        params: Params,
        response: { 200: z.object({ id: z.string(), deleted: z.literal(true) }), ...errors },
      },
    },
    (request) => deleteWebhookEndpoint(ctx, who(request), request.params.webhookId),
  );

  app.post(
    '/api/webhooks/:webhookId/rotate-secret',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary:
          'A new signing secret, shown once; the previous one keeps signing (both sent) for graceHours (default 24)',
        params: Params,
        body: z.object({ graceHours: z.number().int().min(0).max(168).optional() }),
        response: {
          200: z.object({ secret: z.string(), endpoint: EndpointSchema }),
          409: ProblemSchema,
          ...errors,
        },
      },
    },
    (request) => rotateWebhookSecret(ctx, who(request), request.params.webhookId, request.body),
  );

  app.post(
    '/api/webhooks/:webhookId/test',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a webhook.test event to this endpoint (delivered by the next dispatcher pass)',
        params: Params,
        response: { 201: DeliverySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sendTestWebhook(ctx, who(request), request.params.webhookId)),
  );

  app.get(
    '/api/webhooks/:webhookId/deliveries',
    {
      config: { access: { resource: 'webhook', action: 'read' } },
      schema: {
        tags: ['webhooks'],
        summary: "An endpoint's deliveries, newest first, each with its attempts (the delivery log)",
        params: Params,
        querystring: z.object({
          status: z.enum(['pending', 'succeeded', 'failed']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(DeliverySchema) }), ...errors },
      },
    },
    async (request) => ({
      items: await listWebhookDeliveries(ctx, request.scope, request.params.webhookId, request.query),
    }),
  );

  app.get(
    '/api/webhook-deliveries/:deliveryId',
    {
      config: { access: { resource: 'webhook', action: 'read' } },
      schema: {
        tags: ['webhooks'],
        summary: 'One delivery, its attempts and the event as sent',
        params: DeliveryParams,
        response: { 200: DeliverySchema.extend({ event: WebhookEventSchema }), ...errors },
      },
    },
    async (request) => (await getWebhookDelivery(ctx, request.scope, request.params.deliveryId)) as never,
  );

  app.post(
    '/api/webhook-deliveries/:deliveryId/redeliver',
    {
      config: { access: { resource: 'webhook', action: 'manage' } },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again (same event id), by the next dispatcher pass',
        params: DeliveryParams,
        response: { 200: DeliverySchema, 409: ProblemSchema, ...errors },
      },
    },
    (request) => redeliverWebhook(ctx, who(request), request.params.deliveryId),
  );
};
