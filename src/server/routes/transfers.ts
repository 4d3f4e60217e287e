import { z } from 'zod';
import { startJob } from '../../app/jobs/jobs.js';
import { checkMerge } from '../../app/transfers/merge.js';
import { getTransfer, listTransfers } from '../../app/transfers/queries.js';
import { checkSplit } from '../../app/transfers/split.js';
import { TrellisError } from '../../core/shared/errors.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, MessageSchema, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { accepted, JobSchema } from './jobs.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

/** A program named by id (prg_...) or code (dell-emc-partner-program). */
const ProgramRef = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'is not a program id or code');
const TierCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'is not a tier code');

const TransferBody = z.object({
  kind: z.enum(['split', 'merge']),
  source: ProgramRef.optional().describe('split: the program the partners come from'),
  target: ProgramRef.describe("split: another vendor's program; merge: the merged program"),
  onDay: IsoDate.optional().describe(
    "split: partners hold their carried standing from this day (within the target's periods)",
  ),
  tierMap: z
    .record(TierCode, TierCode)
    .optional()
    .describe('split: source tier -> target tier (default: the same rank)'),
  grandfatherUntil: IsoDate.optional().describe('split: carried tiers are not downgraded before this day'),
  legacy: z
    .array(ProgramRef)
    .min(1)
    .max(20)
    .optional()
    .describe("merge: the legacy programs, as the target's statusMatch lists them"),
  acceptDifferences: z
    .array(ID)
    .max(100_000)
    .optional()
    .describe('Partners whose listed differences (from a refused run) are accepted'),
});

const TransferSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['split', 'merge']),
    status: z.string().describe('carried, or carried-with-differences (accepted by the caller)'),
    sourceProgramIds: z.array(z.string()),
    targetVendorId: z.string(),
    targetProgramId: z.string(),
    onDay: z.string(),
    checkDay: z.string().describe('The day the promise was checked on (the day after)'),
    tierMap: z.record(z.string(), z.unknown()),
    grandfatherUntil: z.string().nullable(),
    counts: z.object({
      partners: z.number().int(),
      enrolments: z.number().int(),
      memberships: z.number().int(),
      certifications: z.number().int(),
      notCarried: z.number().int(),
      differences: z.number().int(),
    }),
    parties: z.array(z.object({ vendorId: z.string(), role: z.string() })),
    startedBy: z.string(),
    jobId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ProgramTransfer' });

const TransferPartnerSchema = z
  .object({
    partnerId: z.string(),
    partnerName: z.string(),
    sourceTier: z.string(),
    promisedTier: z.string(),
    heldTier: z.string().nullable().describe('Held in the target on the check day'),
    enrolled: z.boolean().describe('A new enrolment was made in the target'),
    membershipId: z.string().nullable(),
    certifications: z.number().int().describe('Certifications carried'),
    ok: z.boolean().describe('No difference from the promise'),
    accepted: z.boolean().describe('Differences accepted by the caller'),
    rates: z.array(z.object({ family: z.string(), source: z.number().int(), target: z.number().int() })),
    differences: z.array(
      z.object({
        what: z.string(),
        family: z.string().nullable(),
        promised: z.string(),
        held: z.string(),
        sentence: z.string(),
        sentenceMessage: MessageSchema.nullable().describe(
          'The sentence as a message the app translates (null for checks recorded before messages)',
        ),
      }),
    ),
    notCarried: z.array(
      z.object({
        kind: z.string(),
        id: z.string(),
        why: z.string(),
        whyMessage: MessageSchema.nullable().describe(
          'Why, as a message the app translates (null for transfers recorded before messages)',
        ),
      }),
    ),
  })
  .meta({ id: 'ProgramTransferPartner' });

export const transferRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/program-transfers',
    {
      config: { access: { resource: 'transfer', action: 'manage' } },
      schema: {
        tags: ['transfers'],
        summary:
          "Starts a split (a partner base carried to another vendor's program; the source vendor's admin, under an agreement by which the target consented) or a merge (legacy programs into one with status match; the target's admin over its own programs), as a background job: 202 with the job (Location: /api/jobs/{id})",
        body: TransferBody,
        response: { 202: JobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const who = { actor: actorOf(request), scope: request.scope, requestId: request.id };
      let job;
      if (b.kind === 'split') {
        const missing = [
          ...(b.source ? [] : [{ location: 'source', message: 'a split needs the source program' }]),
          ...(b.onDay ? [] : [{ location: 'onDay', message: 'a split needs the day' }]),
          ...(b.legacy ? [{ location: 'legacy', message: 'a split takes no legacy programs' }] : []),
        ];
        if (missing.length > 0) throw new TrellisError('invalid_input', 'the split is incomplete', missing);
        const input = {
          source: b.source!,
          target: b.target,
          onDay: b.onDay!,
          tierMap: b.tierMap,
          grandfatherUntil: b.grandfatherUntil,
          acceptDifferences: b.acceptDifferences,
        };
        const checked = await checkSplit(ctx, request, input);
        job = await startJob(
          ctx,
          who,
          'program-transfer',
          { kind: 'split', ...input },
          {
            vendorId: checked.source.vendorId,
            runningKey: checked.transferKey,
            conflict: `a split of ${checked.source.code} into ${checked.target.code} is already running`,
          },
        );
      } else {
        const extra = [
          ...(b.legacy ? [] : [{ location: 'legacy', message: 'a merge needs its legacy programs' }]),
          ...(['source', 'onDay', 'tierMap', 'grandfatherUntil'] as const)
            .filter((k) => b[k] !== undefined)
            .map((k) => ({ location: k, message: `a merge takes no ${k} (its status match decides)` })),
        ];
        if (extra.length > 0) throw new TrellisError('invalid_input', 'the merge is malformed', extra);
        const input = { target: b.target, legacy: b.legacy!, acceptDifferences: b.acceptDifferences };
        const checked = await checkMerge(ctx, request, input);
        job = await startJob(
          ctx,
          who,
          'program-transfer',
          { kind: 'merge', ...input },
          {
            vendorId: checked.target.vendorId,
            runningKey: checked.transferKey,
            conflict: `a merge into ${checked.target.code} is already running`,
          },
        );
      }
      const { location, body } = accepted(job);
      return reply.status(202).header('location', location).send(body);
    },
  );

  app.get(
    '/api/program-transfers',
    {
      config: { access: { resource: 'transfer', action: 'read' } },
      schema: {
        tags: ['transfers'],
        summary: "Splits and merges the caller's vendor is party to (as source or target)",
        querystring: pageQuery(['createdAt', 'onDay'] as const, 'createdAt').extend({
          kind: z.enum(['split', 'merge']).optional(),
          program: ID.optional().describe('Transfers from or into this program'),
        }),
        response: { 200: pageOf(TransferSchema), ...errors },
      },
    },
    (request) => {
      const { kind, program, ...page } = request.query;
      return listTransfers(ctx, request.scope, { kind, program }, page);
    },
  );

  app.get(
    '/api/program-transfers/:transferId',
    {
      config: { access: { resource: 'transfer', action: 'read' } },
      schema: {
        tags: ['transfers'],
        summary:
          "One transfer with each partner's check: the tier promised and held the day after, the benefit rate per family in the source and the target, the differences, and what could not be carried with why",
        params: z.object({ transferId: ID }),
        querystring: z.object({
          ok: z.enum(['true', 'false']).optional().describe('Only partners whose check passed (true) or not'),
        }),
        response: {
          200: TransferSchema.extend({ partners: z.array(TransferPartnerSchema) }).meta({
            id: 'ProgramTransferDetail',
          }),
          ...errors,
        },
      },
    },
    (request) =>
      getTransfer(ctx, request.scope, request.params.transferId, {
        ok: request.query.ok === undefined ? undefined : request.query.ok === 'true',
      }),
  );
};
