import { z } from 'zod';
import { getVendor, listVendors } from '../../app/queries.js';
import { errorResponses, pageOf, pageQuery } from '../schemas.js';
import type { RouteModule } from '../types.js';

export const VendorSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), currency: z.string(), createdAt: z.string() })
  .meta({ id: 'Vendor' });

export const vendorRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/vendors',
    {
      config: { access: { resource: 'vendor', action: 'read' } },
      schema: {
        tags: ['vendors'],
        summary: 'List vendors',
        querystring: pageQuery(['name', 'createdAt'] as const, 'name'),
        response: { 200: pageOf(VendorSchema), ...errorResponses },
      },
    },
    (request) => listVendors(ctx, request.scope, request.query),
  );
  app.get(
    '/api/vendors/:vendorId',
    {
      config: { access: { resource: 'vendor', action: 'read' } },
      schema: {
        tags: ['vendors'],
        summary: 'Get a vendor by id or slug',
        params: z.object({ vendorId: z.string().min(1).max(64) }),
        response: { 200: VendorSchema, ...errorResponses },
      },
    },
    (request) => getVendor(ctx, request.scope, request.params.vendorId),
  );
};
