import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  importOrderUpload,
  problemDetails,
  rejectsHeader,
  rejectsLine,
} from '../../app/orders/import-orders.js';
import { TrellisError } from '../../core/shared/errors.js';
import { actorOf } from '../access.js';
import { problem, sendProblem } from '../errors.js';
import { ProblemSchema } from '../schemas.js';
import type { RouteModule, Server } from '../types.js';

const Flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

const ImportSummarySchema = z
  .object({
    name: z.string(),
    vendor: z.object({ id: z.string(), slug: z.string(), name: z.string(), currency: z.string() }),
    variant: z.enum(['orders', 'sell-out']).describe('sell-out: a distributor’s own report'),
    rows: z.number().int().describe('Data rows read (the header not counted)'),
    orders: z.object({
      created: z.number().int(),
      replayed: z.number().int().describe('Already stored with the same content: skipped'),
      rejected: z.number().int(),
    }),
    lines: z.object({ created: z.number().int(), rejected: z.number().int() }),
    ledger: z.object({
      transactions: z.number().int(),
      entries: z.number().int(),
      accruedMinor: z.number().int(),
    }),
    ignoredColumns: z.array(z.string()),
    dryRun: z.boolean(),
    allowPartial: z.boolean(),
    seconds: z.number(),
    rejected: z
      .object({
        errors: z
          .array(z.object({ location: z.string(), message: z.string() }))
          .describe('Every problem of the rejected orders (at most 1,000), "row 12, column quantity"'),
        problemCount: z.number().int(),
        csv: z
          .string()
          .describe('The rejected rows as CSV: the header as sent plus an error column (empty when none)'),
      })
      .describe('With allowPartial=true: what was not stored, and why'),
  })
  .meta({ id: 'OrderImport' });

/**
 * CSV imports. The body is the file itself (`text/csv`), read as a stream: it is spooled to a temporary
 * file and imported from there (so a slow upload never holds the store), by the same use case as
 * `trellis import orders`.
 */
export const importRoutes: RouteModule = (app, ctx) => {
  // text/csv is read by the handler as a stream, in this module's scope only.
  void app.register(async (scope) => {
    const scoped = scope as unknown as Server;
    scoped.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
      done(null, payload),
    );
    scoped.post(
      '/api/imports/orders',
      {
        config: { access: { resource: 'order', action: 'write' } },
        schema: {
          tags: ['orders'],
          summary:
            'Import orders from a CSV file (one row per order line; docs/csv-formats.md): all or nothing unless allowPartial=true; re-importing a file changes nothing. A distributor may import only its own sell-out',
          querystring: z.object({
            vendor: z
              .string()
              .min(1)
              .max(64)
              .optional()
              .describe('Vendor id or slug (required for distributors)'),
            allowPartial: Flag.describe('true: store the valid orders, return the rejected rows'),
            dryRun: Flag.describe('true: check everything, store nothing'),
          }),
          response: {
            200: ImportSummarySchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
          return sendProblem(
            reply,
            problem(
              415,
              'unsupported_media_type',
              'send the CSV file as the body, with content-type text/csv',
              request.url,
            ),
          );
        const rejected: string[] = [];
        let header: readonly string[] = [];
        const outcome = await importOrderUpload(
          ctx,
          { actor: actorOf(request), scope: request.scope, requestId: request.id },
          body,
          {
            vendor: request.query.vendor,
            allowPartial: request.query.allowPartial,
            dryRun: request.query.dryRun,
            name: 'upload',
            onHeader: (names) => {
              header = names;
            },
            onReject: (row) => rejected.push(rejectsLine(row)),
          },
        );
        if (!outcome.ok)
          throw new TrellisError(
            'invalid_input',
            `${outcome.message}${outcome.problemCount > outcome.problems.length ? ` (the first ${outcome.problems.length} of ${outcome.problemCount} problems are listed)` : ''}`,
            problemDetails(outcome.problems),
          );
        const { header: _header, ...summary } = outcome.summary;
        return {
          ...summary,
          rejected: {
            errors: problemDetails(outcome.problems),
            problemCount: outcome.problemCount,
            csv: rejected.length > 0 ? rejectsHeader(header) + rejected.join('') : '',
          },
        };
      },
    );
  });
};
