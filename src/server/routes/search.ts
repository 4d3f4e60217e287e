import { z } from 'zod';
import { search, SEARCH_KINDS, SEARCH_MAX } from '../../app/search.js';
import { actorOf } from '../access.js';
import { errorResponses } from '../schemas.js';
import type { RouteModule } from '../types.js';

const SearchHitSchema = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: z.string(),
    label: z.string().describe('A name, an order number, a statement as partner and period'),
    detail: z.string().nullable(),
    vendorId: z.string().nullable(),
  })
  .meta({ id: 'SearchHit' });

export const searchRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/search',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['search'],
        summary:
          "Search everything the caller may see: partners, customers, products, programs, deal registrations (customer name), statements (id, period or partner name) and orders (number or id); at most 5 of each, in the caller's scope",
        querystring: z.object({
          q: z
            .string()
            .max(SEARCH_MAX * 4)
            .describe('2 to 100 characters'),
        }),
        response: {
          200: z.object({ q: z.string(), items: z.array(SearchHitSchema) }),
          ...errorResponses,
        },
      },
    },
    (request) => search(ctx, actorOf(request), request.query.q),
  );
};
