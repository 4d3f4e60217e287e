import { z } from 'zod';
import { PARTNER_KINDS } from '../../core/model/partners.js';
import { REGIONS } from '../../core/model/geography.js';
import { getPartner, listPartners } from '../../app/queries.js';
import { Country, errorResponses, ID, pageOf, pageQuery } from '../schemas.js';
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
    }),
  ),
}).meta({ id: 'PartnerDetail' });

export const partnerRoutes: RouteModule = (app, ctx) => {
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
