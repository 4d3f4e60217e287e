import { z } from 'zod';
import { getProgram, listPrograms } from '../../app/queries.js';
import { ProgramDefinitionSchema } from '../program-definition.js';
import { errorResponses, ID, pageOf, pageQuery } from '../schemas.js';
import type { RouteModule } from '../types.js';

const ProgramSchema = z
  .object({ id: z.string(), vendorId: z.string(), code: z.string(), name: z.string(), createdAt: z.string() })
  .meta({ id: 'Program' });

const ProgramDetailSchema = ProgramSchema.extend({
  versions: z.array(
    z.object({
      id: z.string(),
      version: z.string(),
      status: z.string(),
      effectiveFrom: z.string(),
      effectiveTo: z.string(),
      sourceHash: z.string(),
      publishedAt: z.string().nullable(),
      tiers: z.array(
        z.object({ code: z.string(), name: z.string(), rank: z.number(), invitationOnly: z.boolean() }),
      ),
      definition: ProgramDefinitionSchema,
    }),
  ),
}).meta({ id: 'ProgramDetail' });

export const programRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/programs',
    {
      config: { access: { resource: 'program', action: 'read' } },
      schema: {
        tags: ['programs'],
        summary: 'List programs',
        querystring: pageQuery(['name', 'code', 'createdAt'] as const, 'name').extend({
          vendor: ID.optional(),
        }),
        response: { 200: pageOf(ProgramSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, ...page } = request.query;
      return listPrograms(ctx, request.scope, { vendorId: vendor }, page);
    },
  );
  app.get(
    '/api/programs/:programId',
    {
      config: { access: { resource: 'program', action: 'read' } },
      schema: {
        tags: ['programs'],
        summary: 'Get a program (by id or code) with its versions, tiers and incentive components',
        params: z.object({ programId: z.string().min(1).max(64) }),
        response: { 200: ProgramDetailSchema, ...errorResponses },
      },
    },
    // The stored definition is the parser's normalised output, which ProgramDefinitionSchema describes (and
    // the response serializer checks).
    async (request) =>
      (await getProgram(ctx, request.scope, request.params.programId)) as z.infer<typeof ProgramDetailSchema>,
  );
};
