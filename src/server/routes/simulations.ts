import { z } from 'zod';
import { startSimulation } from '../../app/jobs/jobs.js';
import {
  compareSimulations,
  getSimulation,
  listSimulations,
  simulationPartnersCsv,
} from '../../app/simulation/results.js';
import { PARTNER_SORTS } from '../../core/simulation/compare.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, shardsField, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { accepted, JobSchema } from './jobs.js';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

const Baseline = z
  .union([
    z.object({
      program: z.string().min(1).max(64).describe('A published program of the vendor: id or code'),
    }),
    z.object({
      text: z.string().min(1).max(1_000_000).describe('A program file (YAML or JSON) of the vendor'),
      file: z.string().min(1).max(200).optional(),
    }),
  ])
  .describe("What the draft is compared with; default: the published program with the draft's code");

const BaselineView = z.union([
  z.object({ program: z.string() }),
  z.object({ text: z.string(), file: z.string().optional() }),
]);

const SimulationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    program: z.string().describe("The draft's program code"),
    draftVersion: z.string(),
    baseline: BaselineView,
    from: z.string(),
    to: z.string(),
    engineVersion: z.string().nullable().describe("The draft engine's rule version, once computed"),
    status: z.enum(['running', 'succeeded', 'failed']),
    jobId: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Simulation' });

const Versus = {
  baselineMinor: z.number().int(),
  draftMinor: z.number().int(),
  differenceMinor: z.number().int().describe('draft - baseline'),
};

const PartnerComparisonSchema = z.object({
  partnerId: z.string(),
  tier: z.string().nullable(),
  zone: z.string().nullable(),
  region: z.string().nullable(),
  kind: z.string().nullable(),
  ...Versus,
  components: z.record(z.string(), z.object(Versus)),
});

const TotalsSchema = z.object({
  ...Versus,
  partners: z.number().int(),
  winners: z.number().int(),
  losers: z.number().int(),
  unchanged: z.number().int(),
});

const ComponentsSchema = z.array(
  z.object({
    component: z.string(),
    ...Versus,
    baselineShare: z.number().int().describe('ppm of the total'),
    draftShare: z.number().int(),
  }),
);

const PoolsSchema = z.array(
  z.object({
    pool: z.string(),
    ...Versus,
    baselineBudgetMinor: z.number().int().nullable(),
    draftBudgetMinor: z.number().int().nullable(),
    baselineRunsOutIn: z.string().nullable().describe('The period the running total passes the budget'),
    draftRunsOutIn: z.string().nullable(),
  }),
);

const MultiplierSchema = z
  .object({ ...Versus, baselineShare: z.number().int(), draftShare: z.number().int() })
  .describe('What the payout multipliers (exclusivity) added');

const SimulationResultSchema = z
  .object({
    program: z.string(),
    draftVersion: z.string(),
    baseline: z.object({
      program: z.string().nullable(),
      file: z.string().nullable(),
      versions: z.array(z.string()),
    }),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    engineVersion: z.string(),
    baselineEngineVersions: z.array(z.string()),
    periods: z.array(
      z.object({
        code: z.string(),
        from: z.string(),
        to: z.string(),
        closed: z.boolean(),
        lines: z.number(),
      }),
    ),
    lines: z.number().int(),
    baselineEqualsLedger: z
      .boolean()
      .nullable()
      .describe('The baseline equals the ledger to the cent for the closed periods; null: none closed'),
    ledgerMismatches: z.array(
      z.object({
        period: z.string(),
        partnerId: z.string(),
        component: z.string(),
        ledgerMinor: z.number().int(),
        baselineMinor: z.number().int(),
      }),
    ),
    comparison: z.object({
      totals: TotalsSchema,
      components: ComponentsSchema,
      periods: z.array(
        z.object({
          period: z.string(),
          from: z.string(),
          to: z.string(),
          ...Versus,
          components: z.array(z.object({ component: z.string(), ...Versus })),
        }),
      ),
      pools: PoolsSchema,
      multiplier: MultiplierSchema,
      partners: z.array(PartnerComparisonSchema),
      distribution: z.array(
        z.object({
          fromMinor: z.number().int().nullable(),
          toMinor: z.number().int().nullable(),
          partners: z.number().int(),
        }),
      ),
    }),
    tierChanges: z
      .object({
        up: z.number().int(),
        down: z.number().int(),
        baselineTiers: z.record(z.string(), z.number().int()),
        draftTiers: z.record(z.string(), z.number().int()),
        changes: z.array(
          z.object({
            partnerId: z.string(),
            from: z.string(),
            to: z.string(),
            direction: z.enum(['up', 'down']),
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'SimulationResult' });

const SimulationDetailSchema = SimulationSchema.extend({
  draftText: z.string(),
  error: z.object({ code: z.string(), detail: z.string() }).nullable(),
  result: SimulationResultSchema.nullable(),
}).meta({ id: 'SimulationDetail' });

/** GET /api/simulations/compare: finished simulations side by side. */
const SimulationComparisonSchema = z
  .object({
    simulations: z.array(
      SimulationSchema.extend({
        currency: z.string(),
        baselineEqualsLedger: z.boolean().nullable(),
        totals: TotalsSchema,
        multiplier: MultiplierSchema,
        components: ComponentsSchema,
        periods: z.array(z.object({ period: z.string(), from: z.string(), to: z.string(), ...Versus })),
        pools: PoolsSchema,
        tierChanges: z.object({ up: z.number().int(), down: z.number().int() }).nullable(),
      }),
    ),
    components: z
      .array(z.object({ component: z.string(), draftMinor: z.array(z.number().int().nullable()) }))
      .describe("Every component any of them has, with each simulation's draft amount (null: absent)"),
    periods: z.array(z.object({ period: z.string(), draftMinor: z.array(z.number().int().nullable()) })),
  })
  .meta({ id: 'SimulationComparison' });

const PartnerQuery = z.object({
  change: z.enum(['winners', 'losers', 'unchanged']).optional(),
  tier: z.string().min(1).max(64).optional(),
  zone: z.string().min(1).max(64).optional(),
  region: z.string().min(1).max(64).optional(),
  kind: z.string().min(1).max(64).optional(),
  partnerId: ID.optional().describe('What-if for a single partner'),
  sort: z.enum(PARTNER_SORTS).default('-difference'),
});

export const simulationRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/simulations',
    {
      config: { access: { resource: 'simulation', action: 'write' } },
      schema: {
        tags: ['simulation'],
        summary:
          "Simulate a draft program against the vendor's history, as a background job: 202 with the job (Location: /api/jobs/{id}) and the simulation's id; the job's result is a SimulationResult. Writes nothing to the ledger, memberships or statements; the draft is never published",
        body: z.object({
          name: z.string().min(1).max(200).optional(),
          draft: z.string().min(1).max(1_000_000).describe('The draft program file (YAML or JSON)'),
          file: z.string().min(1).max(200).optional().describe('The draft file name errors point into'),
          baseline: Baseline.optional(),
          from: IsoDate,
          to: IsoDate,
          shards: shardsField(
            'Shards of partners the simulation computes in, each but the first on a thread of its own that keeps its share of the loaded history for the next run (1..16; default 1). The result is the same whatever the count.',
          ),
        }),
        response: { 202: JobSchema.extend({ simulationId: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const { draft, file, ...rest } = request.body;
      const { job, simulationId } = await startSimulation(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id },
        { ...rest, draftText: draft, draftFile: file },
      );
      const { location, body } = accepted(job);
      return reply
        .status(202)
        .header('location', location)
        .send({ ...body, simulationId });
    },
  );

  app.get(
    '/api/simulations',
    {
      config: { access: { resource: 'simulation', action: 'read' } },
      schema: {
        tags: ['simulation'],
        summary: 'Stored simulations, newest first by default',
        querystring: pageQuery(['createdAt', 'name'] as const, 'createdAt').extend({
          status: z.enum(['running', 'succeeded', 'failed']).optional(),
        }),
        response: { 200: pageOf(SimulationSchema), ...errors },
      },
    },
    (request) => {
      const { status, ...page } = request.query;
      return listSimulations(ctx, request.scope, { status }, page);
    },
  );

  app.get(
    '/api/simulations/compare',
    {
      config: { access: { resource: 'simulation', action: 'read' } },
      schema: {
        tags: ['simulation'],
        summary: 'Two or more finished simulations side by side: totals, components, periods, pools',
        querystring: z.object({
          ids: z
            .string()
            .min(1)
            .max(2000)
            .describe('Simulation ids, comma separated')
            .transform((s) =>
              s
                .split(',')
                .map((x) => x.trim())
                .filter((x) => x.length > 0),
            ),
        }),
        response: { 200: SimulationComparisonSchema, ...errors },
      },
    },
    (request) => compareSimulations(ctx, request.scope, request.query.ids),
  );

  app.get(
    '/api/simulations/:simulationId',
    {
      config: { access: { resource: 'simulation', action: 'read' } },
      schema: {
        tags: ['simulation'],
        summary:
          'One simulation with its inputs and result; the partner list filtered and sorted (winners, losers, tier, zone, region, kind, one partner)',
        params: z.object({ simulationId: ID }),
        querystring: PartnerQuery.extend({
          limit: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
        response: { 200: SimulationDetailSchema, ...errors },
      },
    },
    (request) => {
      const { sort, limit, ...filter } = request.query;
      return getSimulation(ctx, request.scope, request.params.simulationId, {
        filter,
        sort,
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  );

  app.get(
    '/api/simulations/:simulationId/partners.csv',
    {
      config: { access: { resource: 'simulation', action: 'read' } },
      schema: {
        tags: ['simulation'],
        summary: 'The per-partner comparison as CSV (baseline, draft, difference, per component)',
        params: z.object({ simulationId: ID }),
        querystring: PartnerQuery,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const { sort, ...filter } = request.query;
      const csv = await simulationPartnersCsv(ctx, request.scope, request.params.simulationId, {
        filter,
        sort,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.simulationId}-partners.csv"`)
        .send(csv as never);
    },
  );
};
