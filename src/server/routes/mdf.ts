import { z } from 'zod';
import { startMdfExpiry } from '../../app/jobs/jobs.js';
import {
  claimMdfActivity,
  decideMdfActivity,
  linkMdfActivity,
  listMdfActivities,
  mdfActivityDetail,
  proposeActivity,
  withdrawMdfActivity,
} from '../../app/mdf/activities.js';
import { fundBalances, mdfUsage } from '../../app/mdf/funds.js';
import { ACTIVITY_STATUSES } from '../../core/mdf/activity.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { accepted, JobSchema } from './jobs.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = { ...errors, 409: ProblemSchema };

const Minor = z.number().int().describe('Minor units of the currency');
const Code = z.string().min(1).max(64);

const ActivitySchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    programId: z.string(),
    partnerId: z.string(),
    zone: z.string().describe('The program zone of the partner (the region reports group by)'),
    fund: z.string().describe("earned (the partner's earned MDF) or the code of a proposal fund"),
    fundPeriod: z.string().nullable().describe("A proposal fund's period (FY22-Q2 or FY22); null for earned"),
    quarter: z.string().describe("The fiscal quarter of the activity's start"),
    type: z.string(),
    title: z.string(),
    description: z.string(),
    expectedOutcome: z.object({
      text: z.string(),
      revenueMinor: Minor.nullable(),
      registrations: z.number().int().nullable(),
    }),
    startsOn: z.string(),
    endsOn: z.string(),
    currency: z.string(),
    requestedMinor: Minor,
    preapprovedMinor: Minor.nullable(),
    claimedMinor: Minor.nullable().describe('The amount of the last claim'),
    paidMinor: Minor.nullable(),
    status: z.enum(ACTIVITY_STATUSES),
    claimDeadline: z.string().describe('The last day a claim is taken'),
    claimSeq: z.number().int().describe('Claims made so far'),
    decisionReason: z.string().nullable().describe('Why it was refused, or the last claim rejected'),
    ledgerTransactionId: z.string().nullable().describe('The mdf-claim transaction of the paid claim'),
    version: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'MdfActivity' });

const ActivityDetailSchema = ActivitySchema.extend({
  typeName: z.string().nullable(),
  requiredProof: z.array(z.string()).describe('The proof kinds a claim of this type must attach'),
  deadline: z.object({ on: z.string(), passed: z.boolean(), daysLeft: z.number().int() }),
  history: z.array(
    z.object({
      seq: z.number().int(),
      action: z.string().describe('propose, preapprove, refuse, claim, approve, reject, withdraw, lapse'),
      status: z.string().describe('The status after the step'),
      day: z.string(),
      at: z.string(),
      actorId: z.string().nullable(),
      amountMinor: Minor.nullable(),
      reason: z.string().nullable(),
      claimSeq: z.number().int().nullable(),
    }),
  ),
  files: z.array(z.object({ claimSeq: z.number().int(), fileId: z.string(), kind: z.string() })),
  links: z.array(
    z.object({ kind: z.enum(['registration', 'order']), targetId: z.string(), createdAt: z.string() }),
  ),
  roi: z.object({
    registrations: z.number().int(),
    orders: z.number().int(),
    orderRevenueMinor: Minor,
    spentMinor: Minor,
    revenuePerSpent: z
      .number()
      .nullable()
      .describe('Linked order revenue per unit paid; null when nothing paid'),
  }),
}).meta({ id: 'MdfActivityDetail' });

const Amount = z.object({ on: z.string(), amountMinor: Minor });

const FundsSchema = z
  .object({
    programId: z.string(),
    partnerId: z.string().nullable(),
    zone: z.string().nullable(),
    asOf: z.string(),
    earned: z
      .object({
        currency: z.string(),
        earnedMinor: Minor.describe('Credited so far (usable from the end of the period earned in)'),
        availableMinor: Minor,
        reservedMinor: Minor.describe('Held for pre-approved activities not yet paid'),
        spentMinor: Minor,
        expiredMinor: Minor,
        expiring: z.array(Amount).describe('Available funds by the day they expire, soonest first'),
        expiringSoon: z.array(Amount).describe('Of those, the ones expiring within 90 days'),
        credits: z.array(
          z.object({
            id: z.string(),
            period: z.string(),
            component: z.string(),
            earnedOn: z.string(),
            expiresOn: z.string(),
            amountMinor: Minor,
          }),
        ),
        pending: Minor.describe('Accrued in periods not yet ended (usable when they end)'),
      })
      .nullable()
      .describe("The partner's earned MDF; null without a partner"),
    proposalFunds: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        per: z.enum(['quarter', 'year']),
        zones: z.array(z.string()),
        period: z.string(),
        currency: z.string(),
        amountMinor: Minor,
        reservedMinor: Minor,
        paidMinor: Minor,
        leftMinor: Minor,
      }),
    ),
    claimWithin: z.object({ months: z.number().int(), days: z.number().int() }).nullable(),
    activityTypes: z.array(z.object({ code: z.string(), name: z.string(), proof: z.array(z.string()) })),
  })
  .meta({ id: 'MdfFunds' });

const UsageSchema = z
  .object({
    vendorId: z.string(),
    programId: z.string().nullable(),
    items: z.array(
      z.object({
        zone: z.string(),
        quarter: z.string(),
        currency: z.string(),
        activities: z.number().int(),
        requestedMinor: Minor,
        approvedMinor: Minor.describe('Pre-approved'),
        paidMinor: Minor,
        expiredMinor: Minor.describe('Earned funds expired unused (by the quarter they expired in)'),
        registrations: z.number().int(),
        orders: z.number().int(),
        orderRevenueMinor: Minor,
        revenuePerSpent: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'MdfUsage' });

const Params = z.object({ activityId: ID });
const LinkBody = z.object({
  kind: z.enum(['registration', 'order']),
  targetId: ID.describe('The deal registration or order id'),
});

/** Market development funds (docs/marketing-funds.md). */
export const mdfRoutes: RouteModule = (app, ctx) => {
  const who = (request: Parameters<typeof actorOf>[0]) => ({
    actor: actorOf(request),
    scope: request.scope,
    requestId: request.id,
  });

  app.get(
    '/api/mdf/activities',
    {
      config: { access: { resource: 'mdf', action: 'read' } },
      schema: {
        tags: ['mdf'],
        summary: "MDF activities (a partner sees its own; a channel manager its regions')",
        querystring: pageQuery(['createdAt', 'startsOn', 'claimDeadline'] as const, 'createdAt').extend({
          status: z.enum(ACTIVITY_STATUSES).optional(),
          program: Code.optional().describe('Program id or code'),
          partner: ID.optional(),
          zone: Code.optional(),
          period: Code.optional().describe("A fiscal quarter (FY22-Q2) or a proposal fund's period"),
          fund: Code.optional().describe('earned or a proposal fund code'),
        }),
        response: { 200: pageOf(ActivitySchema), ...errors },
      },
    },
    (request) => {
      const { status, program, partner, zone, period, fund, ...page } = request.query;
      return listMdfActivities(
        ctx,
        request.scope,
        { status, programId: program, partnerId: partner, zone, period, fund },
        page,
      );
    },
  );

  app.post(
    '/api/mdf/activities',
    {
      config: { access: { resource: 'mdf', action: 'write' } },
      schema: {
        tags: ['mdf'],
        summary:
          'Propose an activity (partners): type, dates, amount, expected outcome, and the fund to pay it',
        body: z.object({
          programId: Code.describe('Program id or code'),
          type: Code.describe("One of the program's activity types"),
          title: z.string().min(1).max(200),
          description: z.string().max(4000).optional(),
          expectedOutcome: z.string().max(2000).optional(),
          expectedRevenueMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          expectedRegistrations: z.number().int().min(0).max(1_000_000).optional(),
          startsOn: IsoDate,
          endsOn: IsoDate,
          amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          fund: Code.optional().describe("earned (default) or a proposal fund open to the partner's zone"),
        }),
        response: { 201: ActivitySchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await proposeActivity(ctx, who(request), request.body)),
  );

  app.get(
    '/api/mdf/activities/:activityId',
    {
      config: { access: { resource: 'mdf', action: 'read' } },
      schema: {
        tags: ['mdf'],
        summary: 'One activity: its history, proof files, links, deadline and return (ROI)',
        params: Params,
        response: { 200: ActivityDetailSchema, ...errors },
      },
    },
    (request) => mdfActivityDetail(ctx, request.scope, request.params.activityId),
  );

  app.post(
    '/api/mdf/activities/:activityId/decisions',
    {
      config: { access: { resource: 'mdf', action: 'manage' } },
      schema: {
        tags: ['mdf'],
        summary:
          'Decide (vendors): preapprove (amountMinor: default the amount requested, at most what the fund has available today), refuse (reason), approve a claim (amountMinor: default the claim; posts mdf-claim), reject a claim (reason)',
        params: Params,
        body: z.object({
          action: z.enum(['preapprove', 'refuse', 'approve', 'reject']),
          amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
          reason: z.string().max(2000).optional(),
        }),
        response: { 200: ActivitySchema, ...writeErrors },
      },
    },
    (request) => decideMdfActivity(ctx, who(request), request.params.activityId, request.body),
  );

  app.post(
    '/api/mdf/activities/:activityId/claims',
    {
      config: { access: { resource: 'mdf', action: 'write' } },
      schema: {
        tags: ['mdf'],
        summary:
          'Claim (partners): after the activity ends, by its deadline, at most the pre-approved amount, with the proof its type requires (files uploaded with POST /api/files, each with its kind)',
        params: Params,
        body: z.object({
          amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          files: z
            .array(
              z.object({ fileId: ID, kind: Code.describe('The proof kind: invoice, attendee-list, ...') }),
            )
            .max(50),
        }),
        response: { 200: ActivitySchema, ...writeErrors },
      },
    },
    (request) => claimMdfActivity(ctx, who(request), request.params.activityId, request.body),
  );

  app.post(
    '/api/mdf/activities/:activityId/withdraw',
    {
      config: { access: { resource: 'mdf', action: 'write' } },
      schema: {
        tags: ['mdf'],
        summary: 'Withdraw an activity (partners): proposed, pre-approved or with a rejected claim',
        params: Params,
        response: { 200: ActivitySchema, ...writeErrors },
      },
    },
    (request) => withdrawMdfActivity(ctx, who(request), request.params.activityId),
  );

  app.post(
    '/api/mdf/activities/:activityId/links',
    {
      config: { access: { resource: 'mdf', action: 'write' } },
      schema: {
        tags: ['mdf'],
        summary: "Link a deal registration or an order of the partner's to the activity (its return)",
        params: Params,
        body: LinkBody,
        response: { 200: ActivityDetailSchema, ...writeErrors },
      },
    },
    (request) => linkMdfActivity(ctx, who(request), request.params.activityId, request.body),
  );

  app.delete(
    '/api/mdf/activities/:activityId/links',
    {
      config: { access: { resource: 'mdf', action: 'write' } },
      schema: {
        tags: ['mdf'],
        summary: 'Remove a link (kind and targetId in the query)',
        params: Params,
        querystring: LinkBody.partial(),
        response: { 200: ActivityDetailSchema, ...writeErrors },
      },
    },
    (request) => linkMdfActivity(ctx, who(request), request.params.activityId, request.query, true),
  );

  app.get(
    '/api/mdf/funds',
    {
      config: { access: { resource: 'mdf', action: 'read' } },
      schema: {
        tags: ['mdf'],
        summary:
          "A partner's MDF in a program (earned, available, reserved, spent, expired, expiring) and the proposal funds open to it; a vendor without partnerId gets the proposal funds",
        querystring: z.object({
          programId: Code.describe('Program id or code'),
          partnerId: ID.optional().describe('A partner sees its own (the default)'),
          asOf: IsoDate.optional(),
          period: Code.optional().describe("The proposal funds' period (default: that of asOf)"),
        }),
        response: { 200: FundsSchema, ...errors },
      },
    },
    (request) => fundBalances(ctx, request.scope, request.query),
  );

  app.get(
    '/api/vendors/:vendorId/mdf/usage',
    {
      config: { access: { resource: 'mdf', action: 'read' } },
      schema: {
        tags: ['mdf'],
        summary:
          "A vendor's MDF use by zone and fiscal quarter: requested, pre-approved, paid, expired, and the return (linked registrations and order revenue per unit paid). Vendor people only",
        params: z.object({ vendorId: Code }),
        querystring: z.object({ programId: Code.optional() }),
        response: { 200: UsageSchema, ...errors },
      },
    },
    (request) => mdfUsage(ctx, request.scope, request.params.vendorId, request.query),
  );

  app.post(
    '/api/programs/:programId/mdf/expiry',
    {
      config: { access: { resource: 'mdf', action: 'manage' } },
      schema: {
        tags: ['mdf'],
        summary:
          'Start the MDF expiry run of a program (a job): lapse activities past their claim deadline, post earned funds expired unused (mdf-expiry); a rerun posts nothing new',
        params: z.object({ programId: Code }),
        body: z.object({ asOf: IsoDate.optional() }).default({}),
        response: { 202: JobSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as { asOf?: string };
      const job = await startMdfExpiry(ctx, who(request), {
        program: request.params.programId,
        asOf: body.asOf,
      });
      const { location, body: sent } = accepted(job);
      return reply.status(202).header('location', location).send(sent);
    },
  );
};
