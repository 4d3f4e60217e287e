import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnTrellis, trellis } from '../support/cli.js';
import { booksOf, close, firstQuarter, openWorld, resultOf } from '../support/close-world.js';
import { STORE_KINDS } from '../support/stores.js';

/**
 * `trellis worker` (issue 18): a process of its own that runs the shards closes queue (TRELLIS_SHARD_QUEUE
 * on the closing side), on PostgreSQL only.
 */

describe('trellis worker', () => {
  it('refuses on SQLite: the queue is PostgreSQL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-worker-'));
    try {
      const r = trellis(['worker'], { TRELLIS_DATA_DIR: dir, DATABASE_URL: '' });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/shard task queue runs on PostgreSQL: set DATABASE_URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a concurrency out of range', () => {
    const r = trellis(['worker', '--concurrency', '0'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--concurrency must be a whole number from 1 to 64/);
  });

  if (STORE_KINDS.includes('postgres'))
    it('runs the shards of a close in another process; the close writes what a close in one shard writes; stops on SIGTERM', async () => {
      const one = await openWorld('postgres');
      // The close never claims a queued task itself: the worker process must run them.
      const queued = await openWorld('postgres', {
        shardQueue: { on: true, claimMs: 600_000, pollMs: 20 },
      });
      const worker = spawnTrellis(['worker', '--concurrency', '2'], {
        DATABASE_URL: queued.url as string,
      });
      let out = '';
      let err = '';
      worker.stdout.on('data', (d: Buffer) => (out += d.toString()));
      worker.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = once(worker, 'exit');
      try {
        await firstQuarter(one);
        await firstQuarter(queued);
        const results = [await close(one, 1), await close(queued, 3)];
        expect(results[0]!.transactions).toBeGreaterThan(0);
        expect(resultOf(results[1]!)).toEqual(resultOf(results[0]!));
        expect(await booksOf(queued)).toEqual(await booksOf(one));
        expect(out).toMatch(/^trellis worker: waiting for shard tasks on postgres /m);
        expect(out).toMatch(/^succeeded close shard 2\/3 in \d+ ms/m);
        expect(out).toMatch(/^succeeded close shard 3\/3 in \d+ ms/m);
        worker.kill('SIGTERM');
        const [code] = await exited;
        expect(code, err).toBe(0);
        expect(out).toMatch(/trellis worker: stopped \(2 succeeded, 0 failed, 0 refused, 0 given back\)/);
      } finally {
        if (worker.exitCode === null) worker.kill('SIGKILL');
        await one.cleanup();
        await queued.cleanup();
      }
    }, 120_000);
});
