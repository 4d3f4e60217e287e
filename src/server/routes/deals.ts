import { z } from 'zod';
import { resolveDealFlag } from '../../app/deals/abuse.js';
import { checkDealHint } from '../../app/deals/deal-hint.js';
import { dealReasons, getDeal, listDealFlags, listDeals } from '../../app/deals/deal-queries.js';
import {
  createDeal,
  DEAL_REVIEW_ACTIONS,
  editDeal,
  partnerDealAction,
  reviewDeal,
  reviewDeals,
  submitDeal,
} from '../../app/deals/deals.js';
import { DEAL_STATUSES } from '../../core/deals/lifecycle.js';
import { SEGMENTS } from '../../core/model/geography.js';
import { actorOf } from '../access.js';
import { Country, ID, IsoDate, MessageSchema, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const CustomerSchema = z.object({
  name: z.string().describe("The end customer's legal name, as the partner knows it"),
  domain: z.string().nullable(),
  addressLine: z.string().nullable(),
  city: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string(),
  region: z.string(),
  segment: z.string(),
});

const DealLineSchema = z.object({
  lineNo: z.number().int(),
  family: z.string(),
  amountMinor: z.number().int(),
  productId: z.string().nullable(),
  quantity: z.number().int().nullable(),
  description: z.string().nullable(),
});

const EventSchema = z.object({
  at: z.string().describe('UTC instant'),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  by: z.string().describe('partner, vendor or system'),
  actorType: z.string().optional().describe('Vendors only'),
  actorId: z.string().nullable().optional().describe('Vendors only'),
  reasonCode: z.string().nullable(),
  note: z.string().nullable(),
});

const DealSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    programId: z.string(),
    partnerId: z.string(),
    ownerPersonId: z.string().nullable(),
    status: z.enum(DEAL_STATUSES),
    customer: CustomerSchema,
    currency: z.string(),
    totalMinor: z.number().int(),
    lines: z.array(DealLineSchema),
    expectedCloseDate: z.string(),
    description: z.string(),
    externalRef: z.string().nullable(),
    submittedAt: z.string().nullable(),
    reviewDueAt: z.string().nullable().describe('When the vendor must have reviewed it (the program SLA)'),
    approvedOn: z.string().nullable(),
    protectedUntil: z.string().nullable().describe('Last protected day (inclusive, UTC)'),
    protectionDaysLeft: z.number().int().nullable(),
    extensionsGranted: z.number().int(),
    extensionRequestedAt: z.string().nullable(),
    reasonCode: z.string().nullable().describe('Why it was rejected (from the program list)'),
    reasonText: z.string().nullable(),
    wonOrderId: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    // The vendor's view only.
    customerId: z.string().nullable().optional(),
    slaBreached: z.boolean().optional(),
    slaBreachedAt: z.string().nullable().optional(),
    escalated: z.boolean().optional(),
    decidedBy: z.string().nullable().optional(),
    decidedAt: z.string().nullable().optional(),
    sequence: z.number().int().nullable().optional(),
    partnerName: z.string().nullable().optional().describe('Vendors only'),
  })
  .meta({ id: 'DealRegistration' });

const EvidenceSchema = z
  .looseObject({
    field: z.string(),
    score: z.number().describe("The field's own similarity, 0..1"),
    detail: z
      .string()
      .optional()
      .describe(
        "A sentence a channel manager can read; absent when the other record is outside the reviewer's regions",
      ),
    detailMessage: MessageSchema.nullable()
      .optional()
      .describe(
        "The detail as a message the app renders in the reader's language; null for evidence stored before messages, absent with the detail",
      ),
  })
  .meta({ id: 'ConflictEvidence' });

/** What a conflict matched: a name, and what else is known of the customer or direct account. */
const OtherPartySchema = z
  .looseObject({
    id: z.string().optional(),
    name: z.string(),
    domain: z.string().nullable().optional(),
    country: z.string().optional(),
    region: z.string().optional(),
    segment: z.string().optional(),
    addressLine: z.string().nullable().optional(),
    city: z.string().nullable().optional(),
    postalCode: z.string().nullable().optional(),
  })
  .meta({ id: 'ConflictParty' });

const ConflictSchema = z.object({
  id: z.string(),
  kind: z.string().describe('registration, customer or named-account'),
  otherId: z.string(),
  score: z.number(),
  decision: z.string().describe('match or possible'),
  status: z.string().describe('open, confirmed or dismissed'),
  evidence: z.array(EvidenceSchema).describe('Which fields matched, with what scores'),
  other: z
    .union([DealSchema.loose(), OtherPartySchema])
    .nullable()
    .describe(
      "What it matched: the other registration, the customer or the direct account; null when it is outside the reviewer's regions",
    ),
});

const DealDetailSchema = DealSchema.extend({
  history: z.array(EventSchema),
  conflicts: z.array(ConflictSchema).optional().describe("The vendor's reviewers only"),
  laterConflicts: z
    .array(
      z.object({
        id: z.string(),
        registrationId: z.string(),
        score: z.number(),
        decision: z.string(),
        status: z.string(),
        evidence: z.array(EvidenceSchema),
        other: DealSchema.loose().nullable().describe('The later registration'),
      }),
    )
    .optional()
    .describe("The vendor's reviewers only: later registrations that ran into this one"),
}).meta({ id: 'DealRegistrationDetail' });

const SubmitResultSchema = z.object({
  outcome: z
    .enum(['draft', 'submitted', 'conflict'])
    .describe(
      "conflict: an earlier registration (or one of the vendor's direct accounts) covers this customer; nothing else is said about it",
    ),
  deal: DealSchema,
});

const Text = z.string().max(2000);
const RegistrationBody = z.object({
  customer: z.object({
    name: z.string().min(1).max(200),
    domain: z.string().max(253).nullable().optional(),
    addressLine: z.string().max(200).nullable().optional(),
    city: z.string().max(200).nullable().optional(),
    postalCode: z.string().max(32).nullable().optional(),
    country: Country,
    region: z.string().max(16).nullable().optional().describe('Derived from the country when absent'),
    segment: z.enum(SEGMENTS),
  }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  lines: z
    .array(
      z.object({
        family: z.string().min(1).max(64),
        amountMinor: z.number().int(),
        productId: ID.nullable().optional(),
        quantity: z.number().int().nullable().optional(),
        description: Text.nullable().optional(),
      }),
    )
    .min(1)
    .max(100),
  expectedCloseDate: IsoDate,
  description: Text,
});

const FlagSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    partnerId: z.string(),
    registrationId: z.string().nullable(),
    orderId: z.string().nullable(),
    rule: z.string().describe('customer-mismatch, sold-by-other or many-unsold (src/core/deals/README.md)'),
    evidence: z.record(z.string(), z.unknown()),
    status: z.string(),
    resolution: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'DealFlag' });

export const dealRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/deals',
    {
      config: { access: { resource: 'deal', action: 'write' } },
      schema: {
        tags: ['deals'],
        summary:
          'Register an opportunity with a program (partner admins and sales reps): submitted at once unless submit is false. First to register is protected; a later registration of the same customer gets outcome "conflict" and learns nothing else',
        body: RegistrationBody.extend({
          programId: z.string().min(1).max(64).describe('Program id or code'),
          submit: z.boolean().optional(),
          externalRef: z.string().min(1).max(128).nullable().optional().describe('Your CRM opportunity id'),
        }),
        response: { 201: SubmitResultSchema, 429: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const r = await createDeal(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        {
          ...request.body,
          requestId: request.id,
        },
      );
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/api/deals/check',
    {
      config: { access: { resource: 'deal', action: 'write' } },
      schema: {
        tags: ['deals'],
        summary:
          'Live hint while registering: may a registration already cover this customer? Says only yes or no (never whose), counts against the daily conflict checks and is audited',
        body: z.object({
          programId: z.string().min(1).max(64),
          customer: RegistrationBody.shape.customer.partial({ segment: true }),
        }),
        response: {
          200: z.object({
            hint: z.enum(['clear', 'may-be-covered', 'yours']),
            yourRegistrationId: z.string().nullable(),
            checksLeftToday: z.number().int(),
          }),
          429: ProblemSchema,
          ...errors,
        },
      },
    },
    (request) =>
      checkDealHint(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        { ...request.body, requestId: request.id },
      ),
  );

  app.get(
    '/api/deals',
    {
      config: { access: { resource: 'deal', action: 'read' } },
      schema: {
        tags: ['deals'],
        summary:
          "Registrations: a partner's own (a sales rep's, those it owns); the vendor's review queue (sort=reviewDueAt, status=submitted,under-review)",
        querystring: pageQuery(
          ['createdAt', 'reviewDueAt', 'expectedCloseDate', 'total', 'protectedUntil'] as const,
          'createdAt',
        ).extend({
          vendor: ID.optional(),
          program: ID.optional(),
          partner: ID.optional(),
          customer: ID.optional(),
          status: z
            .string()
            .max(200)
            .optional()
            .describe(`Comma-separated: ${DEAL_STATUSES.join(', ')}`),
          breached: z.enum(['true', 'false']).optional().describe('Reviews past their SLA'),
          expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
          extensionRequested: z.enum(['true', 'false']).optional(),
          q: z.string().max(200).optional().describe('Part of the customer name'),
        }),
        response: { 200: pageOf(DealSchema), ...errors },
      },
    },
    (request) => {
      const {
        vendor,
        program,
        partner,
        customer,
        status,
        breached,
        expiringWithinDays,
        extensionRequested,
        q,
        ...page
      } = request.query;
      return listDeals(
        ctx,
        request.scope,
        {
          vendor,
          program,
          partner,
          customer,
          status,
          breached: breached === 'true' ? true : undefined,
          expiringWithinDays,
          extensionRequested: extensionRequested === undefined ? undefined : extensionRequested === 'true',
          q,
        },
        page,
      );
    },
  );

  app.get(
    '/api/deals/:dealId',
    {
      config: { access: { resource: 'deal', action: 'read' } },
      schema: {
        tags: ['deals'],
        summary:
          'One registration with its lines and immutable history; the vendor also sees the conflicts found on submission, side by side with their evidence',
        params: z.object({ dealId: ID }),
        response: { 200: DealDetailSchema, ...errors },
      },
    },
    (request) => getDeal(ctx, request.scope, request.params.dealId),
  );

  app.put(
    '/api/deals/:dealId',
    {
      config: { access: { resource: 'deal', action: 'write' } },
      schema: {
        tags: ['deals'],
        summary: 'Edit a draft, or a registration the vendor sent back for more information',
        params: z.object({ dealId: ID }),
        body: RegistrationBody,
        response: { 200: DealSchema, ...errors },
      },
    },
    (request) =>
      editDeal(ctx, { actor: actorOf(request), scope: request.scope }, request.params.dealId, {
        ...request.body,
        requestId: request.id,
      }),
  );

  app.post(
    '/api/deals/:dealId/submit',
    {
      config: { access: { resource: 'deal', action: 'write' } },
      schema: {
        tags: ['deals'],
        summary: 'Submit a draft (or re-submit after more information was asked for)',
        params: z.object({ dealId: ID }),
        response: { 200: SubmitResultSchema, 429: ProblemSchema, ...errors },
      },
    },
    (request) =>
      submitDeal(ctx, { actor: actorOf(request), scope: request.scope }, request.params.dealId, request.id),
  );

  for (const action of ['request-extension', 'withdraw', 'lose'] as const)
    app.post(
      `/api/deals/:dealId/${action}`,
      {
        config: { access: { resource: 'deal', action: 'write' } },
        schema: {
          tags: ['deals'],
          summary:
            action === 'request-extension'
              ? 'Ask for more protection days (the program allows a number of extensions, each reviewed)'
              : action === 'withdraw'
                ? 'Withdraw the registration (frees the customer)'
                : 'Mark the opportunity lost (frees the customer)',
          params: z.object({ dealId: ID }),
          body: z.object({ text: Text.optional() }).default({}),
          response: { 200: DealSchema, ...errors },
        },
      },
      (request) =>
        partnerDealAction(ctx, { actor: actorOf(request), scope: request.scope }, request.params.dealId, {
          action,
          text: (request.body as { text?: string } | undefined)?.text,
          requestId: request.id,
        }),
    );

  const ReviewBody = z.object({
    action: z.enum(DEAL_REVIEW_ACTIONS),
    reasonCode: z
      .string()
      .max(64)
      .optional()
      .describe('Required to reject or refuse an extension: GET /api/deals/reasons'),
    text: Text.optional().describe(
      'What the partner reads: required to reject, refuse or ask for information',
    ),
  });

  app.post(
    '/api/deals/:dealId/review',
    {
      config: { access: { resource: 'deal', action: 'manage' } },
      schema: {
        tags: ['deals'],
        summary:
          'Review a registration (vendor admins and channel managers): start-review, request-info, approve (protection starts), reject with a reason code and text, grant-extension, refuse-extension, lose',
        params: z.object({ dealId: ID }),
        body: ReviewBody,
        response: { 200: DealSchema, ...errors },
      },
    },
    (request) =>
      reviewDeal(ctx, { actor: actorOf(request), scope: request.scope }, request.params.dealId, {
        ...request.body,
        requestId: request.id,
      }),
  );

  app.post(
    '/api/deals/review',
    {
      config: { access: { resource: 'deal', action: 'manage' } },
      schema: {
        tags: ['deals'],
        summary:
          'Review several registrations at once (bulk): each is decided on its own; one that cannot move is reported and the others go ahead',
        body: ReviewBody.extend({ ids: z.array(ID).min(1).max(500) }),
        response: {
          200: z.object({
            done: z.number().int(),
            failed: z.number().int(),
            results: z.array(
              z.object({
                id: z.string(),
                ok: z.boolean(),
                status: z.string().optional(),
                error: z.string().optional(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    (request) => {
      const { ids, ...input } = request.body;
      return reviewDeals(ctx, { actor: actorOf(request), scope: request.scope }, ids, {
        ...input,
        requestId: request.id,
      });
    },
  );

  app.get(
    '/api/deals/reasons',
    {
      config: { access: { resource: 'deal', action: 'read' } },
      schema: {
        tags: ['deals'],
        summary: "The reason codes of a program's rejections, with their labels",
        querystring: z.object({ program: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            items: z.array(z.object({ code: z.string(), label: z.string(), builtIn: z.boolean() })),
          }),
          ...errors,
        },
      },
    },
    (request) => dealReasons(ctx, request.scope, request.query.program),
  );

  app.get(
    '/api/deal-flags',
    {
      config: { access: { resource: 'deal-flag', action: 'read' } },
      schema: {
        tags: ['deals'],
        summary: "The vendor's abuse queue: each flag names its rule and carries its evidence",
        querystring: pageQuery(['createdAt'] as const, 'createdAt').extend({
          status: z.enum(['open', 'confirmed', 'dismissed']).optional(),
          rule: z.string().max(64).optional(),
          partner: ID.optional(),
        }),
        response: { 200: pageOf(FlagSchema), ...errors },
      },
    },
    (request) => {
      const { status, rule, partner, ...page } = request.query;
      return listDealFlags(ctx, request.scope, { status, rule, partner }, page);
    },
  );

  app.post(
    '/api/deal-flags/:flagId/resolve',
    {
      config: { access: { resource: 'deal-flag', action: 'manage' } },
      schema: {
        tags: ['deals'],
        summary: 'Close an abuse flag: confirm or dismiss, saying what was found',
        params: z.object({ flagId: ID }),
        body: z.object({ decision: z.enum(['confirm', 'dismiss']), text: z.string().min(1).max(2000) }),
        response: { 200: FlagSchema, ...errors },
      },
    },
    (request) =>
      resolveDealFlag(ctx, { actor: actorOf(request), scope: request.scope }, request.params.flagId, {
        ...request.body,
        requestId: request.id,
      }),
  );
};
