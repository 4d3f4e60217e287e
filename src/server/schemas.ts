import { z } from 'zod';

/** Shared pieces of the API's zod schemas (from which the OpenAPI document is generated). */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ location: z.string(), message: z.string() })).optional(),
    messageKey: z
      .string()
      .optional()
      .describe('Code of the message, for clients that show it in another language (with `params`)'),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const ID = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z]+_[0-9a-z]+$/, 'is not a Trellis id');
export const IsoDate = z.iso.date();
export const Country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB');

export function pageQuery<S extends readonly [string, ...string[]]>(sorts: S, defaultSort: S[number]) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page (1-500).'),
    cursor: z.string().max(512).optional().describe('The nextCursor of the previous page.'),
    sort: z
      .enum(sorts)
      .default(defaultSort as never)
      .describe('Sort field.'),
    direction: z.enum(['asc', 'desc']).default('asc'),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const errorResponses = {
  400: ProblemSchema,
  404: ProblemSchema,
};
