import type { Readable } from 'node:stream';
import { z } from 'zod';
import { importingVendor } from '../../app/orders/import-orders.js';
import { TrellisError } from '../../core/shared/errors.js';
import { problem, sendProblem } from '../errors.js';
import { ProblemSchema } from '../schemas.js';
import type { RouteModule, Server } from '../types.js';
import { acceptUploadJob, JobSchema } from './jobs.js';

const Flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

/** The result of an import job. */
export const ImportSummarySchema = z
  .object({
    name: z.string(),
    vendor: z.object({ id: z.string(), slug: z.string(), name: z.string(), currency: z.string() }),
    variant: z.enum(['orders', 'sell-out']).describe('sell-out: a distributor’s own report'),
    rows: z.number().int().describe('Data rows read (the header not counted)'),
    orders: z.object({
      created: z.number().int(),
      replayed: z.number().int().describe('Already stored with the same content: skipped'),
      rejected: z.number().int(),
      routed: z
        .number()
        .int()
        .describe(
          'Direct orders the rules of engagement offered to a partner instead of booking them (GET /api/routing)',
        ),
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

/** The result of a deal-registration import. */
export const DealImportSchema = z
  .object({
    name: z.string(),
    partnerId: z.string(),
    rows: z.number().int().describe('Data rows read (the header not counted)'),
    registrations: z.number().int(),
    created: z.number().int().describe('Registered now (in a dry run: that would have been)'),
    drafts: z.number().int(),
    submitted: z.number().int(),
    conflicts: z
      .number()
      .int()
      .describe(
        'Submitted and answered "conflict": an earlier registration or a direct account covers the customer',
      ),
    alreadyRegistered: z.number().int().describe('References registered before: left as they are'),
    submit: z.boolean(),
    dryRun: z.boolean(),
    ignoredColumns: z.array(z.string()),
    items: z.array(
      z.object({
        line: z.number().int().describe("The line of the registration's first row (the header is line 1)"),
        externalRef: z.string(),
        outcome: z.enum(['draft', 'submitted', 'conflict', 'already-registered']),
        id: z.string().nullable().describe('Null in a dry run'),
        status: z.string(),
        reasonCode: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'DealImport' });

/**
 * CSV imports. The body is the file itself (`text/csv`), read as a stream: it is spooled to a temporary
 * file and imported from there (so a slow upload never holds the store), by the same use case as
 * `trellis import orders`.
 */
/** The uploaded CSV as a stream, or null when the body was not sent as text/csv. */
function csvBody(body: unknown): Readable | null {
  return body && typeof (body as { pipe?: unknown }).pipe === 'function' ? (body as Readable) : null;
}

/** The answer to an upload that is not a CSV body (415). */
function notCsv(reply: Parameters<typeof sendProblem>[0], url: string) {
  return sendProblem(
    reply,
    problem(415, 'unsupported_media_type', 'send the CSV file as the body, with content-type text/csv', url),
  );
}

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
            'Import orders from a CSV file (one row per order line; docs/csv-formats.md): all or nothing unless allowPartial=true; re-importing a file changes nothing. A distributor may import only its own sell-out. Runs as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is an OrderImport (or whose error is the 400 problem naming every invalid row)',
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
            202: JobSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        const body = csvBody(request.body);
        if (!body) return notCsv(reply, request.url);
        // What can be refused before any work is refused at once (the vendor named, or the caller's own).
        const vendor = await importingVendor(ctx, request.scope, request.query.vendor);
        return acceptUploadJob(ctx, request, reply, { body, vendorId: vendor.id }, 'import-orders', (f) => ({
          ...f,
          vendor: request.query.vendor,
          allowPartial: request.query.allowPartial,
          dryRun: request.query.dryRun,
        }));
      },
    );

    scoped.post(
      '/api/imports/deals',
      {
        config: { access: { resource: 'deal', action: 'write' } },
        schema: {
          tags: ['deals'],
          summary:
            "Register your company's opportunities from a CSV file exported from a CRM (one row per product-family line; docs/csv-formats.md, at most 5,000 rows): all or nothing, in file order (with submit=true, each is submitted and checked for conflicts as POST /api/deals does: first to register holds, inside the file too); a reference registered before is left as it is, so re-importing changes nothing. Runs as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is the outcome of each registration, or whose error is the 400 problem naming every problem (row and column) with nothing registered (or the 429 of the daily conflict-check limit)",
          querystring: z.object({
            program: z
              .string()
              .min(1)
              .max(64)
              .optional()
              .describe('Program id or code for rows that leave the program column empty'),
            submit: Flag.describe('true: submit each registration (default: drafts)'),
            dryRun: Flag.describe(
              'true: check everything (and search conflicts with submit), register nothing',
            ),
          }),
          response: {
            202: JobSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        const body = csvBody(request.body);
        if (!body) return notCsv(reply, request.url);
        // Refused at once: vendors review registrations, they do not import them.
        if (request.scope.kind !== 'partner')
          throw new TrellisError('forbidden', 'partners import their registrations; vendors review them');
        return acceptUploadJob(
          ctx,
          request,
          reply,
          { body, tooLargeHint: 'the file holds at most 5,000 rows: split it' },
          'import-deals',
          (f) => ({
            ...f,
            program: request.query.program,
            submit: request.query.submit,
            dryRun: request.query.dryRun,
          }),
        );
      },
    );
  });
};
