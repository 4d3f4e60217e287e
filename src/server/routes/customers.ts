import { z } from 'zod';
import { REGIONS, SEGMENTS } from '../../core/model/geography.js';
import { getCustomer, listCustomers } from '../../app/queries.js';
import { Country, errorResponses, ID, pageOf, pageQuery } from '../schemas.js';
import type { RouteModule } from '../types.js';

const CustomerSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    country: z.string(),
    region: z.string(),
    segment: z.string(),
    addressLine: z.string().nullable(),
    city: z.string().nullable(),
    postalCode: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Customer' });

export const customerRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/customers',
    {
      config: { access: { resource: 'customer', action: 'read' } },
      schema: {
        tags: ['customers'],
        summary: 'List end-customer accounts',
        querystring: pageQuery(['name', 'country', 'createdAt'] as const, 'name').extend({
          vendor: ID.optional(),
          country: Country.optional(),
          region: z.enum(REGIONS).optional(),
          segment: z.enum(SEGMENTS).optional(),
          q: z.string().min(1).max(100).optional().describe('Name contains (case-insensitive)'),
        }),
        response: { 200: pageOf(CustomerSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, country, region, segment, q, ...page } = request.query;
      return listCustomers(ctx, request.scope, { vendorId: vendor, country, region, segment, q }, page);
    },
  );
  app.get(
    '/api/customers/:customerId',
    {
      config: { access: { resource: 'customer', action: 'read' } },
      schema: {
        tags: ['customers'],
        summary: 'Get a customer',
        params: z.object({ customerId: ID }),
        response: { 200: CustomerSchema, ...errorResponses },
      },
    },
    (request) => getCustomer(ctx, request.scope, request.params.customerId),
  );
};
