import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { planInShards, planOnSnapshot } from '../../src/app/incentives/close-shards.js';
import { resolvePeriod } from '../../src/app/incentives/program-period.js';
import { mergeShardPlans, shardOfPartner } from '../../src/core/incentives/shards.js';
import { settlementRepository } from '../../src/db/repositories/settlement-repository.js';
import { openSqliteHandle } from '../../src/db/sqlite/open.js';
import { exportSnapshot } from '../../src/db/snapshot.js';
import {
  afterTheClose,
  booksOf,
  close,
  EXTRA,
  firstQuarter,
  openWorld,
  PERIOD,
  PROGRAM,
  resultOf,
  WHERES,
  type World,
} from '../support/close-world.js';
import { viaJob } from '../support/jobs.js';
import { STORE_KINDS } from '../support/stores.js';

/**
 * A close split into shards of partners (close-shards.ts: each shard on a thread of its own reading the
 * close's snapshot, the plans merged and applied once) writes exactly what a close in one shard writes: the
 * same postings and entries (amounts, rules, budget pools), the same input hashes, statements and result,
 * on a first close and on a re-close that trues up returns and tier changes.
 */

describe('TRELLIS_CLOSE_SHARDS', () => {
  it('is the shards a close runs in when it does not say: 1..16, 1 by default', () => {
    expect(loadConfig({}).closeShards).toBe(1);
    expect(loadConfig({ TRELLIS_CLOSE_SHARDS: '4' }).closeShards).toBe(4);
    for (const bad of ['0', '17', 'two'])
      expect(() => loadConfig({ TRELLIS_CLOSE_SHARDS: bad })).toThrow(/TRELLIS_CLOSE_SHARDS/);
  });
});

describe('the shard rule spreads the test partners', () => {
  it('over three shards', () => {
    expect(new Set(['ptn_alpha', 'ptn_dist', ...EXTRA].map((p) => shardOfPartner(p, 3)))).toEqual(
      new Set([0, 1, 2]),
    );
  });
});

for (const where of WHERES) {
  describe(`a close in shards on ${where}`, () => {
    const worlds: World[] = [];
    beforeAll(async () => {
      worlds.push(await openWorld(where), await openWorld(where));
    }, 60_000);
    afterAll(async () => {
      for (const w of worlds) await w.cleanup();
    });

    it('writes what a close in one shard writes: ledger, statements, result; first close and re-close', async () => {
      const [one, three] = worlds as [World, World];
      const ofOne = await firstQuarter(one);
      const ofThree = await firstQuarter(three);

      // A dry run in shards reports what the close in one shard would do.
      expect(resultOf(await close(three, 3, true))).toEqual(resultOf(await close(one, 1, true)));

      const first = [await close(one, 1), await close(three, 3)];
      expect(first[0]!.reconciled).toBe(true);
      expect(first[0]!.transactions).toBeGreaterThan(0);
      expect(resultOf(first[1]!)).toEqual(resultOf(first[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));

      await afterTheClose(one, ofOne.bravoLines);
      await afterTheClose(three, ofThree.bravoLines);
      const again = [await close(one, 1), await close(three, 3)];
      expect(again[0]!.transactions).toBeGreaterThan(0);
      expect(resultOf(again[1]!)).toEqual(resultOf(again[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));

      // Nothing left: a re-close in shards after one in one shard, and the other way round, posts nothing.
      const unchanged = [await close(one, 3), await close(three, 1)];
      expect(unchanged.map((r) => r.transactions)).toEqual([0, 0]);
      expect(resultOf(unchanged[1]!)).toEqual(resultOf(unchanged[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));
    }, 60_000);

    it('refuses a shard count out of range, before any work', async () => {
      const w = worlds[0] as World;
      for (const n of [0, 17, 1.5, Number.NaN])
        await expect(close(w, n, true)).rejects.toMatchObject({ code: 'invalid_input' });
      for (const shards of [0, 17, 1.5, '2']) {
        const res = await w.admin('POST', '/api/closes', {
          program: PROGRAM,
          period: PERIOD,
          dryRun: true,
          shards,
        });
        expect(res.status, res.text).toBe(400);
      }
    });

    it('runs in the shards the API says, as a job, with the same result', async () => {
      const w = worlds[0] as World;
      const res = await viaJob(w.admin, 'POST', '/api/closes', {
        program: PROGRAM,
        period: PERIOD,
        dryRun: true,
        shards: 2,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.job?.input).toMatchObject({ shards: 2 });
      expect(res.body).toEqual(JSON.parse(JSON.stringify(await close(w, 1, true))));
    }, 60_000);
  });
}

if (STORE_KINDS.includes('postgres'))
  describe('a shard reads the close snapshot (postgres)', () => {
    it('not an order committed by another connection after the close started', async () => {
      const w = await openWorld('postgres');
      try {
        await firstQuarter(w);
        const scope = { kind: 'vendor' as const, vendorId: w.vendorId, regions: [] };
        const r = await resolvePeriod(w.ctx, scope, PROGRAM, PERIOD);
        // (A snapshot lives as long as the transaction that exports it.)
        const linesOf = () =>
          w.store.db
            .transaction()
            .execute(
              async (trx) => mergeShardPlans(await planInShards(w.store, trx, r, 2, null)).lines.length,
            );
        const before = await linesOf();
        let seen = -1;
        await w.store.db.transaction().execute(async (trx) => {
          // The close's transaction, its program lock (which an order's intake must not wait for: its
          // accrual references the program) and its snapshot.
          await settlementRepository(trx).lockProgram(w.vendorId, w.programId);
          const snapshot = await exportSnapshot(w.store, trx);
          expect(snapshot).toMatch(/^[0-9A-F-]+$/i);
          // Another connection commits an order of the period now: the shards must not see it.
          await w.post('Q1-LATE', {
            orderDate: '2017-04-20',
            customerId: 'cus_acme',
            resellerId: 'ptn_dist',
            lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000_000 }],
          });
          seen = mergeShardPlans(await planOnSnapshot(w.store, snapshot, r, 2, null)).lines.length;
        });
        expect(seen).toBe(before);
        expect(await linesOf()).toBe(before + 1);
      } finally {
        await w.cleanup();
      }
    }, 60_000);
  });

if (STORE_KINDS.includes('sqlite'))
  describe('a shard reads the last commit while the close holds the write lock (sqlite)', () => {
    it("neither the close's own writes nor another connection's", async () => {
      const w = await openWorld('sqlite-file');
      // Another connection, which waits for no lock.
      const other = openSqliteHandle((w.store.target as { file: string }).file, { busyTimeoutMs: 0 });
      try {
        await firstQuarter(w);
        const scope = { kind: 'vendor' as const, vendorId: w.vendorId, regions: [] };
        const r = await resolvePeriod(w.ctx, scope, PROGRAM, PERIOD);
        const linesIn = async (trx: typeof w.store.db) =>
          mergeShardPlans(await planInShards(w.store, trx, r, 2, null)).lines.length;
        const before = await w.store.db.transaction().execute(linesIn);
        expect(before).toBeGreaterThan(0);
        let seen = -1;
        await expect(
          w.store.db.transaction().execute(async (trx) => {
            // The close's transaction holds the write lock: another connection cannot commit.
            expect(() => other.prepare('update order_lines set reseller_id = null').run()).toThrow(
              /busy|locked/i,
            );
            // Its own writes are not committed: the shards, on their own connections, do not see them.
            await trx
              .updateTable('orderLines')
              .set({ resellerId: null })
              .where('vendorId', '=', w.vendorId)
              .execute();
            // (A close runs shard 0 in its own transaction, before it writes anything; the others are on
            // connections of their own, as here.)
            seen = mergeShardPlans(await planOnSnapshot(w.store, null, r, 2, null)).lines.length;
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(seen).toBe(before);
      } finally {
        other.close();
        await w.cleanup();
      }
    }, 60_000);
  });
