import { z } from 'zod';
import type { Message } from '../core/messages/message.js';

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
/** Shards of partners a close or a simulation computes in (1..16: `MAX_SHARDS`), described for its route. */
export const shardsField = (description: string) =>
  z.number().int().min(1).max(16).optional().describe(description);
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
    format: z
      .enum(['json', 'csv'])
      .optional()
      .describe(
        'csv: the whole list under these filters and sort as one CSV file (streamed; limit and cursor are ignored), else this page as JSON.',
      ),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const errorResponses = {
  400: ProblemSchema,
  404: ProblemSchema,
};

/** A parameter of a server sentence (`core/messages`): a text, a number, or a value to format. */
const MessageValueSchema = z.union([
  z.string(),
  z.number(),
  z.object({ money: z.object({ amountMinor: z.number().int(), currency: z.string() }) }),
  z.object({ percent: z.number().int().describe('ppm') }),
  z.object({ factor: z.number().int().describe('ppm') }),
  z.object({ day: IsoDate }),
  z.object({ list: z.array(z.string()) }),
  z.object({
    decimal: z
      .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
      .describe('a number, or an exact decimal as text'),
    digits: z.number().int().min(0).max(10),
  }),
  z.object({
    get message() {
      return MessageSchema;
    },
  }),
]);

export const MessageSchema: z.ZodType<Message> = z
  .object({
    key: z
      .string()
      .describe(
        'The sentence in the app’s `explain` catalogues (web/src/i18n/explain-<area>.en.ts, key <area>.<name>)',
      ),
    get params() {
      return z.record(z.string(), MessageValueSchema);
    },
  })
  .meta({
    id: 'Message',
    description:
      'A sentence the server wrote, as a catalogue key and typed parameters, for clients that show it in another language; the English text is sent beside it',
  }) as unknown as z.ZodType<Message>;
