import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { JOB_KINDS, type JobInputs, type JobKind } from '../../app/jobs/job-kinds.js';
import { getJob, JOB_STATUSES, listJobs, startJob, type JobView } from '../../app/jobs/jobs.js';
import { spoolUpload } from '../../app/orders/import-orders.js';
import type { AppContext } from '../../app/context.js';
import type { Actor } from '../../core/access/actor.js';
import { actorOf } from '../access.js';
import { problem, statusOf } from '../errors.js';
import { ID, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    status: z.enum(JOB_STATUSES).describe('queued -> running -> succeeded | failed'),
    vendorId: z.string().nullable(),
    partnerId: z.string().nullable().describe('Set when a partner started it'),
    startedBy: z.string().nullable().describe('The person or token that started it'),
    progress: z.object({
      phase: z
        .string()
        .nullable()
        .describe('What it is doing: e.g. reading lines, computing, posting, statements'),
      done: z.number().int(),
      total: z.number().int().describe('Of this phase'),
    }),
    input: z.unknown().describe('What it was asked to do'),
    result: z
      .unknown()
      .describe(
        "Once succeeded: what the use case returned (a close's CloseResult, an import's OrderImport, an evaluation)",
      ),
    error: ProblemSchema.nullable().describe('Once failed: why, as the request would have answered'),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });

/** A job as the API shows it: its error as the problem the request would have answered. */
export function jobBody(job: JobView): z.infer<typeof JobSchema> {
  const { error, ...rest } = job;
  return {
    ...rest,
    error: error
      ? problem(statusOf(error.code), error.code, error.detail, `/api/jobs/${job.id}`, error.errors)
      : null,
  };
}

/** The answer to a request that started a job: 202, the job, and where to follow it. */
export function accepted(job: JobView) {
  return { location: `/api/jobs/${job.id}`, body: jobBody(job) };
}

/**
 * An upload imported as a job (orders, deal registrations, rates): the body is spooled to a temporary file
 * (reading it holds nothing), the job started with it, and the request answered 202 with the job. What
 * can be refused at once is refused by the route before it calls this.
 */
export async function acceptUploadJob<K extends JobKind>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  upload: { body: Readable; tooLargeHint?: string | undefined; vendorId?: string | undefined },
  kind: K,
  input: (spooled: { file: string; totalBytes: number }) => JobInputs[K],
) {
  const { file, size } = await spoolUpload(upload.body, upload.tooLargeHint);
  const job = await startJob(
    ctx,
    { actor: actorOf(request), scope: request.scope, requestId: request.id },
    kind,
    input({ file, totalBytes: size }),
    { files: [file], ...(upload.vendorId ? { vendorId: upload.vendorId } : {}) },
  );
  const { location, body } = accepted(job);
  return reply.status(202).header('location', location).send(body);
}

/** A token without the read scope follows only the jobs it started. */
function ownJobsOnly(actor: Actor): string | undefined {
  return actor.kind === 'token' && !actor.scopes.includes('read') ? actor.tokenId : undefined;
}

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * Background jobs: what a close, an import or an evaluation started with 202 runs off the request path;
 * these routes say where it stands (progress) and how it ended (result or problem). Scoped like the rest:
 * a vendor's people see their vendor's jobs, a partner's people the jobs their company started.
 */
export const jobRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/jobs',
    {
      config: { access: { resource: 'job', action: 'read' } },
      schema: {
        tags: ['jobs'],
        summary: 'Background jobs (closes, imports, evaluations), newest first by default',
        querystring: pageQuery(['createdAt'] as const, 'createdAt').extend({
          direction: z.enum(['asc', 'desc']).default('desc'),
          kind: z.enum(JOB_KINDS).optional(),
          status: z.enum(JOB_STATUSES).optional(),
        }),
        response: { 200: pageOf(JobSchema), ...errors },
      },
    },
    async (request) => {
      const { kind, status, ...page } = request.query;
      const startedBy = ownJobsOnly(actorOf(request));
      const result = await listJobs(ctx, request.scope, { kind, status, startedBy }, page);
      return { items: result.items.map(jobBody), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/jobs/:jobId',
    {
      config: { access: { resource: 'job', action: 'read' } },
      schema: {
        tags: ['jobs'],
        summary: 'One background job: its status, progress, and result or problem',
        params: z.object({ jobId: ID }),
        response: { 200: JobSchema, ...errors },
      },
    },
    async (request) =>
      jobBody(await getJob(ctx, request.scope, request.params.jobId, ownJobsOnly(actorOf(request)))),
  );
};
