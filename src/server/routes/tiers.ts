import { z } from 'zod';
import { PRODUCT_FAMILIES } from '../../core/model/catalog.js';
import { startJob } from '../../app/jobs/jobs.js';
import { programInForce } from '../../app/programs/program-in-force.js';
import { partnerEarnings } from '../../app/incentives/earnings.js';
import { grantStatus, listMemberships, partnerProgress } from '../../app/tiers/partner-standing.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, MessageSchema, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { accepted, JobSchema } from './jobs.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const MembershipSchema = z
  .object({
    id: z.string(),
    partnerId: z.string(),
    code: z.string().describe('A tier code, or an invitation-only status code'),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    source: z.string().describe('earned, invited, status-match, grandfathered or manual'),
    reason: z.string(),
    reasonMessage: MessageSchema.nullable().describe(
      'The reason as a message the app translates: records an evaluation, a status match or a split opened (null for the others)',
    ),
    grandfatheredUntil: z.string().nullable(),
    sponsor: z.string().nullable(),
  })
  .meta({ id: 'Membership' });

/** Core answers read-only arrays; the schema says so (the serialised JSON is the same). */
const roArray = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const MEASURES = [
  'revenue',
  'servicesRevenue',
  'credits',
  'companyCertifications',
  'certifiedPeople',
] as const;

const TierMeasuresSchema = z
  .object({
    currency: z.string(),
    rawRevenueMinor: z.number().int(),
    rawServicesRevenueMinor: z.number().int(),
    revenueMinor: z.number().int(),
    servicesRevenueMinor: z.number().int(),
    credits: z.number().int().nullable().describe('Whole credits; null when the program has no credits'),
    multipliers: roArray(z.string()).describe('Codes of the qualifying multipliers that applied'),
    multiplierDetails: roArray(
      z.object({
        code: z.string(),
        name: z.string(),
        factor: z.number().int().describe('ppm (1 500 000 = x1.5)'),
        scope: roArray(z.enum(['revenue', 'servicesRevenue', 'credits'])),
        baseMinor: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'TierMeasures', description: 'Measured values after qualifying multipliers (raw = before)' });

const PartnerProgressSchema = z
  .object({
    partnerId: z.string(),
    program: z.object({ id: z.string(), code: z.string(), version: z.string() }),
    asOf: z.string(),
    enrolment: z.string().describe("The enrolment's status (an ended enrolment still shows its standing)"),
    tier: MembershipSchema.nullable(),
    statuses: roArray(MembershipSchema),
    history: roArray(MembershipSchema),
    evaluation: z.object({
      partnerId: z.string(),
      asOf: z.string(),
      zone: z.string().nullable(),
      currentTier: z.string(),
      targets: roArray(
        z.object({
          tier: z.string(),
          rank: z.number().int(),
          available: z.boolean(),
          paths: roArray(
            z.object({
              index: z.number().int(),
              name: z.string(),
              met: z.boolean(),
              metWithPending: z.boolean().optional(),
              requirements: roArray(
                z.object({
                  measure: z.enum(MEASURES),
                  family: z.string().nullable(),
                  kind: z.string().nullable(),
                  target: z.number(),
                  current: z.number(),
                  gap: z.number(),
                  met: z.boolean(),
                  withPending: z
                    .object({ current: z.number(), gap: z.number(), met: z.boolean() })
                    .optional(),
                }),
              ),
            }),
          ),
        }),
      ).describe('The next tier, then every tier above it; empty at the top'),
      measures: TierMeasuresSchema,
      withPending: z.object({ tier: z.string(), measures: TierMeasuresSchema }).optional(),
    }),
    deal: z
      .object({ id: z.string(), customer: z.string(), totalMinor: z.number().int(), status: z.string() })
      .nullable()
      .describe('With ?deal=: the registration whose win the evaluation includes'),
    serviceDelivery: z.object({
      mayDeliver: z.boolean(),
      mode: z.enum(['deliver', 'resell']),
      servicesCertifiedPeople: z.number().int(),
      families: roArray(z.string()),
      components: roArray(z.object({ code: z.string(), delivery: z.string(), eligible: z.boolean() })),
      reason: z.string(),
      reasonMessage: MessageSchema.describe('The reason as a message the app translates'),
    }),
    crossCredit: roArray(
      z.object({
        distributorId: z.string(),
        distributorName: z.string(),
        throughVendor: z.string(),
        agreement: z.object({ code: z.string(), name: z.string() }).nullable(),
        share: z.number(),
        amountMinor: z.number().int(),
        creditedMinor: z.number().int(),
        sentence: z.string(),
        sentenceMessage: MessageSchema.nullable().describe('The sentence as a message the app translates'),
      }),
    ).describe('Purchases through a vendor acting as a distributor, and the share the program credits'),
  })
  .meta({ id: 'PartnerProgress' });

/** The result of an evaluation job. */
export const EvaluationSchema = z
  .object({
    program: z.object({ code: z.string(), version: z.string() }),
    asOf: z.string(),
    audit: z.boolean(),
    window: z.object({ from: z.string(), to: z.string() }),
    evaluated: z.number().int(),
    upgrades: z.number().int(),
    downgrades: z.number().int(),
    held: z.number().int().describe('Downgrades waiting for the audit or a grandfathering end'),
    unchanged: z.number().int(),
    started: z.number().int().describe('Partners given their first membership'),
    tiers: z.record(z.string(), z.number().int()),
    changes: z.array(
      z.object({
        partnerId: z.string(),
        from: z.string().nullable(),
        to: z.string(),
        action: z.string(),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'TierEvaluationRun' });

const today = () => new Date().toISOString().slice(0, 10);

export const tierRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/partners/:partnerId/progress',
    {
      config: { access: { resource: 'membership', action: 'read' } },
      schema: {
        tags: ['tiers'],
        summary:
          "A partner's tier, statuses and distance to every higher tier, path by path; with add, what a pending deal would change",
        params: z.object({ partnerId: ID }),
        querystring: z.object({
          program: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .describe('Program id or code (optional when the partner has one program)'),
          asOf: IsoDate.optional().describe(
            'Day of evaluation (default: today, or the end of the latest program year when none is in force today)',
          ),
          addFamily: z.enum(PRODUCT_FAMILIES).optional().describe('Product family of a pending deal'),
          addAmountMinor: z.coerce
            .number()
            .int()
            .min(0)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .describe('Pending deal amount in minor units'),
          deal: ID.optional().describe(
            "One of the partner's deal registrations: the tier the partner would reach if it is won (its lines' families and amounts)",
          ),
        }),
        response: { 200: PartnerProgressSchema, ...errors },
      },
    },
    (request) => {
      const q = request.query;
      return partnerProgress(ctx, request.scope, {
        partnerId: request.params.partnerId,
        ...(q.program ? { program: q.program } : {}),
        asOf: q.asOf,
        pending:
          q.addFamily && q.addAmountMinor !== undefined
            ? { family: q.addFamily, amountMinor: q.addAmountMinor }
            : undefined,
        deal: q.deal,
      });
    },
  );

  app.get(
    '/api/partners/:partnerId/earnings',
    {
      config: { access: { resource: 'earning', action: 'read' } },
      schema: {
        tags: ['incentives'],
        summary:
          'What a partner has earned, been paid and is projected to earn, by program, period and component, from the ledger',
        params: z.object({ partnerId: ID }),
        querystring: z.object({ program: z.string().min(1).max(64).optional() }),
        response: {
          200: z.object({
            partnerId: z.string(),
            periods: z.array(
              z.object({
                programId: z.string(),
                period: z.string(),
                currency: z.string(),
                accruedMinor: z.number().int().describe('Same as earnedMinor (kept for older clients)'),
                earnedMinor: z.number().int().describe('Every credit: accruals, close true-ups, adjustments'),
                paidMinor: z.number().int(),
                projectedMinor: z
                  .number()
                  .int()
                  .describe(
                    'What the period comes to: earned, plus (period not closed) what a close would post today',
                  ),
                closed: z.boolean(),
                components: z.array(
                  z.object({
                    component: z.string(),
                    accruedMinor: z.number().int().describe('Per-line accruals and their true-ups'),
                    closeMinor: z.number().int().describe('Close items and adjustments without a line'),
                    projectedMinor: z
                      .number()
                      .int()
                      .describe(
                        "What the component comes to (the same meaning as the period's): earned, plus (period not closed) what a close would post today",
                      ),
                    entries: z.number().int(),
                  }),
                ),
              }),
            ),
            earnedMinor: z.number().int(),
            paidMinor: z.number().int(),
            projectedMinor: z.number().int().describe("Every period's projectedMinor, summed"),
            status: z
              .enum(['none', 'provisional', 'closed'])
              .describe(
                'none: no entry yet; closed: every period with entries is closed; provisional: one is still open',
              ),
          }),
          ...errors,
        },
      },
    },
    (request) => partnerEarnings(ctx, request.scope, request.params.partnerId, request.query.program),
  );

  app.get(
    '/api/programs/:programId/memberships',
    {
      config: { access: { resource: 'membership', action: 'read' } },
      schema: {
        tags: ['tiers'],
        summary: 'Tiers and statuses in force on a day (partners see their own)',
        params: z.object({ programId: z.string().min(1).max(64) }),
        querystring: z.object({ asOf: IsoDate.optional(), partner: ID.optional() }),
        response: {
          200: z.object({
            program: z.object({ id: z.string(), code: z.string() }),
            asOf: z.string(),
            items: z.array(MembershipSchema),
          }),
          ...errors,
        },
      },
    },
    (request) =>
      listMemberships(ctx, request.scope, {
        program: request.params.programId,
        asOf: request.query.asOf,
        partnerId: request.query.partner,
      }),
  );

  app.post(
    '/api/programs/:programId/evaluations',
    {
      config: { access: { resource: 'membership', action: 'write' } },
      schema: {
        tags: ['tiers'],
        summary:
          'Re-evaluate every enrolled partner (daily), or run the yearly audit (audit: true) that applies downgrades, as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is the evaluation',
        params: z.object({ programId: z.string().min(1).max(64) }),
        body: z.object({ asOf: IsoDate.optional(), audit: z.boolean().optional() }),
        response: { 202: JobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const who = { actor: actorOf(request), scope: request.scope };
      const asOf = request.body.asOf ?? today();
      // The program is checked at once (a 404 now, not a failed job); the evaluation runs as a job.
      const pif = await programInForce(ctx, request.scope, request.params.programId, asOf);
      const job = await startJob(
        ctx,
        { ...who, requestId: request.id },
        'evaluation',
        { program: pif.programId, asOf, audit: request.body.audit ?? false },
        { vendorId: pif.vendorId },
      );
      const { location, body } = accepted(job);
      return reply.status(202).header('location', location).send(body);
    },
  );

  app.post(
    '/api/programs/:programId/invitations',
    {
      config: { access: { resource: 'membership', action: 'manage' } },
      schema: {
        tags: ['tiers'],
        summary:
          'Grant an invitation-only status (Titanium Black) for the program duration; refused grants say why (409)',
        params: z.object({ programId: z.string().min(1).max(64) }),
        body: z.object({
          partnerId: ID,
          status: z.string().min(1).max(64),
          sponsor: z.string().min(1).max(200).nullable().default(null),
          reason: z.string().min(1).max(1000),
          grantedOn: IsoDate.optional(),
        }),
        response: { 201: MembershipSchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const granted = await grantStatus(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        {
          program: request.params.programId,
          partnerId: b.partnerId,
          status: b.status,
          sponsor: b.sponsor,
          reason: b.reason,
          grantedOn: b.grantedOn,
          requestId: request.id,
        },
      );
      return reply.status(201).send(granted);
    },
  );
};
