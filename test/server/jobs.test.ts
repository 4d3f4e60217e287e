import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { getJob, jobFinished, startJob } from '../../src/app/jobs/jobs.js';
import { JobThread, type JobRequest } from '../../src/app/jobs/job-thread.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { openAppStore } from '../../src/app/store.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { awaitJob, viaJob } from '../support/jobs.js';
import { openTestStore, PG_URL, type TestStore } from '../support/stores.js';

/**
 * Background jobs on every kind of store: in-memory SQLite (in process), a SQLite file and PostgreSQL
 * (on a worker thread with its own connection).
 */
type Kind = 'sqlite-memory' | 'sqlite-file' | 'postgres';
const KINDS: readonly Kind[] = PG_URL
  ? ['sqlite-memory', 'sqlite-file', 'postgres']
  : ['sqlite-memory', 'sqlite-file'];

const PROGRAM = 'dell-emc-partner-program';

interface World {
  ctx: AppContext;
  app: Server;
  admin: ReturnType<typeof client>;
  file: string | null;
  cleanup(): Promise<void>;
}

async function openWorld(kind: Kind): Promise<World> {
  let t: TestStore | null = null;
  let dir: string | null = null;
  let file: string | null = null;
  let store;
  if (kind === 'sqlite-file') {
    dir = await mkdtemp(join(tmpdir(), 'trellis-jobs-'));
    file = join(dir, 'trellis.db');
    store = await openAppStore({ kind: 'sqlite', file });
  } else {
    t = await openTestStore(kind === 'postgres' ? 'postgres' : 'sqlite');
    store = t.store;
  }
  const ctx = createContext(store);
  await loadFixture(ctx);
  const app = await buildServer(ctx);
  const admin = client(app, await signIn(app, 'admin@dell.test'));
  return {
    ctx,
    app,
    admin,
    file,
    cleanup: async () => {
      await app.close();
      if (t) await t.cleanup();
      else await store.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

let orders = 0;
function order(day: string, reseller = 'ptn_bravo') {
  orders++;
  return {
    source: 'erp',
    externalId: `JOB-${orders}`,
    currency: 'USD',
    channel: 'partner',
    orderDate: day,
    customerId: 'cus_globex',
    resellerId: reseller,
    lines: [{ productId: 'prd_stor', quantity: 1 + (orders % 3), unitPriceMinor: 1_000_000 }],
  };
}

for (const kind of KINDS) {
  describe(`background jobs on ${kind}`, () => {
    let w: World;

    beforeAll(async () => {
      w = await openWorld(kind);
      for (const day of ['2017-02-10', '2017-03-01', '2017-04-20'])
        expect((await w.admin('POST', '/api/orders', order(day))).status).toBe(201);
    });
    afterAll(async () => {
      await w.cleanup();
    });

    it('runs a close as a job: 202 with its Location, progress readable while it runs, the result at the end', async () => {
      const started = await w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' });
      expect(started.status, started.text).toBe(202);
      expect(started.headers.location).toBe(`/api/jobs/${String(started.body.id)}`);
      expect(started.body).toMatchObject({
        kind: 'close',
        status: 'queued',
        input: { period: 'FY18-Q1', dryRun: false },
        result: null,
        error: null,
      });
      const location = String(started.headers.location);
      // Every answer while it runs is a well-formed job with its progress.
      const seen = new Set<string>();
      for (;;) {
        const res = await w.admin('GET', location);
        expect(res.status).toBe(200);
        seen.add(String(res.body.status));
        const progress = res.body.progress as { phase: string | null; done: number; total: number };
        expect(progress.done).toBeLessThanOrEqual(Math.max(progress.total, progress.done));
        if (res.body.status === 'succeeded' || res.body.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const done = await w.admin('GET', location);
      expect(done.body, done.text).toMatchObject({
        status: 'succeeded',
        error: null,
        progress: { phase: 'statements' },
        result: { dryRun: false, period: 'FY18-Q1', reconciled: true },
      });
      const progress = done.body.progress as { done: number; total: number };
      expect(progress.done).toBe(progress.total);
      expect(done.body.startedAt).not.toBeNull();
      expect(done.body.finishedAt).not.toBeNull();
      const result = done.body.result as { closeId: string; entries: number };
      expect(result.entries).toBeGreaterThan(0);
      // The close is recorded as it was before jobs.
      expect((await w.admin('GET', `/api/closes/${result.closeId}`)).status).toBe(200);
      // The list shows it, newest first.
      const list = await w.admin('GET', '/api/jobs?kind=close');
      expect((list.body.items as { id: string }[])[0]?.id).toBe(started.body.id);
    });

    it('runs an evaluation as a job, and refuses one with no program version in force at once', async () => {
      const res = await viaJob(w.admin, 'POST', `/api/programs/${PROGRAM}/evaluations`, {
        asOf: '2017-12-01',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.job).toMatchObject({ kind: 'evaluation', status: 'succeeded' });
      const early = await w.admin('POST', `/api/programs/${PROGRAM}/evaluations`, { asOf: '2001-01-01' });
      expect(early.status, early.text).toBe(400);
      expect(early.body.detail).toMatch(/2001-01-01/);
    });

    it('answers a second close of the same period while the first runs with 409 naming the running job', async () => {
      const [a, b] = await Promise.all([
        w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' }),
        w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `${a.text} ${b.text}`).toEqual([202, 409]);
      const [winner, loser] = a.status === 202 ? [a, b] : [b, a];
      expect(loser.body.detail).toContain(String(winner.body.id));
      // A dry run of the same period is not a close: it runs beside it.
      const dry = await w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1', dryRun: true });
      expect(dry.status).toBe(202);
      const finished = await awaitJob(w.admin, String(winner.headers.location));
      expect(finished.body.status).toBe('succeeded');
      expect((await awaitJob(w.admin, String(dry.headers.location))).body.status).toBe('succeeded');
      // Once it has finished, the period can be closed again.
      const again = await viaJob(w.admin, 'POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' });
      expect(again.status, again.text).toBe(200);
      expect(again.body).toMatchObject({ transactions: 0, entries: 0 });
    });

    it('marks jobs left running by a stopped server failed at start-up, and frees their period', async () => {
      const programId = (
        await w.ctx.store.db
          .selectFrom('programs')
          .select('id')
          .where('code', '=', PROGRAM)
          .executeTakeFirstOrThrow()
      ).id;
      const vendorId = (
        await w.ctx.store.db
          .selectFrom('vendors')
          .select('id')
          .where('slug', '=', 'dell')
          .executeTakeFirstOrThrow()
      ).id;
      await w.ctx.store.db
        .insertInto('jobs')
        .values({
          id: 'job_crashed',
          kind: 'close',
          vendorId,
          partnerId: null,
          startedBy: null,
          status: 'running',
          phase: 'posting',
          done: 3,
          total: 10,
          input: JSON.stringify({ program: programId, period: 'FY18-Q2', dryRun: false }),
          result: null,
          error: null,
          runningKey: `close:${programId}:FY18-Q2`,
          createdAt: '2017-08-01T00:00:00.000Z',
          startedAt: '2017-08-01T00:00:00.000Z',
          finishedAt: null,
        })
        .execute();
      // While it is "running", the period cannot be closed.
      const refused = await w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q2' });
      expect(refused.status).toBe(409);
      // A restart: a new server on the same store.
      const restarted = await buildServer(w.ctx);
      try {
        const admin = client(restarted, await signIn(restarted, 'admin@dell.test'));
        const job = await admin('GET', '/api/jobs/job_crashed');
        expect(job.body).toMatchObject({
          status: 'failed',
          error: { status: 500, code: 'interrupted' },
          progress: { phase: 'posting', done: 3, total: 10 },
        });
        expect(job.body.finishedAt).not.toBeNull();
        const closed = await viaJob(admin, 'POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q2' });
        expect(closed.status, closed.text).toBe(200);
      } finally {
        await restarted.close();
      }
    });

    it('runs the scheduler’s daily run as a job that only the system sees', async () => {
      const job = await startJob(
        w.ctx,
        { actor: { kind: 'system', id: 'scheduler' }, scope: SYSTEM_SCOPE, requestId: null },
        'daily',
        { asOf: '2017-12-01' },
      );
      await jobFinished(w.ctx, job.id);
      const done = await getJob(w.ctx, SYSTEM_SCOPE, job.id);
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      expect(done.result).toMatchObject({
        asOf: '2017-12-01',
        evaluations: expect.arrayContaining([expect.objectContaining({ program: PROGRAM })]),
      });
      expect((await w.admin('GET', `/api/jobs/${job.id}`)).status).toBe(404);
    });

    it('keeps another vendor’s jobs out of sight', async () => {
      const vmw = client(w.app, await signIn(w.app, 'admin@vmware.test'));
      const mine = (await w.admin('GET', '/api/jobs')).body.items as { id: string }[];
      expect(mine.length).toBeGreaterThan(0);
      expect(((await vmw('GET', '/api/jobs')).body.items as unknown[]).length).toBe(0);
      expect((await vmw('GET', `/api/jobs/${mine[0]?.id}`)).status).toBe(404);
    });
  });
}

describe('a close job on a SQLite file store holds no request', () => {
  let w: World;

  beforeAll(async () => {
    w = await openWorld('sqlite-file');
    for (let i = 0; i < 30; i++)
      expect((await w.admin('POST', '/api/orders', order(`2017-0${2 + (i % 3)}-1${i % 10}`))).status).toBe(
        201,
      );
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it('answers health and stores an order while another connection holds the write lock, the order once it is released', async () => {
    // The session was last seen two minutes ago: the next request notes it (a write it waits for at most a second).
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await w.ctx.store.db.updateTable('sessions').set({ lastSeenAt: twoMinutesAgo }).execute();
    // What a close on the worker thread does: a write transaction on its own connection.
    const other = new BetterSqlite3(w.file as string);
    other.exec('begin immediate');
    const events: string[] = [];
    const ordered = w
      .admin('POST', '/api/orders', order('2017-05-02'))
      .then((res) => (events.push('order'), res));
    try {
      const health = await w.app.inject({ method: 'GET', url: '/api/health' });
      events.push('health');
      expect(health.statusCode).toBe(200);
      const reads = await w.admin('GET', '/api/orders?limit=1');
      events.push('read');
      expect(reads.status).toBe(200);
      // Give the waiting write a few turns of the event loop: it must still be waiting, asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events).toEqual(['health', 'read']);
    } finally {
      other.exec('commit');
      other.close();
    }
    const res = await ordered;
    expect(res.status, res.text).toBe(201);
    expect(events).toEqual(['health', 'read', 'order']);
    // The session's note went through once the lock was released.
    await expect
      .poll(
        async () =>
          (await w.ctx.store.db.selectFrom('sessions').select('lastSeenAt').execute())[0]?.lastSeenAt,
      )
      .not.toBe(twoMinutesAgo);
  });

  it('runs the close on a worker thread while health and an order are answered', async () => {
    const started = await w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' });
    expect(started.status).toBe(202);
    const id = String(started.body.id);
    const events: string[] = [];
    const finished = jobFinished(w.ctx, id).then(() => events.push('job'));
    const [health, posted] = await Promise.all([
      w.app.inject({ method: 'GET', url: '/api/health' }).then((r) => (events.push('health'), r)),
      w.admin('POST', '/api/orders', order('2017-05-03')).then((r) => (events.push('order'), r)),
    ]);
    expect(health.statusCode).toBe(200);
    expect(posted.status, posted.text).toBe(201);
    await finished;
    // Health never waited for the close; the order either went before it or waited for it without
    // holding anyone.
    expect(events[0]).toBe('health');
    expect(events).toContain('job');
    const job = await w.admin('GET', `/api/jobs/${id}`);
    expect(job.body).toMatchObject({ status: 'succeeded', result: { reconciled: true } });
  });

  it('keeps a job sent to a new thread while the idle one stops (the old thread fails only its own jobs)', async () => {
    const thread = new JobThread(w.ctx.store.target);
    const request = (n: number): JobRequest => ({
      jobId: `job_thread_${n}`,
      clockOffsetMs: 0,
      kind: 'close',
      input: { program: PROGRAM, period: 'FY18-Q2', dryRun: true },
      who: { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE, requestId: null },
    });
    const quiet = { phase: () => undefined, update: () => undefined };
    try {
      await thread.run(request(1), quiet);
      // The idle thread is told to stop and, before it has, the next job starts a new one.
      const stopping = thread.stop();
      const next = thread.run(request(2), quiet);
      await stopping;
      await expect(next).resolves.toMatchObject({ dryRun: true, period: 'FY18-Q2' });
    } finally {
      await thread.stop();
    }
  });
});
