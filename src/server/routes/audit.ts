import { z } from 'zod';
import { listAudit } from '../../app/access/audit.js';
import { errorResponses, ID, IsoDate, pageOf, pageQuery } from '../schemas.js';
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
          from: z.iso
            .datetime()
            .or(IsoDate)
            .optional()
            .describe('From this instant, or from the start of this day (YYYY-MM-DD, UTC)'),
          to: z.iso
            .datetime()
            .or(IsoDate)
            .optional()
            .describe('Up to this instant, or to the end of this day (YYYY-MM-DD, UTC)'),
        }),
        response: { 200: pageOf(AuditEventSchema), ...errorResponses },
      },
    },
    (request) => {
      const { action, targetType, targetId, actor, from, to, ...page } = request.query;
      // A day stands for its whole span: from its first instant, to its last.
      const since = from && from.length === 10 ? `${from}T00:00:00.000Z` : from;
      const until = to && to.length === 10 ? `${to}T23:59:59.999Z` : to;
      return listAudit(
        ctx,
        request.scope,
        { action, targetType, targetId, actorId: actor, from: since, to: until },
        page,
      );
    },
  );
};
