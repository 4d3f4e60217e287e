import { z } from 'zod';
import { listAudit } from '../../app/access/audit.js';
import { errorResponses, ID, pageOf, pageQuery } from '../schemas.js';
import type { RouteModule } from '../types.js';

const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable().describe('The person or API token that acted, by name'),
    role: z.string().nullable(),
    vendorId: z.string().nullable(),
    partnerId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    beforeDigest: z.string().nullable(),
    afterDigest: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const auditRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/audit',
    {
      config: { access: { resource: 'audit', action: 'read' } },
      schema: {
        tags: ['access'],
        summary: "The audit trail of my vendor's data (vendor admins and auditors)",
        querystring: pageQuery(['at'] as const, 'at').extend({
          direction: z.enum(['asc', 'desc']).default('desc'),
          action: z.string().max(64).optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(64).optional(),
          actor: ID.optional(),
          from: z.iso.datetime().optional(),
          to: z.iso.datetime().optional(),
        }),
        response: { 200: pageOf(AuditEventSchema), ...errorResponses },
      },
    },
    (request) => {
      const { action, targetType, targetId, actor, from, to, ...page } = request.query;
      return listAudit(ctx, request.scope, { action, targetType, targetId, actorId: actor, from, to }, page);
    },
  );
};
