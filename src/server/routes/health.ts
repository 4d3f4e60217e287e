import { z } from 'zod';
import { checkHealth } from '../../app/health.js';
import type { RouteModule } from '../types.js';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  schema: z.object({ version: z.string().nullable(), latest: z.string(), upToDate: z.boolean() }),
});

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and schema version (nothing about where the data lives)',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      const health = await checkHealth(ctx);
      return reply.status(health.status === 'ok' ? 200 : 503).send(health);
    },
  );
};
