import { Readable } from 'node:stream';
import { z } from 'zod';
import { budgetPools } from '../../app/incentives/budget-pools.js';
import { listCloses, getClose } from '../../app/incentives/close-period.js';
import { startClose, startStatementBulk } from '../../app/jobs/jobs.js';
import { BULK_MAX_IDS, previewStatementBulk } from '../../app/incentives/bulk-statements.js';
import { getDispute, listDisputes, openDispute, resolveDispute } from '../../app/incentives/disputes.js';
import {
  getStatement,
  listStatements,
  statementDownload,
  statementLines,
  transitionStatement,
} from '../../app/incentives/statements.js';
import { STATEMENT_ACTIONS, STATEMENT_STATUSES } from '../../core/ledger/settlement.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, shardsField, MessageSchema, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { accepted, JobSchema } from './jobs.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const ComponentSummarySchema = z.object({
  component: z.string(),
  lineMinor: z.number().int().describe('Per-line accruals of the period after the close'),
  closeMinor: z
    .number()
    .int()
    .describe('Close items: cross-sell, growth, line-based close components, caps, minimums'),
  totalMinor: z.number().int(),
  trueUpMinor: z.number().int().describe('What this close posted for the component (its difference)'),
});

/** The result of a close job. */
export const CloseResultSchema = z
  .object({
    closeId: z.string().nullable().describe('null for a dry run'),
    dryRun: z.boolean(),
    programId: z.string(),
    program: z.string(),
    versionId: z.string(),
    period: z.string(),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    lines: z.number().int().describe('Partner order lines of the period read'),
    partners: z.number().int(),
    transactions: z.number().int().describe('True-up transactions posted (0 when the ledger already agreed)'),
    entries: z.number().int(),
    netMinor: z.number().int().describe('Net amount the true-ups moved to partners'),
    totalMinor: z.number().int().describe('What partners earn in the period after the close'),
    statements: z.number().int().describe('Draft statements built or rebuilt'),
    components: z.array(ComponentSummarySchema),
    reconciled: z.boolean().describe('The ledger equals a from-scratch batch computation, to the cent'),
    closeItems: z.array(
      z.object({
        partnerId: z.string(),
        component: z.string(),
        type: z.string(),
        amountMinor: z.number().int(),
        explanation: z.string(),
        explanationMessage: MessageSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'CloseResult' });

const CloseRecordSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    programId: z.string(),
    programVersionId: z.string(),
    period: z.string(),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    lines: z.number().int(),
    partners: z.number().int(),
    transactions: z.number().int(),
    entries: z.number().int(),
    netMinor: z.number().int(),
    totalMinor: z.number().int(),
    statements: z.number().int(),
    closedBy: z.string().nullable(),
    closedAt: z.string(),
    components: z.array(ComponentSummarySchema),
  })
  .meta({ id: 'PeriodClose' });

const StatementPayoutSchema = z
  .object({
    currency: z.string().describe('The currency the partner is paid in (fixed when the statement is issued)'),
    rate: z
      .string()
      .nullable()
      .describe(
        "The rate, an exact decimal: 1 unit of the statement's currency = rate units of the payout currency; null while none is known",
      ),
    basis: z
      .enum(['payout-day', 'period-average'])
      .describe(
        "The program's rule: the payout day's rate (fixed when paid) or the period's average (fixed when issued)",
      ),
    rateDay: z.string().nullable().describe('The day of the rate (an average: the last day averaged)'),
    rateFirstDay: z.string().nullable().describe('An average: the first day averaged'),
    rateDays: z.number().int().nullable().describe('An average: how many days of rates were averaged'),
    derivation: z
      .string()
      .nullable()
      .describe(
        'How the rate was had: direct, inverse, cross:<currency> (through a common base), or average',
      ),
    bridged: z
      .boolean()
      .describe("An earlier day's rate stood in for a missing one (the program's last-known policy)"),
    estimate: z
      .boolean()
      .describe(
        'True until the rate is fixed: the amounts are at the latest known rate and will change when paid',
      ),
    linesMinor: z
      .number()
      .int()
      .nullable()
      .describe('The sum of the lines, each converted on its own (null in lists while an estimate)'),
    totalMinor: z
      .number()
      .int()
      .nullable()
      .describe('The total converted: what the partner is (or will be) paid'),
    roundingMinor: z
      .number()
      .int()
      .nullable()
      .describe('totalMinor - linesMinor, posted as its own ledger line (FX rounding) when paid'),
  })
  .meta({ id: 'StatementPayout' });

const StatementSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    partnerId: z.string(),
    programId: z.string(),
    period: z.string(),
    sequence: z.number().int().describe('1 for the period; 2, 3... for supplements after a re-close'),
    currency: z.string(),
    status: z.enum(STATEMENT_STATUSES),
    lines: z.number().int(),
    earnedMinor: z.number().int(),
    clawbackMinor: z.number().int().describe('Returns of lines paid on an earlier statement (negative)'),
    adjustmentMinor: z.number().int().describe('Accepted disputes'),
    carriedInMinor: z.number().int().describe('Carried from a statement below the minimum payout'),
    totalMinor: z.number().int(),
    closeId: z.string().nullable(),
    closeOn: z.string().describe('Close date on the payout calendar'),
    payOn: z.string().describe('Pay date on the payout calendar'),
    overdue: z.boolean(),
    createdAt: z.string(),
    issuedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    paidAt: z.string().nullable(),
    paidMinor: z.number().int().nullable(),
    paymentReference: z.string().nullable(),
    payoutTransactionId: z.string().nullable(),
    payout: StatementPayoutSchema.nullable().describe(
      "The payout in the partner's currency when it differs from the statement's (null: paid in the statement's currency)",
    ),
  })
  .meta({ id: 'Statement' });

const StatementLineSchema = z
  .object({
    id: z.string(),
    lineNo: z.number().int(),
    kind: z.string().describe('accrual, return, clawback, true-up, close, adjustment or carried'),
    period: z.string(),
    orderId: z.string().nullable(),
    orderLineId: z.string().nullable(),
    orderDate: z.string().nullable(),
    family: z.string().nullable(),
    component: z.string(),
    ruleId: z.string(),
    ruleVersion: z.string(),
    tier: z.string(),
    baseMinor: z.number().int(),
    rate: z.number().int().describe('ppm'),
    effectiveRate: z.number().int().describe('ppm, after multipliers'),
    multiplier: z.number().int().describe('ppm'),
    budgetPool: z.string().nullable(),
    amountMinor: z.number().int().describe('Positive = owed to the partner'),
    currency: z.string(),
    payoutAmountMinor: z
      .number()
      .int()
      .nullable()
      .describe(
        "The line converted to the payout currency at the statement's rate (fixed or estimated); null when paid in the statement's currency",
      ),
    payoutCurrency: z.string().nullable(),
    explanation: z.string(),
    explanationMessage: MessageSchema.nullable().describe('The explanation as a message the app translates'),
    entryId: z.string().nullable(),
    transactionId: z.string().nullable(),
  })
  .meta({ id: 'StatementLine' });

const DisputeSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    partnerId: z.string(),
    programId: z.string(),
    statementId: z.string(),
    statementLineId: z.string(),
    status: z.enum(['open', 'accepted', 'rejected']),
    reason: z.string(),
    requestedMinor: z.number().int(),
    currency: z.string(),
    resolution: z.string().nullable(),
    resolvedMinor: z.number().int().nullable(),
    adjustmentTransactionId: z.string().nullable(),
    openedBy: z.string(),
    openedAt: z.string(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
  })
  .meta({ id: 'Dispute' });

const Period = z.string().min(1).max(32).describe('A period code of the program, e.g. FY18-Q2');

const BulkSelectionSchema = z.object({
  action: z.enum(STATEMENT_ACTIONS).describe('issue (drafts), approve (issued) or pay (approved)'),
  ids: z
    .array(ID)
    .min(1)
    .max(BULK_MAX_IDS)
    .optional()
    .describe('The statements, by id (or select by program and period)'),
  program: z.string().min(1).max(64).optional().describe('Program id or code: its statements...'),
  period: Period.optional().describe('...of this period'),
  partner: ID.optional().describe('...of this partner'),
});

const BULK_SKIP_REASONS = [
  'not-found',
  'already-done',
  'not-ready',
  'moved-meanwhile',
  'missing-rate',
] as const;
const StatusCounts = z
  .object(Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, z.number().int().optional()])))
  .describe('How many statements reach each status');

const BulkPreviewSchema = z
  .object({
    action: z.enum(STATEMENT_ACTIONS),
    fingerprint: z
      .string()
      .describe('What this preview moves; send it back as `confirm` to run exactly this, or get a 409'),
    selected: z.number().int().describe('Statements selected (found or not)'),
    count: z.number().int().describe('Statements that move'),
    outcomes: StatusCounts,
    totals: z.array(
      z.object({
        currency: z.string(),
        count: z.number().int(),
        totalMinor: z.number().int().describe("The statements' totals"),
        payoutMinor: z.number().int().describe('What is paid out (pay: statements reaching paid)'),
      }),
    ),
    skippedByReason: z.object(
      Object.fromEntries(BULK_SKIP_REASONS.map((r) => [r, z.number().int().optional()])),
    ),
    moves: z
      .array(
        z.object({
          id: z.string(),
          partnerId: z.string(),
          programId: z.string(),
          period: z.string(),
          sequence: z.number().int(),
          from: z.enum(STATEMENT_STATUSES),
          to: z.enum(STATEMENT_STATUSES),
          totalMinor: z.number().int(),
          currency: z.string(),
        }),
      )
      .describe('The first 200 statements that move'),
    skipped: z
      .array(
        z.object({
          id: z.string(),
          partnerId: z.string().nullable(),
          status: z.enum(STATEMENT_STATUSES).nullable(),
          reason: z.enum(BULK_SKIP_REASONS),
        }),
      )
      .describe('The first 200 statements left alone, each with why'),
    skippedCount: z.number().int(),
    truncated: z.boolean(),
  })
  .meta({ id: 'StatementBulkPreview' });

export const settlementRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/closes',
    {
      config: { access: { resource: 'close', action: 'write' } },
      schema: {
        tags: ['settlement'],
        summary:
          'Start a close of a program period (recompute with final tiers and period facts, post only the differences, build draft statements) or its dry run, as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is a CloseResult; 409 while a close of the same period runs',
        body: z.object({
          program: z.string().min(1).max(64).describe('Program id or code'),
          period: Period,
          dryRun: z
            .boolean()
            .default(false)
            .describe(
              'Compute and report what the close would post, writing nothing (allowed before the period ends)',
            ),
          shards: shardsField(
            "Shards of partners the close computes in, each on a thread of its own reading the close's snapshot (1..16; default: the server's TRELLIS_CLOSE_SHARDS, 1 unless set). The result is the same whatever the count.",
          ),
        }),
        response: { 202: JobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const job = await startClose(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id },
        request.body,
      );
      const { location, body } = accepted(job);
      return reply.status(202).header('location', location).send(body);
    },
  );

  app.get(
    '/api/closes',
    {
      config: { access: { resource: 'close', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'Period closes, newest first by default',
        querystring: pageQuery(['closedAt', 'period'] as const, 'closedAt').extend({
          program: z.string().min(1).max(64).optional(),
          period: Period.optional(),
        }),
        response: { 200: pageOf(CloseRecordSchema), ...errors },
      },
    },
    (request) => {
      const { program, period, ...page } = request.query;
      return listCloses(ctx, request.scope, { program, period }, page);
    },
  );

  app.get(
    '/api/closes/:closeId',
    {
      config: { access: { resource: 'close', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'One period close',
        params: z.object({ closeId: ID }),
        response: { 200: CloseRecordSchema, ...errors },
      },
    },
    (request) => getClose(ctx, request.scope, request.params.closeId),
  );

  app.get(
    '/api/statements',
    {
      config: { access: { resource: 'statement', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'Statements (a partner sees its own once issued)',
        querystring: pageQuery(['period', 'createdAt', 'totalMinor'] as const, 'period').extend({
          program: z.string().min(1).max(64).optional(),
          partner: ID.optional(),
          period: Period.optional(),
          status: z.enum(STATEMENT_STATUSES).optional(),
        }),
        response: { 200: pageOf(StatementSchema), ...errors },
      },
    },
    (request) => {
      const { program, partner, period, status, ...page } = request.query;
      return listStatements(ctx, request.scope, { program, partner, period, status }, page);
    },
  );

  app.get(
    '/api/statements/:statementId',
    {
      config: { access: { resource: 'statement', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'One statement with its totals',
        params: z.object({ statementId: ID }),
        response: { 200: StatementSchema, ...errors },
      },
    },
    (request) => getStatement(ctx, request.scope, request.params.statementId),
  );

  app.get(
    '/api/statements/:statementId/lines',
    {
      config: { access: { resource: 'statement', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'The lines of a statement, each with its rule, base, rate, tier, multiplier and explanation',
        params: z.object({ statementId: ID }),
        querystring: pageQuery(['lineNo'] as const, 'lineNo').extend({
          kind: z
            .enum(['accrual', 'return', 'clawback', 'true-up', 'close', 'adjustment', 'carried'])
            .optional(),
        }),
        response: { 200: pageOf(StatementLineSchema), ...errors },
      },
    },
    (request) => {
      const { kind, ...page } = request.query;
      return statementLines(ctx, request.scope, request.params.statementId, { kind }, page);
    },
  );

  app.get(
    '/api/statements/:statementId/download',
    {
      config: { access: { resource: 'statement', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'Download a statement: CSV (one row per line, exact decimal amounts) or JSON',
        params: z.object({ statementId: ID }),
        querystring: z.object({ format: z.enum(['csv', 'json']).default('csv') }),
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const { statementId } = request.params;
      const format = request.query.format;
      // Resolve (and 404) before streaming starts, so an error is still a problem+json answer.
      await getStatement(ctx, request.scope, statementId);
      const stream = Readable.from(statementDownload(ctx, request.scope, statementId, format));
      return reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="${statementId}.${format}"`)
        .send(stream as never);
    },
  );

  for (const action of ['issue', 'approve', 'pay'] as const) {
    app.post(
      `/api/statements/:statementId/${action}`,
      {
        config: { access: { resource: 'statement', action: 'write' } },
        schema: {
          tags: ['settlement'],
          summary:
            action === 'issue'
              ? 'Issue a draft statement to the partner (its lines are then fixed)'
              : action === 'approve'
                ? 'Approve an issued statement for payment'
                : 'Record the payment of an approved statement (posts the payout), or carry a total below the minimum payout',
          params: z.object({ statementId: ID }),
          body: z
            .object({ reference: z.string().min(1).max(128).optional().describe('Payment reference') })
            .default({}),
          response: { 200: StatementSchema, ...errors },
        },
      },
      (request) =>
        transitionStatement(
          ctx,
          { actor: actorOf(request), scope: request.scope },
          request.params.statementId,
          action,
          {
            reference: request.body?.reference,
            requestId: request.id,
          },
        ),
    );
  }

  app.post(
    '/api/statements/bulk/preview',
    {
      config: { access: { resource: 'statement', action: 'write' } },
      schema: {
        tags: ['settlement'],
        summary:
          'What a bulk issue, approve or pay would do now, writing nothing: how many statements move and to which status, their totals per currency, which are skipped and why, and the fingerprint to confirm',
        body: BulkSelectionSchema,
        response: { 200: BulkPreviewSchema, ...errors },
      },
    },
    (request) => {
      const { action, ...selection } = request.body;
      return previewStatementBulk(ctx, request.scope, action, selection);
    },
  );

  app.post(
    '/api/statements/bulk',
    {
      config: { access: { resource: 'statement', action: 'write' } },
      schema: {
        tags: ['settlement'],
        summary:
          "Issue, approve or pay many statements as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is a StatementBulkPreview of what was done plus `lost` (statements another request moved first). Each statement moves by a conditional update, audited; a payout is posted once. With `confirm` (a preview's fingerprint), 409 when the selection changed since",
        body: BulkSelectionSchema.extend({
          reference: z.string().min(1).max(128).optional().describe('Payment reference (pay)'),
          confirm: z.string().min(1).max(64).optional().describe("The preview's fingerprint"),
        }),
        response: { 202: JobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { action, reference, confirm, ...selection } = request.body;
      const job = await startStatementBulk(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id },
        { action, selection, reference, confirm },
      );
      const { location, body } = accepted(job);
      return reply.status(202).header('location', location).send(body);
    },
  );

  app.post(
    '/api/disputes',
    {
      config: { access: { resource: 'dispute', action: 'write' } },
      schema: {
        tags: ['settlement'],
        summary: 'Dispute a line of an issued statement (partners)',
        body: z.object({
          statementId: ID,
          lineId: ID.describe('The statement line'),
          reason: z.string().min(1).max(2000),
          amountMinor: z
            .number()
            .int()
            .optional()
            .describe('The adjustment asked for (positive = owed to the partner); default: reverse the line'),
        }),
        response: { 201: DisputeSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { statementId, lineId, ...input } = request.body;
      const d = await openDispute(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        statementId,
        lineId,
        {
          ...input,
          requestId: request.id,
        },
      );
      return reply.status(201).send(d);
    },
  );

  app.get(
    '/api/disputes',
    {
      config: { access: { resource: 'dispute', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'Disputes (a partner sees its own)',
        querystring: pageQuery(['openedAt'] as const, 'openedAt').extend({
          status: z.enum(['open', 'accepted', 'rejected']).optional(),
          statement: ID.optional(),
          partner: ID.optional(),
        }),
        response: { 200: pageOf(DisputeSchema), ...errors },
      },
    },
    (request) => {
      const { status, statement, partner, ...page } = request.query;
      return listDisputes(ctx, request.scope, { status, statement, partner }, page);
    },
  );

  app.get(
    '/api/disputes/:disputeId',
    {
      config: { access: { resource: 'dispute', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'One dispute',
        params: z.object({ disputeId: ID }),
        response: { 200: DisputeSchema, ...errors },
      },
    },
    (request) => getDispute(ctx, request.scope, request.params.disputeId),
  );

  for (const decision of ['accept', 'reject'] as const) {
    app.post(
      `/api/disputes/:disputeId/${decision}`,
      {
        config: { access: { resource: 'dispute', action: 'manage' } },
        schema: {
          tags: ['settlement'],
          summary:
            decision === 'accept'
              ? 'Accept a dispute: posts the adjustment, which lands on the next statement'
              : 'Reject a dispute, with the reason the partner will read',
          params: z.object({ disputeId: ID }),
          body:
            decision === 'accept'
              ? z
                  .object({
                    reason: z.string().max(2000).optional(),
                    amountMinor: z.number().int().optional().describe('Default: the amount asked for'),
                  })
                  .default({})
              : z.object({ reason: z.string().min(1).max(2000) }),
          response: { 200: DisputeSchema, ...errors },
        },
      },
      (request) => {
        const body = (request.body ?? {}) as { reason?: string; amountMinor?: number };
        return resolveDispute(
          ctx,
          { actor: actorOf(request), scope: request.scope },
          request.params.disputeId,
          {
            decision,
            reason: body.reason,
            amountMinor: body.amountMinor,
            requestId: request.id,
          },
        );
      },
    );
  }

  app.get(
    '/api/programs/:programId/budget-pools',
    {
      config: { access: { resource: 'close', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary: 'Budget pools of a program and what they have funded (accrued, paid, remaining)',
        params: z.object({ programId: z.string().min(1).max(64) }),
        querystring: z.object({ asOf: IsoDate.optional() }),
        response: {
          200: z.object({
            programId: z.string(),
            version: z.string(),
            pools: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                currency: z.string(),
                amountMinor: z.number().int(),
                accruedMinor: z.number().int(),
                paidMinor: z.number().int(),
                remainingMinor: z.number().int(),
                usedPpm: z.number().int(),
                onExhausted: z.string(),
                exhausted: z.boolean(),
                overrunMinor: z.number().int(),
                components: z.array(z.string()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    (request) => budgetPools(ctx, request.scope, request.params.programId, request.query.asOf),
  );
};
