import { rm } from 'node:fs/promises';
import type { Scope } from '../../core/access/scope.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import type { Store } from '../../db/connection.js';
import { jobRepository, type JobRow, type JobSort } from '../../db/repositories/job-repository.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { closablePeriod } from '../incentives/close-period.js';
import { checkShards } from '../incentives/close-shards.js';
import { prepareSimulation, type SimulateInput } from '../simulation/simulate.js';
import { previewStatementBulk } from '../incentives/bulk-statements.js';
import { paged, type PageParams } from '../pagination.js';
import { runJobWork, type JobInputs, type JobKind, type JobStarter } from './job-kinds.js';
import { JobThread, JobThreadError } from './job-thread.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job's error, as recorded: the problem's code, its detail and where (the HTTP edge adds the status). */
export interface JobError {
  code: string;
  detail: string;
  errors: ErrorDetail[];
}

export interface JobView {
  id: string;
  kind: JobKind;
  status: JobStatus;
  vendorId: string | null;
  partnerId: string | null;
  startedBy: string | null;
  progress: { phase: string | null; done: number; total: number };
  input: unknown;
  result: unknown;
  error: JobError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Jobs of one process that run at once; more wait, queued. */
const MAX_RUNNING = 2;

interface Active {
  phase: string | null;
  done: number;
  total: number;
  finished: Promise<void>;
}

/**
 * The process's job runner for one store: what runs (with its live progress, readable at once whatever
 * locks the store holds) and what waits. Work runs on a worker thread with its own connection when the
 * store can be shared (a SQLite file, PostgreSQL); an in-memory SQLite store (tests) cannot, so there
 * it runs in process, after the request that started it has been answered.
 */
class JobRunner {
  readonly active = new Map<string, Active>();
  thread: JobThread | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  async slot(): Promise<void> {
    if (this.running < MAX_RUNNING) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

const runners = new WeakMap<Store, JobRunner>();
function runnerOf(store: Store): JobRunner {
  let r = runners.get(store);
  if (!r) runners.set(store, (r = new JobRunner()));
  return r;
}

/** A store another thread can open: a SQLite file or PostgreSQL (not in-memory SQLite). */
function sharable(store: Store): boolean {
  return store.target.kind === 'postgres' || store.target.file !== ':memory:';
}

function starterId(who: JobStarter): string | null {
  const a = who.actor;
  return a.kind === 'person' ? a.personId : a.kind === 'token' ? a.tokenId : a.id;
}

export interface StartJobOptions {
  vendorId?: string | null | undefined;
  /** Unique while the job is queued or running: a second start with the same key is a conflict. */
  runningKey?: string | null | undefined;
  /** What the conflict says, when the key is taken. */
  conflict?: string | undefined;
  /** Files to remove when the job ends (a spooled upload). */
  files?: readonly string[] | undefined;
}

/** Records a job (queued) and starts it; returns at once with the job as it stands. */
export async function startJob<K extends JobKind>(
  ctx: AppContext,
  who: JobStarter,
  kind: K,
  input: JobInputs[K],
  options: StartJobOptions = {},
): Promise<JobView> {
  const repo = jobRepository(ctx.store.db);
  const id = ctx.ids.next('job');
  const row = {
    id,
    kind,
    vendorId: who.scope.kind === 'vendor' ? who.scope.vendorId : (options.vendorId ?? null),
    partnerId: who.scope.kind === 'partner' ? who.scope.partnerId : null,
    startedBy: starterId(who),
    status: 'queued' as JobStatus,
    phase: null,
    done: 0,
    total: 0,
    input: JSON.stringify(input),
    result: null,
    error: null,
    runningKey: options.runningKey ?? null,
    createdAt: ctx.clock.now().toISOString(),
    startedAt: null,
    finishedAt: null,
  };
  try {
    // At SERIALIZABLE even this insert can be aborted by jobs running at once (their reads and writes of
    // the jobs table); it writes fixed values, so it is run again. A running key taken is not retried.
    await retryOnRace(() => repo.insert(row));
  } catch (e) {
    if (options.runningKey && repo.isRunningKeyConflict(e)) {
      await removeFiles(options.files);
      const other = await repo.running(options.runningKey);
      throw new TrellisError(
        'conflict',
        `${options.conflict ?? 'the same job is already running'}${other ? `: job ${other.id}` : ''}`,
      );
    }
    await removeFiles(options.files);
    throw e;
  }
  const runner = runnerOf(ctx.store);
  let markFinished: () => void = () => undefined;
  const active: Active = {
    phase: null,
    done: 0,
    total: 0,
    finished: new Promise<void>((resolve) => (markFinished = resolve)),
  };
  runner.active.set(id, active);
  void execute(ctx, runner, id, active, who, kind, input, options.files).finally(() => {
    runner.active.delete(id);
    markFinished();
  });
  return view(row);
}

async function execute<K extends JobKind>(
  ctx: AppContext,
  runner: JobRunner,
  id: string,
  active: Active,
  who: JobStarter,
  kind: K,
  input: JobInputs[K],
  files: readonly string[] | undefined,
): Promise<void> {
  const repo = jobRepository(ctx.store.db);
  // The request that started the job is answered first.
  await new Promise((resolve) => setImmediate(resolve));
  await runner.slot();
  try {
    // The job's own row (running, then its outcome) sets fixed values: at SERIALIZABLE even this one-row
    // update can lose to concurrent jobs and reads of the jobs table, so it is run again (unretried, a job
    // stayed running until a restart, holding its running key).
    await retryOnRace(() => repo.update(id, { status: 'running', startedAt: ctx.clock.now().toISOString() }));
    // Live progress is kept here (read by getJob at once); the row gets each phase, best effort.
    let saving: Promise<unknown> = Promise.resolve();
    const progress = {
      phase(name: string, total: number) {
        active.phase = name;
        active.total = total;
        active.done = 0;
        saving = saving.then(() => repo.update(id, { phase: name, total, done: 0 })).catch(() => undefined);
      },
      update(done: number) {
        active.done = done;
      },
    };
    let outcome: { result: unknown } | { error: JobError };
    try {
      const result = sharable(ctx.store)
        ? await (runner.thread ??= new JobThread(ctx.store.target)).run(
            {
              jobId: id,
              clockOffsetMs: ctx.clock.now().getTime() - Date.now(),
              kind,
              input,
              who: { ...who, jobId: id },
              shardQueue: ctx.settings.close.queue,
            },
            progress,
          )
        : await runJobWork(ctx, { ...who, jobId: id }, kind, input, progress);
      outcome = { result };
    } catch (e) {
      outcome = { error: jobError(e) };
    }
    await saving;
    await retryOnRace(() =>
      repo.update(id, {
        status: 'result' in outcome ? 'succeeded' : 'failed',
        phase: active.phase,
        done: active.done,
        total: active.total,
        result: 'result' in outcome ? JSON.stringify(outcome.result ?? null) : null,
        error: 'error' in outcome ? JSON.stringify(outcome.error) : null,
        runningKey: null,
        finishedAt: ctx.clock.now().toISOString(),
      }),
    );
  } catch (e) {
    // The job's own row could not be written (the store went away): nothing more can be recorded.
    console.error(`job ${id} could not record its outcome:`, e);
  } finally {
    runner.release();
    await removeFiles(files);
  }
}

function jobError(e: unknown): JobError {
  if (e instanceof TrellisError) return { code: e.code, detail: e.message, errors: [...e.details] };
  if (e instanceof JobThreadError && e.failure.code)
    return { code: e.failure.code, detail: e.failure.message, errors: e.failure.details };
  console.error('job failed:', e instanceof JobThreadError ? e.failure.stack : e);
  return { code: 'internal', detail: 'the job failed unexpectedly; it has been logged', errors: [] };
}

async function removeFiles(files: readonly string[] | undefined): Promise<void> {
  for (const f of files ?? []) await rm(f, { force: true }).catch(() => undefined);
}

function view(row: JobRow, live?: Active): JobView {
  const running = live && row.status !== 'succeeded' && row.status !== 'failed';
  return {
    id: row.id,
    kind: row.kind as JobKind,
    status: row.status as JobStatus,
    vendorId: row.vendorId,
    partnerId: row.partnerId,
    startedBy: row.startedBy,
    progress: running
      ? { phase: live.phase, done: live.done, total: live.total }
      : { phase: row.phase, done: row.done, total: row.total },
    input: publicInput(row),
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The input as shown: an upload's temporary file is the server's business. */
function publicInput(row: JobRow): unknown {
  const input = JSON.parse(row.input) as Record<string, unknown>;
  if (row.kind === 'import-orders' || row.kind === 'import-rates' || row.kind === 'import-deals')
    delete input.file;
  return input;
}

/** A job in scope; `startedBy` narrows to the jobs one actor started (a token without the read scope). */
export async function getJob(
  ctx: AppContext,
  scope: Scope,
  id: string,
  startedBy?: string | undefined,
): Promise<JobView> {
  const row = await jobRepository(ctx.store.db).get(scope, id, startedBy);
  if (!row) throw notFound('job', id);
  return view(row, runnerOf(ctx.store).active.get(id));
}

export async function listJobs(
  ctx: AppContext,
  scope: Scope,
  filter: { kind?: string | undefined; status?: string | undefined; startedBy?: string | undefined },
  page: PageParams<JobSort>,
) {
  const active = runnerOf(ctx.store).active;
  const result = await paged(page, (req) => jobRepository(ctx.store.db).list(scope, filter, req));
  return { items: result.items.map((r) => view(r, active.get(r.id))), nextCursor: result.nextCursor };
}

/** Resolves once a job this process runs has finished (at once if it is not running here). */
export async function jobFinished(ctx: AppContext, id: string): Promise<void> {
  await runnerOf(ctx.store).active.get(id)?.finished;
}

/**
 * At start-up: a job still queued or running in the store was interrupted (a crash, a restart), since no
 * process runs it now. It is marked failed and its running key released, so it can be started again.
 */
export async function failInterruptedJobs(ctx: AppContext): Promise<number> {
  const error: JobError = {
    code: 'interrupted',
    detail: 'the server stopped while this job ran; its work was rolled back; start it again',
    errors: [],
  };
  return jobRepository(ctx.store.db).failUnfinished(
    [...runnerOf(ctx.store).active.keys()],
    JSON.stringify(error),
    ctx.clock.now().toISOString(),
  );
}

/** Starts a close or its dry run as a job: the checks a close makes first are answered at once. */
export async function startClose(
  ctx: AppContext,
  who: JobStarter,
  options: { program: string; period: string; dryRun: boolean; shards?: number | undefined },
): Promise<JobView> {
  // The job's thread has a context of its own: the server's default goes in the job's input.
  const shards = checkShards(options.shards ?? ctx.settings.close.shards);
  const r = await closablePeriod(ctx, who.scope, options);
  return startJob(
    ctx,
    who,
    'close',
    { program: r.programId, period: r.range.code, dryRun: options.dryRun, shards },
    {
      vendorId: r.vendorId,
      runningKey: options.dryRun ? null : `close:${r.programId}:${r.range.code}`,
      conflict: `a close of ${r.programCode} ${r.range.code} is already running`,
    },
  );
}

/**
 * Starts a bulk action on statements as a job: the selection is checked and planned at once (a bad
 * selection, or a `confirm` that no longer matches, is answered before any job exists); the job plans
 * again and moves each statement conditionally, reporting its progress.
 */
export async function startStatementBulk(
  ctx: AppContext,
  who: JobStarter,
  input: JobInputs['statements-bulk'],
): Promise<JobView> {
  // Reads only; SERIALIZABLE may still abort them among bulk runs at once, and reading again is safe.
  const preview = await retryOnRace(() =>
    previewStatementBulk(ctx, who.scope, input.action, input.selection),
  );
  if (input.confirm !== undefined && input.confirm !== preview.fingerprint)
    throw new TrellisError(
      'conflict',
      'the statements selected changed since the preview; preview again and confirm what it shows',
      [{ location: 'body.confirm', message: `the selection is now ${preview.fingerprint}` }],
    );
  return startJob(ctx, who, 'statements-bulk', input);
}

/**
 * Starts a simulation as a job: its checks (the draft, the baseline, the range) are answered at once; the
 * job records the simulation (running), runs it and stores its result. A refused start writes nothing.
 */
export async function startSimulation(
  ctx: AppContext,
  who: JobStarter,
  input: SimulateInput,
): Promise<{ job: JobView; simulationId: string }> {
  const prepared = await prepareSimulation(ctx, who.scope, input);
  const simulationId = ctx.ids.next('simulation');
  const job = await startJob(
    ctx,
    who,
    'simulate',
    { simulationId, ...input },
    { vendorId: prepared.vendorId },
  );
  return { job, simulationId };
}

/**
 * Starts a program's MDF expiry run as a job (one at a time per program): the program is checked at once;
 * the job lapses activities past their claim deadline and posts earned funds expired unused.
 */
export async function startMdfExpiry(
  ctx: AppContext,
  who: JobStarter,
  input: { program: string; asOf?: string | undefined },
): Promise<JobView> {
  if (who.scope.kind === 'partner') throw new TrellisError('forbidden', 'the vendor runs MDF expiry');
  if (who.scope.kind === 'vendor' && who.scope.regions.length > 0)
    throw new TrellisError(
      'forbidden',
      'an expiry run covers the whole program: people limited to regions cannot start it',
    );
  const program = await ctx.repos.programs.get(who.scope, input.program);
  if (!program) throw notFound('program', input.program);
  return startJob(
    ctx,
    who,
    'mdf-expiry',
    { program: program.id, asOf: input.asOf ?? ctx.clock.now().toISOString().slice(0, 10) },
    {
      vendorId: program.vendorId,
      runningKey: `mdf-expiry:${program.id}`,
      conflict: `an MDF expiry run of ${program.code} is already running`,
    },
  );
}
