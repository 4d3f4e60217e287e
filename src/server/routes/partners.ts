import { z } from 'zod';
import { PARTNER_KINDS } from '../../core/model/partners.js';
import { REGIONS } from '../../core/model/geography.js';
import { getPartner, listPartners } from '../../app/queries.js';
import { listPayoutCurrencies, setPayoutCurrency } from '../../app/incentives/payout-currency.js';
import { actorOf } from '../access.js';
import { Country, errorResponses, ID, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const PartnerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    country: z.string(),
    region: z.string(),
    domain: z.string().nullable(),
    createdAt: z.string(),
    representsVendorId: z
      .string()
      .nullable()
      .describe(
        "The vendor this partner stands for when a vendor acts as a distributor of another vendor's products (e.g. Dell distributing VMware); null for ordinary partners",
      ),
  })
  .meta({ id: 'Partner' });

const PartnerDetailSchema = PartnerSchema.extend({
  enrolments: z.array(
    z.object({
      id: z.string(),
      vendorId: z.string(),
      programId: z.string(),
      partnerNumber: z.string(),
      status: z.string(),
      exclusive: z.boolean(),
      enrolledAt: z.string(),
      payoutCurrency: z
        .string()
        .nullable()
        .describe(
          "The currency the partner chose to be paid in under this program; null = the program's own",
        ),
    }),
  ),
}).meta({ id: 'PartnerDetail' });

const PayoutCurrencySchema = z
  .object({
    partnerId: z.string(),
    programId: z.string(),
    programCode: z.string(),
    vendorId: z.string(),
    currency: z.string().describe('The currency the partner is paid in under the program'),
    programCurrency: z.string().describe("The program's own currency (statement lines and totals)"),
    chosen: z.boolean().describe("True when the partner chose it; false when it is the program's default"),
    allowed: z.array(z.string()).describe('The currencies the program allows partners to be paid in'),
  })
  .meta({ id: 'PayoutCurrency' });

export const partnerRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/partners/:partnerId/payout-currencies',
    {
      config: { access: { resource: 'partner', action: 'read' } },
      schema: {
        tags: ['partners'],
        summary:
          'The currency the partner is paid in under each program it is enrolled in (that the caller may see), and the currencies each program allows',
        params: z.object({ partnerId: ID }),
        response: { 200: z.object({ items: z.array(PayoutCurrencySchema) }), ...errorResponses },
      },
    },
    (request) => listPayoutCurrencies(ctx, request.scope, request.params.partnerId),
  );
  app.put(
    '/api/partners/:partnerId/payout-currency',
    {
      config: { access: { resource: 'partner', action: 'manage' } },
      schema: {
        tags: ['partners'],
        summary:
          "Choose the currency the partner is paid in under a program (one of the program's payout currencies; audited). Statements take it when issued; an issued statement keeps its currency",
        params: z.object({ partnerId: ID }),
        body: z.object({
          program: z.string().min(1).max(64).describe('Program id or code'),
          currency: z
            .string()
            .min(3)
            .max(3)
            .describe("ISO 4217 code, one of the program's payout currencies (its own to go back to it)"),
        }),
        response: { 200: PayoutCurrencySchema, 403: ProblemSchema, ...errorResponses },
      },
    },
    (request) =>
      setPayoutCurrency(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id },
        request.params.partnerId,
        request.body,
      ),
  );
  app.get(
    '/api/partners',
    {
      config: { access: { resource: 'partner', action: 'read' } },
      schema: {
        tags: ['partners'],
        summary: 'List partners',
        querystring: pageQuery(['name', 'country', 'createdAt'] as const, 'name').extend({
          vendor: ID.optional().describe('Only partners enrolled with this vendor'),
          program: ID.optional().describe('Only partners enrolled in this program'),
          kind: z.enum(PARTNER_KINDS).optional(),
          country: Country.optional(),
          region: z.enum(REGIONS).optional(),
          q: z.string().min(1).max(100).optional().describe('Name contains (case-insensitive)'),
        }),
        response: { 200: pageOf(PartnerSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, program, kind, country, region, q, ...page } = request.query;
      return listPartners(
        ctx,
        request.scope,
        { vendorId: vendor, programId: program, kind, country, region, q },
        page,
      );
    },
  );
  app.get(
    '/api/partners/:partnerId',
    {
      config: { access: { resource: 'partner', action: 'read' } },
      schema: {
        tags: ['partners'],
        summary: 'Get a partner with the enrolments the caller may see',
        params: z.object({ partnerId: ID }),
        response: { 200: PartnerDetailSchema, ...errorResponses },
      },
    },
    (request) => getPartner(ctx, request.scope, request.params.partnerId),
  );
};
