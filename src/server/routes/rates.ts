import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  convertWithRates,
  listRates,
  loadRates,
  MAX_RATE_BODY_ROWS,
  ratesVendor,
  type RateLoadOutcome,
} from '../../app/currencies/rates.js';
import { TrellisError } from '../../core/shared/errors.js';
import { actorOf } from '../access.js';
import { problem, sendProblem } from '../errors.js';
import { errorResponses, IsoDate, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule, Server } from '../types.js';
import { acceptUploadJob, JobSchema } from './jobs.js';

/**
 * Exchange rates (issue 17; docs/currencies.md "Exchange rates"): a vendor's treasury data. Its admins load
 * them (JSON or a CSV file), its readers list them and check a conversion; partners never see them.
 */

const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .describe('ISO 4217 code');
const Flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');
const RateText = z
  .string()
  .min(1)
  .max(40)
  .describe('An exact decimal with a dot, at most 10 decimals ("1.0712"): 1 base = rate quote');

const RateInputSchema = z.object({
  base: Currency,
  quote: Currency,
  day: z.string().min(1).max(20).describe('The day the rate is of (YYYY-MM-DD)'),
  rate: RateText,
});

export const RateSchema = z
  .object({
    base: z.string(),
    quote: z.string(),
    day: z.string(),
    rate: z.string().describe('1 base = rate quote, an exact decimal'),
    source: z.string().describe('The file it was loaded from, or "api"'),
    loadedBy: z.string().describe('The person, token or operator who loaded it'),
    loadedAt: z.string(),
  })
  .meta({ id: 'ExchangeRate' });

export const RateLoadSchema = z
  .object({
    source: z.string(),
    vendor: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    rates: z.number().int().describe('Rates read (rows of a long file, filled cells of a wide one)'),
    added: z.number().int(),
    unchanged: z.number().int().describe('Equal to the stored rate: skipped'),
    replaced: z.number().int(),
    replacements: z
      .array(
        z.object({
          base: z.string(),
          quote: z.string(),
          day: z.string(),
          before: z.string(),
          after: z.string(),
        }),
      )
      .describe('The rates replaced (at most 1,000 listed), each with what was stored before'),
    ignoredColumns: z.array(z.string()),
    shape: z.enum(['long', 'wide', 'api']),
    base: z.string().nullable().describe("A wide file's base currency"),
    dryRun: z.boolean(),
    seconds: z.number(),
  })
  .meta({ id: 'ExchangeRateLoad' });

export const ConversionSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    day: z.string(),
    rateDay: z.string().describe('The day of the rates used (earlier when a missing day was bridged)'),
    rate: z.string().describe('1 from = rate to, as used (a derived rate rounded to 10 decimals)'),
    derivation: z.union([
      z.object({ kind: z.literal('direct') }),
      z.object({ kind: z.literal('inverse') }),
      z.object({ kind: z.literal('cross'), via: z.string() }),
    ]),
    amountMinor: z.number().int(),
    convertedMinor: z.number().int().describe('Rounded once, half to even'),
    policy: z.union([
      z.object({ policy: z.literal('refuse') }),
      z.object({ policy: z.literal('last-known'), withinDays: z.number().int() }),
    ]),
    program: z.string().nullable(),
    explanation: z.string(),
  })
  .meta({ id: 'Conversion' });

const loadResponses = {
  200: RateLoadSchema,
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

/** The summary, or the refusal as the problem it is (every row named). */
function answer(outcome: RateLoadOutcome) {
  if (outcome.ok) return outcome.summary;
  throw new TrellisError(
    outcome.status === 409 ? 'conflict' : 'invalid_input',
    outcome.message,
    outcome.problems,
  );
}

function csvBody(body: unknown): Readable | null {
  return body && typeof (body as { pipe?: unknown }).pipe === 'function' ? (body as Readable) : null;
}

export const rateRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/rates',
    {
      config: { access: { resource: 'exchange-rate', action: 'read' } },
      schema: {
        tags: ['currencies'],
        summary: "List the vendor's exchange rates by day, then pair (filter by base, quote and days)",
        querystring: pageQuery(['day'] as const, 'day').extend({
          base: Currency.optional(),
          quote: Currency.optional(),
          from: IsoDate.optional().describe('First day (inclusive)'),
          to: IsoDate.optional().describe('Last day (inclusive)'),
        }),
        response: { 200: pageOf(RateSchema), 401: ProblemSchema, 403: ProblemSchema, ...errorResponses },
      },
    },
    (request) => {
      const { base, quote, from, to, format: _format, ...page } = request.query;
      return listRates(ctx, { scope: request.scope }, { base, quote, from, to }, page);
    },
  );

  app.get(
    '/api/rates/convert',
    {
      config: { access: { resource: 'exchange-rate', action: 'read' } },
      schema: {
        tags: ['currencies'],
        summary:
          "Convert an amount with the vendor's rates, to check a conversion by hand: the rate of the day (loaded, the inverse of the opposite pair, or a cross through a common base, rounded to 10 decimals), how it was had and its day; with program, its missing-rate policy applies (else a day without a rate is refused, 404)",
        querystring: z.object({
          from: Currency,
          to: Currency,
          day: IsoDate,
          amount: z.coerce
            .number()
            .int()
            .min(-Number.MAX_SAFE_INTEGER)
            .max(Number.MAX_SAFE_INTEGER)
            .describe('In minor units of `from` (cents)'),
          program: z.string().min(1).max(64).optional().describe('Program id or code'),
        }),
        response: { 200: ConversionSchema, 401: ProblemSchema, 403: ProblemSchema, ...errorResponses },
      },
    },
    (request) => {
      const { from, to, day, amount, program } = request.query;
      return convertWithRates(ctx, { scope: request.scope }, { from, to, day, amountMinor: amount, program });
    },
  );

  app.post(
    '/api/rates',
    {
      config: { access: { resource: 'exchange-rate', action: 'write' } },
      schema: {
        tags: ['currencies'],
        summary: `Load exchange rates (vendor admins; audited), all or nothing: every bad rate is named (body.rates.N.field); a rate equal to the stored one is skipped; one that differs is refused (409) unless replace is true, which replaces it and audits before and after. At most ${MAX_RATE_BODY_ROWS} rates; larger sets: POST /api/imports/rates`,
        body: z.object({
          rates: z.array(RateInputSchema).max(MAX_RATE_BODY_ROWS),
          replace: z.boolean().optional(),
          source: z.string().min(1).max(200).optional().describe('Where the rates come from (default "api")'),
          dryRun: z.boolean().optional(),
        }),
        response: loadResponses,
      },
    },
    async (request) =>
      answer(
        await loadRates(
          ctx,
          { actor: actorOf(request), scope: request.scope, requestId: request.id },
          request.body.rates,
          { replace: request.body.replace, source: request.body.source, dryRun: request.body.dryRun },
        ),
      ),
  );

  // The CSV upload, as the other imports take files: the body is the file (text/csv), read as a stream.
  void app.register(async (scope) => {
    const scoped = scope as unknown as Server;
    scoped.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
      done(null, payload),
    );
    scoped.post(
      '/api/imports/rates',
      {
        config: { access: { resource: 'exchange-rate', action: 'write' } },
        schema: {
          tags: ['currencies'],
          summary:
            'Import an exchange-rate file (the body, text/csv; docs/currencies.md): base,quote,day,rate rows, or a central bank table (a date column and one column per currency) with base=EUR. Runs as a background job: 202 with the job (Location: /api/jobs/{id}), whose result is the load summary, or whose error is the 400 problem naming every bad row (line and column), or the 409 for rates that differ from those loaded unless replace=true; re-importing a file changes nothing',
          querystring: z.object({
            base: Currency.optional().describe("A table's base currency (its columns are quote currencies)"),
            currencies: z
              .string()
              .max(400)
              .regex(/^[A-Za-z]{3}(,[A-Za-z]{3})*$/, 'a comma-separated list of ISO 4217 codes')
              .optional()
              .describe("A table: load only these currencies' columns (USD,GBP)"),
            replace: Flag.describe('true: replace stored rates that differ (audited)'),
            dryRun: Flag.describe('true: check everything, write nothing'),
            name: z.string().min(1).max(200).optional().describe('The file name, kept as the source'),
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
        if (!body)
          return sendProblem(
            reply,
            problem(
              415,
              'unsupported_media_type',
              'send the CSV file as the body, with content-type text/csv',
              request.url,
            ),
          );
        const q = request.query;
        // What can be refused before any work is refused at once (a partner, people limited to regions).
        const vendor = await ratesVendor(ctx, request.scope, undefined, 'write');
        return acceptUploadJob(
          ctx,
          request,
          reply,
          { body, vendorId: vendor.id, tooLargeHint: 'split it by year, or use trellis rates import' },
          'import-rates',
          (f) => ({
            ...f,
            name: q.name ?? 'upload',
            base: q.base,
            currencies: q.currencies?.split(','),
            replace: q.replace,
            dryRun: q.dryRun,
          }),
        );
      },
    );
  });
};
