import { z } from 'zod';
import { PRODUCT_FAMILIES } from '../../core/model/catalog.js';
import { getProduct, listProducts } from '../../app/queries.js';
import { errorResponses, ID, pageOf, pageQuery } from '../schemas.js';
import type { RouteModule } from '../types.js';

const ProductSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    sku: z.string(),
    name: z.string(),
    family: z.string(),
    listPriceMinor: z.number().int().describe('List price in minor units of currency'),
    currency: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Product' });

export const productRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/products',
    {
      config: { access: { resource: 'product', action: 'read' } },
      schema: {
        tags: ['catalogue'],
        summary: 'List products',
        querystring: pageQuery(['name', 'sku', 'listPrice'] as const, 'sku').extend({
          vendor: ID.optional(),
          family: z.enum(PRODUCT_FAMILIES).optional(),
          q: z.string().min(1).max(100).optional().describe('Name or SKU contains'),
        }),
        response: { 200: pageOf(ProductSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, family, q, ...page } = request.query;
      return listProducts(ctx, request.scope, { vendorId: vendor, family, q }, page);
    },
  );
  app.get(
    '/api/products/:productId',
    {
      config: { access: { resource: 'product', action: 'read' } },
      schema: {
        tags: ['catalogue'],
        summary: 'Get a product',
        params: z.object({ productId: ID }),
        response: { 200: ProductSchema, ...errorResponses },
      },
    },
    (request) => getProduct(ctx, request.scope, request.params.productId),
  );
};
