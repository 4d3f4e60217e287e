import { z } from 'zod';
import { vendorHome } from '../../app/programs/vendor-home.js';
import { ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const PerCurrency = z.object({
  currency: z.string(),
  yearMinor: z.number().int(),
  periodMinor: z.number().int(),
});

const VendorHomeSchema = z
  .object({
    vendorId: z.string(),
    vendorName: z.string(),
    today: z.string(),
    regions: z.array(z.string()).describe("A channel manager's regions (empty: the whole vendor)"),
    programs: z.array(
      z.object({
        programId: z.string(),
        code: z.string(),
        name: z.string(),
        currency: z.string(),
        asOf: z.string().describe('Today, or the last day of the latest program year when none is in force'),
        inForceToday: z.boolean(),
        year: z.object({ version: z.string(), from: z.string(), to: z.string() }),
        currentPeriod: z.string().nullable(),
        revenue: z
          .array(PerCurrency)
          .describe('Revenue through the channel (reseller and distributor lines), year to date and period'),
        rebates: z.array(
          z.object({
            currency: z.string(),
            yearAccruedMinor: z.number().int(),
            yearPaidMinor: z.number().int(),
            periodAccruedMinor: z.number().int(),
          }),
        ),
        budgetPools: z
          .array(
            z.object({
              code: z.string(),
              name: z.string(),
              currency: z.string(),
              amountMinor: z.number().int(),
              accruedMinor: z.number().int(),
              usedPpm: z.number().int(),
              exhausted: z.boolean(),
            }),
          )
          .nullable()
          .describe('null for a channel manager limited to regions (pools are vendor-wide totals)'),
        tiers: z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            status: z.boolean().describe('An invitation-only status rather than a tier'),
            partners: z.number().int(),
          }),
        ),
        movement: z.object({ days: z.number().int(), up: z.number().int(), down: z.number().int() }),
      }),
    ),
    queues: z.object({
      registrations: z.object({
        count: z.number().int(),
        overdue: z.number().int().describe('Past their review SLA'),
        first: z.array(
          z.object({
            id: z.string(),
            partnerId: z.string(),
            partnerName: z.string(),
            customerName: z.string(),
            totalMinor: z.number().int(),
            currency: z.string(),
            status: z.string(),
            reviewDueAt: z.string().nullable(),
          }),
        ),
      }),
      disputes: z.object({
        count: z.number().int(),
        first: z.array(
          z.object({
            id: z.string(),
            partnerId: z.string(),
            partnerName: z.string(),
            statementId: z.string(),
            requestedMinor: z.number().int(),
            currency: z.string(),
            openedAt: z.string(),
          }),
        ),
      }),
      statements: z.array(
        z.object({
          programId: z.string(),
          programCode: z.string(),
          period: z.string(),
          status: z.enum(['draft', 'issued', 'approved']),
          currency: z.string(),
          count: z.number().int(),
          totalMinor: z.number().int(),
          payOn: z.string(),
        }),
      ),
      closesDue: z.array(
        z.object({
          programId: z.string(),
          programCode: z.string(),
          period: z.string(),
          closeOn: z.string(),
          payOn: z.string(),
          overdue: z.boolean(),
        }),
      ),
      offers: z.object({
        count: z.number().int(),
        lapsingSoon: z.number().int().describe('Open offers whose deadline is within 48 hours'),
        first: z.array(
          z.object({
            id: z.string(),
            partnerId: z.string(),
            partnerName: z.string(),
            routedOrderId: z.string(),
            deadline: z.string(),
          }),
        ),
      }),
    }),
  })
  .meta({ id: 'VendorHome' });

export const vendorHomeRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/vendors/:vendorId/home',
    {
      config: { access: { resource: 'close', action: 'read' } },
      schema: {
        tags: ['settlement'],
        summary:
          "A vendor's home: each program's KPIs (channel revenue, rebates accrued and paid, budget pools, partners by tier and their moves) and the work queues (registrations by SLA, disputes, statements to issue, approve and pay, closes due, offers lapsing). Vendor people only, their own vendor; a channel manager sees its regions",
        params: z.object({ vendorId: z.string().min(1).max(64) }),
        response: {
          200: VendorHomeSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    (request) => vendorHome(ctx, request.scope, request.params.vendorId),
  );
};
