import { z } from 'zod';
import { createProduct } from '../../app/catalog/products.js';
import { MAX_LIST_PRICE_MINOR } from '../../core/catalog/product-input.js';
import { LICENSING_MODELS, PRODUCT_FAMILIES, SOLUTION_MAX } from '../../core/model/catalog.js';
import { getProduct, listProducts } from '../../app/queries.js';
import { actorOf } from '../access.js';
import { errorResponses, ID, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const Solution = z
  .string()
  .min(1)
  .max(SOLUTION_MAX)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens');

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
    licensing: z
      .string()
      .nullable()
      .describe(
        `Licensing model of a software SKU (${LICENSING_MODELS.join(', ')}); null for hardware and services`,
      ),
    solution: z.string().nullable().describe("The vendor's solution area code, e.g. cloud-infrastructure"),
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
          licensing: z.enum(LICENSING_MODELS).optional(),
          solution: Solution.optional(),
          q: z.string().min(1).max(100).optional().describe('Name or SKU contains'),
        }),
        response: { 200: pageOf(ProductSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, family, licensing, solution, q, ...page } = request.query;
      return listProducts(ctx, request.scope, { vendorId: vendor, family, licensing, solution, q }, page);
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
  app.post(
    '/api/products',
    {
      config: { access: { resource: 'product', action: 'write' } },
      schema: {
        tags: ['catalogue'],
        summary:
          "Adds a product to the caller's vendor catalogue with its licensing model and solution area (vendor admins; audited). The same SKU with the same content answers the stored product (200); other content under a stored SKU is a 409",
        body: z.object({
          sku: z.string().min(1).max(64),
          name: z.string().min(1).max(200),
          family: z.enum(PRODUCT_FAMILIES),
          listPriceMinor: z.number().int().min(0).max(MAX_LIST_PRICE_MINOR).describe('Minor units'),
          currency: z.string().length(3),
          licensing: z
            .enum(LICENSING_MODELS)
            .nullable()
            .optional()
            .describe('Software only: perpetual, term, subscription or saas; omitted or null on hardware'),
          solution: Solution.nullable().optional(),
        }),
        response: {
          200: ProductSchema,
          201: ProductSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const out = await createProduct(ctx, { actor: actorOf(request), scope: request.scope }, request.body, {
        requestId: request.id,
      });
      return reply.status(out.replayed ? 200 : 201).send(out.product);
    },
  );
};
