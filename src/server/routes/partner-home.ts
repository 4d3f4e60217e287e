import { z } from 'zod';
import { partnerHome } from '../../app/programs/partner-home.js';
import { ID, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const PartnerHomeSchema = z
  .object({
    partnerId: z.string(),
    partnerName: z.string(),
    today: z.string(),
    programs: z.array(
      z.object({
        programId: z.string(),
        code: z.string(),
        name: z.string(),
        vendorId: z.string(),
        vendorName: z.string(),
        enrolment: z.object({ status: z.string(), partnerNumber: z.string(), enrolledAt: z.string() }),
        asOf: z
          .string()
          .nullable()
          .describe(
            'Today when a version is in force today, else the last day of the latest program year (null: none published)',
          ),
        inForceToday: z.boolean(),
        year: z
          .object({
            version: z.string(),
            from: z.string(),
            to: z.string().nullable(),
            periods: z.array(z.object({ code: z.string(), from: z.string(), to: z.string() })),
          })
          .nullable()
          .describe('The program year in force on `asOf` and its periods'),
        currentPeriod: z.string().nullable().describe('The period `asOf` falls in (e.g. FY22-Q3)'),
      }),
    ),
  })
  .meta({ id: 'PartnerHome' });

export const partnerHomeRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/partners/:partnerId/home',
    {
      config: { access: { resource: 'membership', action: 'read' } },
      schema: {
        tags: ['tiers'],
        summary:
          "A partner's home across its vendors: each program it is enrolled in with its program year and current period (a partner reads only its own; a vendor only its programs)",
        params: z.object({ partnerId: ID }),
        response: {
          200: PartnerHomeSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    (request) => partnerHome(ctx, request.scope, request.params.partnerId),
  );
};
