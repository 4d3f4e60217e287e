import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createContext } from '../../src/app/context.js';
import { runShardWorker, type ShardTaskEvent } from '../../src/app/shards/shard-worker.js';
import type { ShardQueueSettings } from '../../src/app/shards/settings.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { shardTaskRepository } from '../../src/db/repositories/shard-task-repository.js';
import {
  afterTheClose,
  booksOf,
  close,
  firstQuarter,
  openWorld,
  resultOf,
  type World,
} from '../support/close-world.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * A close's shards through the task queue (issue 18, src/app/shards/): with TRELLIS_SHARD_QUEUE=on a close
 * on PostgreSQL queues its shards 1..N-1 for worker processes (`runShardWorker`, `trellis worker`), which
 * read the close's exported snapshot from their own connections. The close writes what a close in one
 * shard writes; without workers, or with a worker that never finishes, it takes the tasks back and runs
 * them itself; a failed task fails the close; a run's tasks are gone when the close ends.
 */

/** Settings in which the coordinator never claims a queued task itself (a worker must). */
const WORKERS_ONLY: Partial<ShardQueueSettings> = { on: true, claimMs: 600_000, pollMs: 20 };

const PG = STORE_KINDS.includes('postgres');

describe('TRELLIS_SHARD_QUEUE', () => {
  it('is off by default; claim and timeout waits have defaults and bounds', () => {
    expect(loadConfig({}).shardQueue).toMatchObject({ on: false, claimMs: 2000, timeoutMs: 600_000 });
    expect(
      loadConfig({
        TRELLIS_SHARD_QUEUE: 'on',
        TRELLIS_SHARD_CLAIM_MS: '50',
        TRELLIS_SHARD_TIMEOUT_MS: '1000',
      }).shardQueue,
    ).toMatchObject({ on: true, claimMs: 50, timeoutMs: 1000 });
    expect(() => loadConfig({ TRELLIS_SHARD_QUEUE: 'yes' })).toThrow(/TRELLIS_SHARD_QUEUE/);
    expect(() => loadConfig({ TRELLIS_SHARD_TIMEOUT_MS: '0' })).toThrow(/TRELLIS_SHARD_TIMEOUT_MS/);
  });
});

if (STORE_KINDS.includes('sqlite'))
  describe('the shard worker on SQLite', () => {
    it('refuses: the queue is PostgreSQL', async () => {
      const t = await openTestStore('sqlite');
      try {
        await expect(runShardWorker(t.store)).rejects.toMatchObject({
          code: 'invalid_config',
          message: expect.stringMatching(/PostgreSQL/),
        });
      } finally {
        await t.cleanup();
      }
    });
  });

/** Rows of the shard task table (every run's, every vendor's). */
async function taskRows(store: Store): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from shard_tasks`.execute(store.db);
  return Number(rows[0]?.n);
}

/** A worker loop on a connection of its own to the world's database, as another process would have. */
async function startWorker(w: World, url = w.url as string, concurrency = 2) {
  const store = await openStore({ kind: 'postgres', url });
  const stop = new AbortController();
  const events: ShardTaskEvent[] = [];
  const loop = runShardWorker(store, {
    concurrency,
    signal: stop.signal,
    pollMs: 20,
    onTask: (e) => events.push(e),
  });
  return {
    events,
    async stop() {
      stop.abort();
      try {
        return await loop;
      } finally {
        await store.close();
      }
    },
  };
}

/** Two worlds with the same quarter: `one` closes in one shard, `queued` in shards through the queue. */
async function twoWorlds(queue: Partial<ShardQueueSettings>): Promise<[World, World]> {
  const one = await openWorld('postgres');
  const queued = await openWorld('postgres', { shardQueue: queue });
  return [one, queued];
}

if (PG)
  describe('a close through the shard task queue (postgres)', () => {
    it('with a worker running: the worker plans the shards; ledger, statements and result as in one shard', async () => {
      const [one, queued] = await twoWorlds(WORKERS_ONLY);
      const worker = await startWorker(queued);
      try {
        const ofOne = await firstQuarter(one);
        const ofQueued = await firstQuarter(queued);
        expect(resultOf(await close(queued, 3, true))).toEqual(resultOf(await close(one, 1, true)));

        const first = [await close(one, 1), await close(queued, 3)];
        expect(first[0]!.transactions).toBeGreaterThan(0);
        expect(resultOf(first[1]!)).toEqual(resultOf(first[0]!));
        expect(await booksOf(queued)).toEqual(await booksOf(one));

        await afterTheClose(one, ofOne.bravoLines);
        await afterTheClose(queued, ofQueued.bravoLines);
        const again = [await close(one, 1), await close(queued, 3)];
        expect(again[0]!.transactions).toBeGreaterThan(0);
        expect(resultOf(again[1]!)).toEqual(resultOf(again[0]!));
        expect(await booksOf(queued)).toEqual(await booksOf(one));
        expect(await taskRows(queued.store)).toBe(0);
      } finally {
        const summary = await worker.stop();
        await one.cleanup();
        await queued.cleanup();
        // Every close in shards ran shards 2 and 3 on the worker (the coordinator never claims here).
        expect(summary.failed + summary.refused + summary.released).toBe(0);
        const done = worker.events.filter((e) => e.event === 'succeeded');
        expect(done.length).toBeGreaterThanOrEqual(6);
        expect(done.length).toBe(summary.succeeded);
        expect(new Set(done.map((e) => `${e.kind} ${e.shard}/${e.count}`))).toEqual(
          new Set(['close 1/3', 'close 2/3']),
        );
        expect(new Set(done.map((e) => e.runId)).size).toBe(done.length / 2);
      }
    }, 120_000);

    it('with no worker: the close claims its tasks after the claim wait and runs them itself', async () => {
      const [one, queued] = await twoWorlds({ on: true, claimMs: 50, pollMs: 20 });
      try {
        await firstQuarter(one);
        await firstQuarter(queued);
        const results = [await close(one, 1), await close(queued, 3)];
        expect(resultOf(results[1]!)).toEqual(resultOf(results[0]!));
        expect(await booksOf(queued)).toEqual(await booksOf(one));
        expect(await taskRows(queued.store)).toBe(0);
      } finally {
        await one.cleanup();
        await queued.cleanup();
      }
    }, 120_000);

    it('with a worker that claims and never finishes: the close takes the tasks back after the timeout; the late result is refused', async () => {
      // The coordinator never claims a queued task itself: only the timeout gives the tasks back to it.
      const [one, queued] = await twoWorlds({ ...WORKERS_ONLY, timeoutMs: 200 });
      const stale = await openStore({ kind: 'postgres', url: queued.url as string });
      try {
        await firstQuarter(one);
        await firstQuarter(queued);
        const expected = await close(one, 1);
        const closing = close(queued, 3);
        const repo = shardTaskRepository(stale.db);
        const held: { vendorId: string; id: string }[] = [];
        // The stale worker takes both queued tasks as they appear, then stops answering.
        for (let i = 0; i < 3000 && held.length < 2; i++) {
          const task = await repo.claimNext('stale-worker', ['close'], new Date().toISOString());
          if (task) held.push(task);
          else await new Promise((r) => setTimeout(r, 10));
        }
        expect(held).toHaveLength(2);
        expect(resultOf(await closing)).toEqual(resultOf(expected));
        expect(await booksOf(queued)).toEqual(await booksOf(one));
        for (const t of held)
          expect(
            await repo.finish(t.vendorId, t.id, 'stale-worker', { result: Buffer.from([1]) }, 'now'),
          ).toBe(false);
        expect(await taskRows(queued.store)).toBe(0);
      } finally {
        await stale.close();
        await one.cleanup();
        await queued.cleanup();
      }
    }, 120_000);

    it('with a shard that fails on its worker: the close fails, writes nothing, and its tasks are gone', async () => {
      const queued = await openWorld('postgres', { shardQueue: WORKERS_ONLY });
      // A worker whose database role may claim tasks but read nothing else: its shards fail.
      const role = `trellis_noread_${randomBytes(4).toString('hex')}`;
      const password = randomBytes(8).toString('hex');
      const db = queued.store.db;
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      const schema = rows[0]?.schema as string;
      await sql`create role ${sql.id(role)} login password ${sql.lit(password)}`.execute(db);
      await sql`grant usage on schema ${sql.id(schema)} to ${sql.id(role)}`.execute(db);
      await sql`grant select, update on shard_tasks to ${sql.id(role)}`.execute(db);
      const url = new URL(queued.url as string);
      url.username = role;
      url.password = password;
      const worker = await startWorker(queued, url.toString(), 1);
      try {
        await firstQuarter(queued);
        const before = await booksOf(queued);
        await expect(close(queued, 3)).rejects.toThrow(/shard [23] of 3: permission denied/);
        expect(await booksOf(queued)).toEqual(before);
        expect(before.closes).toHaveLength(0);
        expect(await taskRows(queued.store)).toBe(0);
      } finally {
        const summary = await worker.stop();
        await sql`drop owned by ${sql.id(role)}`.execute(db);
        await sql`drop role ${sql.id(role)}`.execute(db);
        await queued.cleanup();
        expect(summary.failed).toBeGreaterThanOrEqual(1);
        expect(worker.events.find((e) => e.event === 'failed')?.error).toMatch(/permission denied/);
      }
    }, 120_000);
  });

if (PG)
  describe('the shard task queue (postgres)', () => {
    let w: World;
    let other: Store;
    beforeAll(async () => {
      w = await openWorld('postgres');
      other = await openStore({ kind: 'postgres', url: w.url as string });
    }, 60_000);
    afterAll(async () => {
      await other.close();
      await w.cleanup();
    });

    const enqueue = async (runId: string, n: number) => {
      const tasks = Array.from({ length: n }, (_, shard) => ({
        vendorId: w.vendorId,
        id: `${runId}_${shard}`,
        kind: 'close',
        runId,
        shard,
        shardCount: n,
        payload: '{}',
        createdAt: new Date().toISOString(),
      }));
      await shardTaskRepository(w.store.db).enqueue(tasks);
      return tasks;
    };

    it('two claimers racing over the queued tasks each claim a task at most once', async () => {
      const tasks = await enqueue('race', 6);
      const repos = [shardTaskRepository(w.store.db), shardTaskRepository(other.db)];
      const now = new Date().toISOString();
      const claims = await Promise.all(
        Array.from({ length: 16 }, (_, i) => repos[i % 2]!.claimNext(`claimer-${i % 2}`, ['close'], now)),
      );
      const got = claims.flatMap((c, i) =>
        c ? [{ id: c.id, by: `claimer-${i % 2}`, worker: c.worker }] : [],
      );
      expect(got.map((g) => g.id).sort()).toEqual(tasks.map((t) => t.id).sort());
      for (const g of got) expect(g.worker).toBe(g.by);
      const states = await repos[0]!.states(w.vendorId, 'race');
      expect(states.every((s) => s.status === 'running')).toBe(true);
      // A given task claimed by two at once: one wins.
      const [queued] = await enqueue('race-one', 1);
      const wins = await Promise.all(
        repos.map((r, i) => r.claim(w.vendorId, queued!.id, `claimer-${i}`, now, null)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repos[0]!.deleteRun(w.vendorId, 'race')).toBe(6);
      expect(await repos[0]!.deleteRun(w.vendorId, 'race-one')).toBe(1);
    });

    it('a task taken over from its worker has one result: the one who holds it now', async () => {
      const repo = shardTaskRepository(w.store.db);
      const [task] = await enqueue('takeover', 1);
      const a = await repo.claimNext('worker-a', ['close'], '2030-01-01T00:00:00.000Z');
      expect(a?.id).toBe(task!.id);
      // A taking-over claim names the claim it replaces: a stale view of it wins nothing.
      expect(
        await repo.claim(w.vendorId, task!.id, 'worker-b', 'later', {
          worker: 'worker-a',
          claimedAt: 'another time',
        }),
      ).toBe(false);
      expect(
        await repo.claim(w.vendorId, task!.id, 'worker-b', 'later', {
          worker: 'worker-a',
          claimedAt: '2030-01-01T00:00:00.000Z',
        }),
      ).toBe(true);
      expect(await repo.finish(w.vendorId, task!.id, 'worker-a', { result: Buffer.from([1]) }, 'x')).toBe(
        false,
      );
      expect(await repo.release(w.vendorId, task!.id, 'worker-a')).toBe(false);
      expect(await repo.finish(w.vendorId, task!.id, 'worker-b', { result: Buffer.from([2]) }, 'x')).toBe(
        true,
      );
      expect(await repo.finish(w.vendorId, task!.id, 'worker-b', { result: Buffer.from([3]) }, 'x')).toBe(
        false,
      );
      const [result] = await repo.results(w.vendorId, [task!.id]);
      expect([...(result?.result ?? [])]).toEqual([2]);
      expect(await repo.deleteRun(w.vendorId, 'takeover')).toBe(1);
    });

    it('a worker stopped while a task runs finishes it; one told to abandon gives it back to the queue', async () => {
      const repo = shardTaskRepository(w.store.db);
      // A task whose payload names no snapshot: its handler fails, after a round trip to the store.
      const [task] = await enqueue('stopping', 1);
      const stop = new AbortController();
      const events: ShardTaskEvent[] = [];
      const finished = await runShardWorker(other, {
        signal: stop.signal,
        pollMs: 20,
        onTask: (e) => {
          events.push(e);
          if (e.event === 'started') stop.abort();
        },
      });
      expect(finished).toEqual({ succeeded: 0, failed: 1, refused: 0, released: 0 });
      expect(events.map((e) => e.event)).toEqual(['started', 'failed']);
      expect(events[1]?.error).toMatch(/not a snapshot id/);
      expect((await repo.states(w.vendorId, 'stopping'))[0]).toMatchObject({
        status: 'failed',
        error: JSON.stringify({ code: null, message: 'not a snapshot id: undefined' }),
      });

      const [again] = await enqueue('abandoning', 1);
      const abandon = new AbortController();
      const released = await runShardWorker(other, {
        abandon: abandon.signal,
        pollMs: 20,
        onTask: (e) => {
          if (e.event === 'started') abandon.abort();
        },
      });
      expect(released).toEqual({ succeeded: 0, failed: 0, refused: 0, released: 1 });
      expect((await repo.states(w.vendorId, 'abandoning'))[0]).toMatchObject({
        id: again!.id,
        status: 'queued',
        worker: null,
        claimedAt: null,
      });
      expect(task!.id).not.toBe(again!.id);
      await repo.deleteRun(w.vendorId, 'stopping');
      await repo.deleteRun(w.vendorId, 'abandoning');
    });

    it('a released task is queued again; stale tasks are swept', async () => {
      const repo = shardTaskRepository(w.store.db);
      const [task] = await enqueue('released', 1);
      const a = await repo.claimNext('worker-a', ['close'], 'now');
      expect(a?.id).toBe(task!.id);
      expect(await repo.claimNext('worker-b', ['close'], 'now')).toBeNull();
      expect(await repo.claimNext('worker-b', ['simulation'], 'now')).toBeNull();
      expect(await repo.release(w.vendorId, task!.id, 'worker-a')).toBe(true);
      expect((await repo.claimNext('worker-b', ['close'], 'now'))?.id).toBe(task!.id);
      expect(await repo.deleteStale('0000')).toBe(0);
      expect(await repo.deleteStale('9999')).toBe(1);
      expect(await taskRows(w.store)).toBe(0);
    });
  });

// The context's settings reach a close through createContext (the server's, a job thread's, the CLI's).
describe('the shard queue settings of a context', () => {
  it('are off unless given', async () => {
    const t = await openTestStore('sqlite');
    try {
      expect(createContext(t.store).settings.close.queue.on).toBe(false);
      expect(createContext(t.store, { shardQueue: { on: true } }).settings.close.queue).toMatchObject({
        on: true,
        claimMs: 2000,
      });
    } finally {
      await t.cleanup();
    }
  });
});
