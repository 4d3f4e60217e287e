import { z } from 'zod';
import {
  addNamedAccount,
  listNamedAccounts,
  removeNamedAccount,
} from '../../app/engagement/named-accounts.js';
import { acceptOffer, declineOffer, lapseOffers } from '../../app/engagement/offers.js';
import {
  getCoverage,
  getRouting,
  listCoverage,
  listOffers,
  listRouting,
} from '../../app/engagement/queries.js';
import { COVERAGE_STATUSES } from '../../core/engagement/coverage.js';
import { ROUTING_REASONS } from '../../core/engagement/routing.js';
import { ROUTING_STEPS } from '../../core/programs/types.js';
import { REGIONS } from '../../core/model/geography.js';
import { actorOf } from '../access.js';
import { Country, ID, IsoDate, MessageSchema, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { startJob } from '../../app/jobs/jobs.js';
import { TrellisError } from '../../core/shared/errors.js';
import { accepted, JobSchema } from './jobs.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const CoverageItemSchema = z
  .object({
    customerId: z.string(),
    customerName: z.string(),
    country: z.string(),
    region: z.string(),
    status: z.enum(COVERAGE_STATUSES),
    since: z.string().nullable(),
    through: z.string().nullable().describe('Last channel-exclusive day (inclusive)'),
    sentence: z.string().describe('Why the account has this coverage'),
    sentenceMessage: MessageSchema.nullable().describe('The sentence as a message the app translates'),
    lastPartnerId: z.string().nullable().optional().describe('Vendors only'),
    lastPartnerName: z.string().nullable().optional().describe('Vendors only'),
    lastChannelDate: z.string().nullable().optional().describe('Vendors only'),
    namedAccountId: z.string().nullable().optional().describe('Vendors only'),
    namedAccountName: z.string().nullable().optional().describe('Vendors only: the name it is listed under'),
    yourLastPurchase: z.string().nullable().optional().describe('Partners only: your own last sale to it'),
  })
  .meta({ id: 'Coverage' });

const CoverageDetailSchema = CoverageItemSchema.extend({
  history: z.array(
    z.object({
      onDay: z.string(),
      kind: z.string().describe('channel-exclusive, named, unnamed or open'),
      sentence: z.string(),
      sentenceMessage: MessageSchema.nullable().describe(
        'The sentence as a message; null when the stored text is none of the known sentences (an older event)',
      ),
      partnerId: z.string().nullable().optional(),
      orderId: z.string().nullable().optional(),
    }),
  ),
  sellers: z
    .array(
      z.object({
        partnerId: z.string(),
        partnerName: z.string(),
        role: z.string(),
        family: z.string(),
        firstOrderDate: z.string(),
        lastOrderDate: z.string(),
        lastOrderId: z.string(),
        ordersCount: z.number().int(),
      }),
    )
    .optional()
    .describe('Vendors only: who sold to it, per family'),
  routedOrders: z
    .array(
      z.object({
        id: z.string(),
        orderDate: z.string(),
        totalMinor: z.number().int(),
        currency: z.string(),
        reason: z.string(),
        status: z.string(),
      }),
    )
    .optional()
    .describe("Vendors only: the account's direct orders and what was decided"),
}).meta({ id: 'CoverageDetail' });

const NamedAccountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    country: z.string(),
    status: z.string().describe('active or removed'),
    source: z.string().describe('program (from the program file) or manual'),
    note: z.string().nullable(),
    addedBy: z.string(),
    addedAt: z.string(),
    removedBy: z.string().nullable(),
    removedAt: z.string().nullable(),
    removalReason: z.string().nullable(),
    matches: z
      .array(z.object({ customerId: z.string(), customerName: z.string(), score: z.number() }))
      .describe('The customers it was matched to (name variants included)'),
  })
  .meta({ id: 'NamedAccount' });

const RoutedOrderSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    source: z.string(),
    externalId: z.string(),
    customerId: z.string(),
    customerName: z.string(),
    region: z.string(),
    orderDate: z.string(),
    totalMinor: z.number().int(),
    currency: z.string(),
    coverageStatus: z.string(),
    reason: z.enum(ROUTING_REASONS),
    sentence: z.string(),
    sentenceMessage: MessageSchema.nullable().describe(
      'The sentence as a message; null for decisions recorded before messages existed',
    ),
    status: z.string().describe('direct, offered, booked-partner or booked-direct'),
    orderId: z.string().nullable(),
    bookedPartnerId: z.string().nullable(),
    bookedPartnerName: z.string().nullable(),
    openOffer: z
      .object({ partnerId: z.string(), partnerName: z.string(), deadline: z.string() })
      .nullable()
      .describe('The offer waiting for an answer: to whom, until when'),
    createdAt: z.string(),
  })
  .meta({ id: 'RoutedOrder' });

const OfferSchema = z
  .object({
    id: z.string(),
    routedOrderId: z.string(),
    vendorId: z.string(),
    vendorName: z.string(),
    partnerId: z.string(),
    partnerName: z.string().optional().describe('Vendors only'),
    rank: z.number().int().describe('1 = the first candidate'),
    status: z.string().describe('open, accepted, declined or lapsed'),
    offeredAt: z.string(),
    deadline: z.string().describe('Accept or decline before this instant'),
    answeredAt: z.string().nullable(),
    declineReason: z.string().nullable(),
    customerId: z.string(),
    customerName: z.string(),
    orderDate: z.string(),
    totalMinor: z.number().int(),
    currency: z.string(),
    lines: z.array(
      z.object({
        productId: z.string(),
        quantity: z.number().int(),
        unitPriceMinor: z.number().int(),
        currency: z
          .string()
          .describe("The unit price's currency: the order's as invoiced (the total is in the program's)"),
      }),
    ),
    why: z.string().describe('Why it was offered to this partner, from its own figures'),
    whyMessage: MessageSchema.nullable().describe(
      'The same as a message; null for decisions recorded before messages existed',
    ),
    orderId: z.string().nullable().describe('The booked order (the accepting partner and the vendor)'),
  })
  .meta({ id: 'Offer' });

/** The direct order as it was posted (src/core/orders/order-input.ts OrderInput). */
const RoutedOrderInputSchema = z
  .looseObject({
    source: z.string(),
    externalId: z.string(),
    orderDate: z.string(),
    currency: z.string(),
    customerId: z.string(),
    endUserName: z.string().optional(),
    channel: z.string(),
    resellerId: z.string().nullable().optional(),
    distributorId: z.string().nullable().optional(),
    dealRegistrationId: z.string().nullable().optional(),
    lines: z.array(
      z.looseObject({
        productId: z.string(),
        quantity: z.number(),
        unitPriceMinor: z.number(),
        returnsLineId: z.string().nullable().optional(),
      }),
    ),
  })
  .describe('The order as it was posted');

/** The recorded decision (src/core/engagement/routing.ts RoutingDecision, with the coverage it read). */
const RoutingDecisionSchema = z
  .looseObject({
    outcome: z.enum(['direct', 'route']),
    reason: z.enum(ROUTING_REASONS),
    sentence: z.string(),
    sentenceMessage: MessageSchema.optional().describe('The sentence as a message (recent decisions)'),
    criteria: z
      .array(z.enum(ROUTING_STEPS))
      .readonly()
      .describe("The ranking criteria in the program's order"),
    candidates: z.array(
      z.looseObject({
        partnerId: z.string(),
        name: z.string(),
        rank: z.number().int().describe('1 = offered first'),
        incumbent: z.boolean().describe('Sold to the customer within the exclusivity window'),
        values: z
          .record(z.string(), z.string())
          .describe("Each criterion's value, as a sentence fragment, by criterion"),
        valueMessages: z
          .record(z.string(), MessageSchema)
          .optional()
          .describe('The same values as messages (recent decisions)'),
        keys: z.array(z.number()).describe('The sort keys (higher is better), kept to replay the decision'),
        tiePosition: z.number().int().nullable(),
      }),
    ),
    considered: z.number().int().describe('Partners considered (the enrolled sellers)'),
    atCapacity: z.number().int().describe('Of those, left out for being at capacity'),
    rotation: z
      .looseObject({ counter: z.number().int(), tied: z.number().int(), start: z.number().int() })
      .nullable(),
    coverage: z
      .looseObject({
        status: z.enum(COVERAGE_STATUSES),
        since: z.string().nullable(),
        through: z.string().nullable(),
        sentence: z.string(),
        sentenceMessage: MessageSchema.optional(),
      })
      .optional()
      .describe("The customer's coverage on the order date, as the decision read it"),
  })
  .meta({
    id: 'RoutingDecision',
    description:
      'The decision: criteria, each candidate with the value of each criterion, rotation, coverage',
  });

const RoutedOrderDetailSchema = RoutedOrderSchema.extend({
  programId: z.string(),
  bookedAt: z.string().nullable(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  input: RoutedOrderInputSchema,
  decision: RoutingDecisionSchema,
  offers: z.array(OfferSchema),
}).meta({ id: 'RoutedOrderDetail' });

export const engagementRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/coverage',
    {
      config: { access: { resource: 'coverage', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary:
          "Coverage of the vendor's accounts (direct-named, channel-exclusive, open) with the sentence that explains each; a partner sees the accounts it sold to",
        querystring: pageQuery(['name', 'through'] as const, 'name').extend({
          vendor: ID.optional(),
          status: z.enum(COVERAGE_STATUSES).optional(),
          partner: ID.optional().describe('Accounts this partner sold to (vendors)'),
          region: z.enum(REGIONS).optional(),
          expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
          q: z.string().min(1).max(200).optional().describe('Part of the customer name'),
          asOf: IsoDate.optional().describe('Coverage on this day (default today)'),
        }),
        response: { 200: pageOf(CoverageItemSchema), ...errors },
      },
    },
    (request) => {
      const { vendor, status, partner, region, expiringWithinDays, q, asOf, ...page } = request.query;
      return listCoverage(
        ctx,
        request.scope,
        { vendor, status, partner, region, expiringWithinDays, q, asOf },
        page,
      );
    },
  );

  app.get(
    '/api/coverage/:customerId',
    {
      config: { access: { resource: 'coverage', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary:
          "One account's coverage with its history (and, for the vendor, who sold to it and its routed orders)",
        params: z.object({ customerId: ID }),
        querystring: z.object({ asOf: IsoDate.optional() }),
        response: { 200: CoverageDetailSchema, ...errors },
      },
    },
    (request) => getCoverage(ctx, request.scope, request.params.customerId, request.query.asOf),
  );

  app.post(
    '/api/coverage/rebuild',
    {
      config: { access: { resource: 'coverage', action: 'manage' } },
      schema: {
        tags: ['engagement'],
        summary:
          "Recomputes who sold to whom and every account's coverage from the vendor's stored orders (after an upgrade from before migration 0015, or a bulk load), as a background job: 202 with the job (Location: /api/jobs/{id})",
        body: z.object({}).optional(),
        response: { 202: JobSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (request.scope.kind !== 'vendor')
        throw new TrellisError('forbidden', 'only a vendor rebuilds its coverage');
      const job = await startJob(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id },
        'coverage-rebuild',
        { vendorId: request.scope.vendorId },
        { vendorId: request.scope.vendorId },
      );
      const { location, body } = accepted(job);
      return reply.status(202).header('location', location).send(body);
    },
  );

  app.get(
    '/api/named-accounts',
    {
      config: { access: { resource: 'named-account', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary:
          "The vendor's direct-named accounts (served directly), with the customers each was matched to",
        querystring: z.object({
          vendor: ID.optional(),
          status: z.enum(['active', 'removed', 'all']).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(NamedAccountSchema),
            active: z.number().int(),
            maxCount: z.number().int().nullable().describe("The program's limit"),
          }),
          ...errors,
        },
      },
    },
    (request) => {
      const vendorId =
        request.scope.kind === 'vendor' ? request.scope.vendorId : (request.query.vendor ?? '');
      return listNamedAccounts(ctx, request.scope, request.query.vendor ?? vendorId, {
        status: request.query.status,
      });
    },
  );

  app.post(
    '/api/named-accounts',
    {
      config: { access: { resource: 'named-account', action: 'manage' } },
      schema: {
        tags: ['engagement'],
        summary:
          "Adds an account the vendor serves directly (vendor admins; audited). Refused past the program's maxCount",
        body: z.object({
          name: z.string().min(1).max(200),
          domain: z.string().max(253).nullable().optional(),
          country: Country,
          note: z.string().max(2000).nullable().optional(),
        }),
        response: { 201: NamedAccountSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const added = await addNamedAccount(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        { ...request.body, requestId: request.id },
      );
      return reply.status(201).send(added);
    },
  );

  app.post(
    '/api/named-accounts/:namedAccountId/remove',
    {
      config: { access: { resource: 'named-account', action: 'manage' } },
      schema: {
        tags: ['engagement'],
        summary: 'Removes an account from the direct-named list, with the reason (vendor admins; audited)',
        params: z.object({ namedAccountId: ID }),
        body: z.object({ reason: z.string().min(1).max(2000) }),
        response: { 200: NamedAccountSchema, ...errors },
      },
    },
    (request) =>
      removeNamedAccount(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        request.params.namedAccountId,
        {
          reason: request.body.reason,
          requestId: request.id,
        },
      ),
  );

  app.get(
    '/api/routing',
    {
      config: { access: { resource: 'routing', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary: "The routing log: every direct order's decision with its sentence (vendor readers)",
        querystring: pageQuery(['createdAt', 'orderDate'] as const, 'createdAt').extend({
          vendor: ID.optional(),
          status: z.enum(['direct', 'offered', 'booked-partner', 'booked-direct']).optional(),
          reason: z.enum(ROUTING_REASONS).optional(),
          customer: ID.optional(),
          partner: ID.optional().describe('Offered to or booked through this partner'),
        }),
        response: { 200: pageOf(RoutedOrderSchema), ...errors },
      },
    },
    (request) => {
      const { vendor, status, reason, customer, partner, ...page } = request.query;
      return listRouting(ctx, request.scope, { vendor, status, reason, customer, partner }, page);
    },
  );

  app.get(
    '/api/routing/:routedOrderId',
    {
      config: { access: { resource: 'routing', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary:
          'One decision: the candidates considered, the value of each criterion for each, why one was chosen, and its offers',
        params: z.object({ routedOrderId: ID }),
        response: { 200: RoutedOrderDetailSchema, ...errors },
      },
    },
    // The stored input and decision (JSON) are an OrderInput and a RoutingDecision, which the schemas
    // mirror; the response serializer checks them against the schemas.
    async (request) =>
      (await getRouting(ctx, request.scope, request.params.routedOrderId)) as unknown as z.infer<
        typeof RoutedOrderDetailSchema
      >,
  );

  app.post(
    '/api/routing/sweep',
    {
      config: { access: { resource: 'routing', action: 'manage' } },
      schema: {
        tags: ['engagement'],
        summary: 'Lapses offers past their deadline now (the server also does it every minute)',
        body: z.object({}).optional(),
        response: { 200: z.object({ lapsed: z.number().int() }), ...errors },
      },
    },
    async (request) => ({ lapsed: await lapseOffers(ctx, { scope: request.scope }) }),
  );

  app.get(
    '/api/offers',
    {
      config: { access: { resource: 'offer', action: 'read' } },
      schema: {
        tags: ['engagement'],
        summary:
          "A partner's offers inbox (routed direct orders to accept or decline), or the vendor's offers",
        querystring: pageQuery(['deadline', 'offeredAt'] as const, 'deadline').extend({
          vendor: ID.optional(),
          status: z.enum(['open', 'accepted', 'declined', 'lapsed']).optional(),
          partner: ID.optional().describe('Vendors only'),
        }),
        response: { 200: pageOf(OfferSchema), ...errors },
      },
    },
    (request) => {
      const { vendor, status, partner, ...page } = request.query;
      return listOffers(ctx, request.scope, { vendor, status, partner }, page);
    },
  );

  app.post(
    '/api/offers/:offerId/accept',
    {
      config: { access: { resource: 'offer', action: 'write' } },
      schema: {
        tags: ['engagement'],
        summary:
          'Accepts an offer before its deadline: the customer order is booked through you (or through your distributor) and earns what the program pays on partner orders',
        params: z.object({ offerId: ID }),
        body: z
          .object({ distributorId: ID.nullable().optional().describe('Book it through this distributor') })
          .optional(),
        response: {
          200: z.object({
            offerId: z.string(),
            status: z.literal('accepted'),
            orderId: z.string(),
            routedOrderId: z.string(),
          }),
          422: ProblemSchema,
          ...errors,
        },
      },
    },
    (request) =>
      acceptOffer(ctx, { actor: actorOf(request), scope: request.scope }, request.params.offerId, {
        distributorId: request.body?.distributorId ?? null,
        requestId: request.id,
      }),
  );

  app.post(
    '/api/offers/:offerId/decline',
    {
      config: { access: { resource: 'offer', action: 'write' } },
      schema: {
        tags: ['engagement'],
        summary:
          'Declines an offer with a reason: it goes to the next candidate (or direct when none is left)',
        params: z.object({ offerId: ID }),
        body: z.object({ reason: z.string().min(1).max(2000) }),
        response: { 200: z.object({ offerId: z.string(), status: z.literal('declined') }), ...errors },
      },
    },
    (request) =>
      declineOffer(ctx, { actor: actorOf(request), scope: request.scope }, request.params.offerId, {
        reason: request.body.reason,
        requestId: request.id,
      }),
  );
};
