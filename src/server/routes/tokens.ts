import { z } from 'zod';
import { TOKEN_SCOPES } from '../../core/access/actor.js';
import { ROLES } from '../../core/model/people.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/access/tokens.js';
import { actorOf } from '../access.js';
import { ID, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('First characters of the token, to tell tokens apart'),
    vendorId: z.string().nullable(),
    partnerId: z.string().nullable(),
    role: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const tokenRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/tokens',
    {
      config: { access: { resource: 'token', action: 'read' } },
      schema: {
        tags: ['access'],
        summary: "List my organisation's API tokens",
        response: { 200: z.object({ items: z.array(TokenSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await listApiTokens(ctx, actorOf(request)) }),
  );
  app.post(
    '/api/tokens',
    {
      config: { access: { resource: 'token', action: 'manage' } },
      schema: {
        tags: ['access'],
        summary: 'Create an API token for my vendor or partner; the token is shown once',
        body: z.object({
          name: z.string().min(1).max(100),
          scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
          role: z.enum(ROLES).optional(),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
        }),
        response: {
          201: z.object({
            token: z.string().describe('Send as Authorization: Bearer <token>. Not shown again.'),
            tokenInfo: TokenSchema,
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(ctx, actorOf(request), { ...request.body, requestId: request.id });
      return reply.status(201).send(created);
    },
  );
  app.delete(
    '/api/tokens/:tokenId',
    {
      config: { access: { resource: 'token', action: 'manage' } },
      schema: {
        tags: ['access'],
        summary: 'Revoke an API token',
        params: z.object({ tokenId: ID }),
        response: { 200: TokenSchema, ...errors },
      },
    },
    (request) => revokeApiToken(ctx, actorOf(request), request.params.tokenId, request.id),
  );
};
