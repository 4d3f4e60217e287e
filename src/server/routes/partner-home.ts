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
        components: z
          .array(z.object({ code: z.string(), name: z.string() }))
          .describe("The program year's components in the program's order (the names `monthly` uses)"),
        standing: z
          .object({
            tier: z
              .object({
                code: z.string(),
                name: z.string(),
                rank: z.number().int().describe('1 for the floor tier'),
                of: z.number().int().describe("The program's number of tiers"),
                since: z.string(),
              })
              .nullable(),
            statuses: z.array(z.object({ code: z.string(), name: z.string(), until: z.string().nullable() })),
            next: z
              .object({
                tier: z.string(),
                name: z.string(),
                path: z.string().describe('The path closest to being met'),
                percent: z.number().int().describe("The path's average progress, 0-100"),
                gaps: z.array(
                  z.object({
                    measure: z.string(),
                    family: z.string().nullable(),
                    kind: z.string().nullable(),
                    target: z.number(),
                    current: z.number(),
                    gap: z.number(),
                  }),
                ),
              })
              .nullable()
              .describe('null at the top tier'),
            currency: z.string(),
          })
          .nullable(),
        earnings: z.array(
          z.object({
            currency: z.string(),
            yearEarnedMinor: z.number().int(),
            yearPaidMinor: z.number().int(),
            periodEarnedMinor: z.number().int(),
            periodPaidMinor: z.number().int().describe('Paid for the current period'),
            periodProjectedMinor: z
              .number()
              .int()
              .nullable()
              .describe('Earned in the period plus what a close would post today; null once closed'),
            provisional: z.boolean().describe('A period counted is not closed yet'),
          }),
        ),
        nextPayout: z.object({ period: z.string(), closeOn: z.string(), payOn: z.string() }).nullable(),
        registrations: z.object({
          awaitingReview: z.number().int(),
          protected: z.array(
            z.object({
              id: z.string(),
              customerName: z.string(),
              totalMinor: z.number().int(),
              currency: z.string(),
              protectedUntil: z.string(),
              daysLeft: z.number().int(),
            }),
          ),
        }),
        offers: z.array(
          z.object({
            id: z.string(),
            routedOrderId: z.string(),
            deadline: z.string(),
            offeredAt: z.string(),
          }),
        ),
        statements: z.object({
          toRead: z.number().int().describe('Issued or approved, not paid yet (of the latest listed)'),
          latest: z.array(
            z.object({
              id: z.string(),
              period: z.string(),
              sequence: z.number().int(),
              status: z.string(),
              totalMinor: z.number().int(),
              currency: z.string(),
              payOn: z.string(),
              payout: z
                .object({
                  currency: z.string(),
                  totalMinor: z
                    .number()
                    .int()
                    .nullable()
                    .describe(
                      "The total converted; null until the rate is fixed (the payout day's, when paid)",
                    ),
                })
                .nullable()
                .describe("Paid in the partner's currency (null: in the statement's)"),
            }),
          ),
        }),
        certificationsExpiring: z.array(
          z.object({
            id: z.string(),
            code: z.string(),
            kind: z.string(),
            family: z.string(),
            personId: z.string(),
            personName: z.string(),
            expiresOn: z.string(),
            daysLeft: z.number().int(),
          }),
        ),
        monthly: z
          .array(
            z.object({
              month: z.string(),
              component: z.string(),
              currency: z.string(),
              amountMinor: z.number().int(),
            }),
          )
          .describe('Earned per month (YYYY-MM) of the program year and component'),
        distributor: z
          .object({
            sellOut: z.array(
              z.object({
                currency: z.string(),
                yearMinor: z.number().int(),
                periodMinor: z.number().int(),
                resellers: z.number().int(),
              }),
            ),
            resellers: z.array(
              z.object({ id: z.string(), name: z.string(), country: z.string(), since: z.string() }),
            ),
          })
          .nullable()
          .describe("A distributor's sell-out and the resellers it supplies (never their standing)"),
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
          "A partner's home across its vendors in one answer: per program, the year and period, tier and closest next tier, earned (year, quarter, projected) and paid, next payout, open registrations with their protection countdown, offers to answer, statements, certifications expiring, earnings by month and component; a distributor's sell-out and resellers (a partner reads only its own; a vendor only its programs)",
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
