import { z } from 'zod';
import { getAgreement, giveNotice, listAgreements } from '../../app/agreements/agreements.js';
import { AGREEMENT_STATUSES, NOTICE_REASONS } from '../../core/agreements/life-cycle.js';
import { authorize } from '../../core/access/policy.js';
import { actorOf } from '../access.js';
import { IsoDate, MessageSchema, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

/** An agreement's id (agr_...) or its code (dell-vmware-commercial-framework-2021). */
const AgreementRef = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'is not an agreement id or code')
  .describe('The agreement id or code');

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const NoticeSchema = z
  .object({
    noticeDate: z.string().describe('The day notice was given'),
    by: z.string().describe("The party's vendor slug"),
    reason: z.string().describe('change-of-control, convenience (or breach, mutual from a file)'),
    effectiveDate: z
      .string()
      .describe(
        'The first day no longer in force: notice date + notice days; no cross-vendor accrual counts from it',
      ),
    note: z.string().nullable(),
  })
  .meta({ id: 'AgreementNotice' });

const AgreementSummarySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    status: z
      .enum(AGREEMENT_STATUSES)
      .describe('On `asOf`: draft (not yet in force), active, notice-given, terminated, ended'),
    asOf: z.string(),
    signed: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    term: z.string().describe('ISO 8601 duration, e.g. P5Y'),
    parties: z.array(
      z.object({
        vendorId: z
          .string()
          .nullable()
          .describe(
            "The party's vendor id when the caller may see that vendor (its own; a partner's enrolled vendors)",
          ),
        slug: z.string(),
        name: z.string(),
        role: z.string(),
        programs: z.array(z.string()).describe('Codes of the programs the party binds'),
      }),
    ),
    notice: NoticeSchema.nullable(),
    accrualsThrough: z
      .string()
      .nullable()
      .describe(
        'Last day on which cross-vendor accruals count: min(term end, termination effective - 1 day)',
      ),
  })
  .meta({ id: 'AgreementSummary' });

const AgreementDetailSchema = AgreementSummarySchema.extend({
  terms: z.object({
    noticeDays: z.number().int(),
    changeOfControl: z.object({ allowsTermination: z.boolean(), description: z.string().nullable() }),
    convenience: z.object({ allowsTermination: z.boolean(), description: z.string().nullable() }),
    continuity: z.object({
      enabled: z.boolean(),
      programs: z.array(z.string()).describe('Programs whose tiers and benefits partners keep'),
      crossCredit: z.array(
        z.object({
          from: z.string(),
          to: z.string(),
          sharePpm: z.number().int().describe('Share of the purchase credited, in ppm (1000000 = 100%)'),
          description: z.string().nullable(),
        }),
      ),
    }),
    solutionReward: z
      .object({
        pointsPpm: z.number().int(),
        window: z.string(),
        requires: z.array(z.object({ vendor: z.string(), families: z.array(z.string()) })),
        funding: z.array(z.object({ vendor: z.string(), basisPoints: z.number().int() })),
      })
      .nullable(),
  }),
  events: z.array(
    z.object({
      kind: z.string().describe('published or notice'),
      onDay: z.string(),
      sentence: z.string(),
      sentenceMessage: MessageSchema.nullable().describe(
        'The sentence as a message the app translates (null for events recorded before messages)',
      ),
      at: z.string(),
    }),
  ),
  canGiveNotice: z
    .boolean()
    .describe("Whether the caller may give notice now (a party's vendor admin, once, in force)"),
  yourFunding: z
    .object({ basisPoints: z.number().int() })
    .nullable()
    .describe("Vendors: the caller's part of the solution reward's funding"),
  rewards: z
    .array(
      z.object({
        id: z.string(),
        partnerId: z.string(),
        vendorId: z.string().describe('The funding party'),
        completedOn: z.string(),
        programId: z.string(),
        period: z.string(),
        currency: z.string(),
        shareMinor: z.number().int().describe("The funding party's share"),
        basisPoints: z.number().int(),
        rewardMinor: z
          .number()
          .int()
          .nullable()
          .describe("The set's whole reward: partners only (null for vendors)"),
        explanation: z.string().describe("Names only the funding party's own lines"),
        explanationMessage: MessageSchema.nullable().describe(
          'The explanation as a message the app translates (null for rewards posted before messages)',
        ),
      }),
    )
    .describe('Vendors: the shares they funded; partners: their own rewards (latest 100)'),
  rewardTotals: z.array(
    z.object({ currency: z.string(), totalMinor: z.number().int(), shares: z.number().int() }),
  ),
}).meta({ id: 'AgreementDetail' });

export const agreementRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/agreements',
    {
      config: { access: { resource: 'agreement', action: 'read' } },
      schema: {
        tags: ['agreements'],
        summary:
          'Vendor agreements: a vendor sees those it is party to, a partner those binding programs it is enrolled in, each with its status on a day',
        querystring: z.object({
          asOf: IsoDate.optional().describe('Status on this day (default today)'),
          status: z.enum(AGREEMENT_STATUSES).optional(),
        }),
        response: { 200: z.object({ items: z.array(AgreementSummarySchema) }), ...errors },
      },
    },
    (request) => listAgreements(ctx, request.scope, request.query),
  );

  app.get(
    '/api/agreements/:agreementId',
    {
      config: { access: { resource: 'agreement', action: 'read' } },
      schema: {
        tags: ['agreements'],
        summary:
          "One agreement: terms, status, history, the caller's share of the funding and the rewards it funded (a partner: its own rewards)",
        params: z.object({ agreementId: AgreementRef }),
        querystring: z.object({ asOf: IsoDate.optional() }),
        response: { 200: AgreementDetailSchema, ...errors },
      },
    },
    (request) =>
      getAgreement(ctx, request.scope, request.params.agreementId, {
        asOf: request.query.asOf,
        canManage: authorize(actorOf(request), { resource: 'agreement', action: 'manage' }).allowed,
      }),
  );

  app.post(
    '/api/agreements/:agreementId/notice',
    {
      config: { access: { resource: 'agreement', action: 'manage' } },
      schema: {
        tags: ['agreements'],
        summary:
          "Gives notice of termination for the caller's vendor (a party's vendor admins; once; audited). Takes effect notice days after `date`; from that day no cross-vendor accrual counts",
        params: z.object({ agreementId: AgreementRef }),
        body: z.object({
          reason: z.enum(NOTICE_REASONS).describe('Allowed only when the agreement has the clause'),
          date: IsoDate.optional().describe(
            'The notice day (default today): within the term, not in the future',
          ),
          note: z.string().max(2000).nullable().optional(),
        }),
        response: { 200: AgreementDetailSchema, ...errors },
      },
    },
    (request) =>
      giveNotice(ctx, { actor: actorOf(request), scope: request.scope }, request.params.agreementId, {
        ...request.body,
        requestId: request.id,
      }),
  );
};
