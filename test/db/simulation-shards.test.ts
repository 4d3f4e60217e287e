import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { historyCacheOf } from '../../src/app/simulation/history-cache.js';
import { simulate, type SimulationResult } from '../../src/app/simulation/simulate.js';
import { stopSimulationShards } from '../../src/app/simulation/simulation-shards.js';
import { runShardWorker, type ShardTaskEvent } from '../../src/app/shards/shard-worker.js';
import { shardOfPartner } from '../../src/core/incentives/shards.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { readableElsewhere } from '../../src/db/snapshot.js';
import { openWorld, WHERES, type World } from '../support/close-world.js';
import { viaJob } from '../support/jobs.js';

/**
 * A simulation in shards of partners (simulation-shards.ts: shard 0 in the simulation's transaction, the
 * others on threads of their own that keep their share of the history, reading the simulation's snapshot
 * on PostgreSQL) answers exactly what a simulation in one shard answers: every total, partner, period,
 * pool, multiplier share, tier change and the ledger check, cold and warm, and reads again what changed.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const RANGE = { from: '2017-02-01', to: '2017-07-31' }; // FY18-Q1 and Q2
/** Partners enough that 2 and 3 shards each hold some (with Alpha and Bravo). */
const EXTRA = ['ptn_x1', 'ptn_x3', 'ptn_x6', 'ptn_x7'];

describe('TRELLIS_SIMULATION_THREADS', () => {
  it('is the threads a simulation plans its periods on: 1..16, 1 by default', () => {
    expect(loadConfig({}).simulationThreads).toBe(1);
    expect(loadConfig({ TRELLIS_SIMULATION_THREADS: '2' }).simulationThreads).toBe(2);
    for (const bad of ['0', '17', 'two', '1.5'])
      expect(() => loadConfig({ TRELLIS_SIMULATION_THREADS: bad })).toThrow(/TRELLIS_SIMULATION_THREADS/);
  });
});

for (const where of WHERES) {
  describe(`a simulation in shards of partners on ${where}`, () => {
    let w: World;
    let store: Store;
    let ctx: AppContext;
    let admin: World['admin'];
    let vendorId: string;
    let shipped: string;
    let draft: string;
    let n = 0;

    const who = () => ({
      actor: { kind: 'system' as const, id: 'test' },
      scope: { kind: 'vendor' as const, vendorId, regions: [] },
    });
    const run = async (shards: number, draftText = draft, threads = 1) => {
      const updates: number[] = [];
      let total = 0;
      const { id: _id, ...result } = await simulate(
        threads === 1 ? ctx : { ...ctx, settings: { ...ctx.settings, simulation: { threads } } },
        who(),
        { ...RANGE, draftText, name: `run ${++n}`, shards },
        { phase: (_name, t) => void (total = t), update: (d) => void updates.push(d) },
      );
      return { result: result as SimulationResult, updates, total };
    };
    const order = (externalId: string, orderDate: string, resellerId: string, unit: number) =>
      w.post(externalId, {
        orderDate,
        customerId: 'cus_globex',
        resellerId,
        lines: [
          { productId: 'prd_stor', quantity: 1, unitPriceMinor: unit },
          { productId: 'prd_srv', quantity: 2, unitPriceMinor: Math.round(unit / 3) },
        ],
      });

    beforeAll(async () => {
      w = await openWorld(where, { extra: EXTRA });
      ({ store, ctx, admin, vendorId } = w);
      await w.member('mbr_x1_ti', 'ptn_x1', 'titanium', '2017-02-01', null);
      const sellers = ['ptn_alpha', 'ptn_bravo', ...EXTRA];
      for (const [i, resellerId] of sellers.entries()) {
        await order(`SH-${i}-1`, '2017-03-0' + String(1 + (i % 8)), resellerId, 400_000 + i * 90_000);
        await order(`SH-${i}-2`, '2017-06-1' + String(i % 9), resellerId, 900_000 + i * 45_000);
      }
      // Q1 closed: the ledger check runs in every shard.
      await closePeriod(ctx, who(), { program: 'dell-emc-partner-program', period: 'FY18-Q1' });
      shipped = await readFile(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8');
      // Rates, a threshold and the exclusivity multiplier changed (as the bench's draft does).
      draft = shipped
        .replace('titanium: { storage: 4%, servers: 3%', 'titanium: { storage: 5%, servers: 3%')
        .replace(/multiplier: 1\.25/, 'multiplier: 1.3');
      expect(draft).not.toBe(shipped);
    });
    afterAll(async () => {
      await stopSimulationShards();
      await w?.cleanup();
    });

    it('answers what one shard answers, cold and warm, with progress over every shard', async () => {
      const one = await run(1);
      expect(one.result.baselineEqualsLedger).toBe(true);
      expect(one.result.comparison.totals.differenceMinor).toBeGreaterThan(0);
      const partners = one.result.comparison.partners.map((p) => p.partnerId);
      expect(partners.length).toBeGreaterThanOrEqual(6);
      for (const count of [2, 3]) {
        // Every shard has partners (the shards are really split).
        expect(new Set(partners.map((p) => shardOfPartner(p, count))).size).toBe(count);
        const cold = await run(count);
        expect(cold.result).toEqual(one.result);
        expect(cold.total).toBe(2 * count);
        expect(cold.updates.at(-1)).toBe(2 * count);
        const warm = await run(count);
        expect(warm.result).toEqual(one.result);
      }
    });

    it('reads again in every shard what changed since the last run', async () => {
      const before = await run(3);
      // A sale of a partner in a shard other than 0 (run on a thread, with its history kept there).
      const seller = ['ptn_alpha', 'ptn_bravo', ...EXTRA].find((p) => shardOfPartner(p, 3) !== 0) as string;
      await order('SH-late', '2017-06-28', seller, 1_000_000);
      const after = await run(3);
      expect(after.result.lines).toBe(before.result.lines + 2);
      const of = (r: SimulationResult) => r.comparison.partners.find((p) => p.partnerId === seller);
      expect(of(after.result)?.baselineMinor).toBeGreaterThan(of(before.result)?.baselineMinor ?? 0);
      expect(after.result).toEqual((await run(1)).result);
    });

    it('answers the same with its periods in blocks on threads, cold, warm, and after a change', async () => {
      // A store other threads read (a file, a server): the blocks really run on threads; in memory, one block.
      expect(readableElsewhere(store)).toBe(where !== 'sqlite-memory');
      const one = await run(1);
      // Two periods on two threads: FY18-Q1 here, FY18-Q2 on a thread of its own; the progress counts both.
      const cold = await run(1, draft, 2);
      expect(cold.result).toEqual(one.result);
      expect(cold.total).toBe(2);
      expect(cold.updates.at(-1)).toBe(2);
      expect((await run(1, draft, 2)).result).toEqual(one.result);
      // More threads than periods: one period a thread.
      expect((await run(1, draft, 5)).result).toEqual(one.result);
      // A sale in the second block's period is read again by its thread (its kept history is stale).
      const seller = 'ptn_x3';
      await order('SH-late-block', '2017-06-27', seller, 700_000);
      const after = await run(1, draft, 2);
      expect(after.result.lines).toBe(one.result.lines + 2);
      expect(after.result).toEqual((await run(1)).result);
    });

    it('the API and its job take shards, and refuse a count out of range', async () => {
      const res = await viaJob(admin, 'POST', '/api/simulations', { ...RANGE, draft, shards: 2 });
      expect(res.status, res.text).toBe(200);
      const {
        id: _id,
        name: _name,
        ...viaApi
      } = res.body as unknown as SimulationResult & {
        id: string;
        name: string;
      };
      expect(viaApi).toEqual((await run(1)).result);
      for (const shards of [0, 17, 1.5]) {
        const bad = await admin('POST', '/api/simulations', { ...RANGE, draft, shards });
        expect(bad.status, bad.text).toBe(400);
      }
      await expect(simulate(ctx, who(), { ...RANGE, draftText: draft, shards: 99 })).rejects.toThrow(
        /shards must be a whole number from 1 to 16/,
      );
    });

    it.runIf(where === 'postgres')(
      'with the shard queue on, worker processes plan the shards (warm on the second run); without workers it still runs',
      async () => {
        const url = store.target.kind === 'postgres' ? store.target.url : '';
        const one = (await run(1)).result;
        const simulateVia = async (queue: Parameters<typeof createContext>[1]) => {
          const queued = createContext(store, queue);
          const { id: _id, ...result } = await simulate(queued, who(), {
            ...RANGE,
            draftText: draft,
            name: `queued ${++n}`,
            shards: 3,
          });
          return result;
        };
        // A worker loop on a connection of its own, as a `trellis worker` process has; the simulation never
        // claims a task itself (the worker must).
        const workerStore = await openStore({ kind: 'postgres', url });
        const stop = new AbortController();
        const events: ShardTaskEvent[] = [];
        const loop = runShardWorker(workerStore, {
          signal: stop.signal,
          pollMs: 20,
          onTask: (e) => events.push(e),
        });
        try {
          const workersOnly = { shardQueue: { on: true, claimMs: 600_000, pollMs: 20 } };
          const kept = historyCacheOf(workerStore);
          expect(await simulateVia(workersOnly)).toEqual(one);
          expect(kept.stats).toEqual({ hits: 0, misses: 2 });
          // Warm: the worker kept each shard's history with its store.
          expect(await simulateVia(workersOnly)).toEqual(one);
          expect(kept.stats).toEqual({ hits: 2, misses: 2 });
        } finally {
          stop.abort();
          await loop;
          await workerStore.close();
        }
        const done = events.filter((e) => e.event === 'succeeded');
        expect(done.map((e) => [e.kind, e.shard, e.count]).sort()).toEqual([
          ['simulation', 1, 3],
          ['simulation', 1, 3],
          ['simulation', 2, 3],
          ['simulation', 2, 3],
        ]);
        expect(events.some((e) => e.event === 'failed')).toBe(false);
        // No worker: the simulation takes its tasks back after the claim wait and runs them on its threads.
        expect(await simulateVia({ shardQueue: { on: true, claimMs: 50, pollMs: 20 } })).toEqual(one);
      },
    );
  });
}
