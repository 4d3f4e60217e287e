/**
 * A close's shard thread (close-shards.ts): opens its own connection to the store, plans its shard of the
 * partners in a read-only transaction on the close's snapshot, posts the plan back and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrellisError } from '../../core/shared/errors.js';
import type { ShardPlan } from '../../core/incentives/shards.js';
import { openStore } from '../../db/connection.js';
import { bulkWorkMemory } from '../../db/statistics.js';
import { readSnapshot } from '../../db/snapshot.js';
import { planShard, type ShardWorkerData, type ShardWorkerMessage } from './close-shards.js';

const data = workerData as ShardWorkerData;

async function run(): Promise<ShardPlan> {
  // This thread is off the close's thread already: SQLite runs here, not on yet another thread.
  const store = await openStore(
    data.target.kind === 'sqlite' ? { ...data.target, thread: 'main' } : data.target,
  );
  try {
    return await readSnapshot(store, data.snapshot, async (db) => {
      await bulkWorkMemory(store, db);
      return planShard(db, store, data.subject, data.shard, data.count);
    });
  } finally {
    await store.close();
  }
}

run().then(
  (plan) => {
    const message: ShardWorkerMessage = { ok: true, plan };
    const p = plan.postings;
    parentPort?.postMessage(message, [
      plan.amounts.buffer,
      p.baseMinor.buffer,
      p.amountMinor.buffer,
      p.dueMinor.buffer,
      p.application.buffer,
    ] as ArrayBuffer[]);
  },
  (e: unknown) => {
    const error = e instanceof Error ? e : new Error(String(e));
    const message: ShardWorkerMessage = {
      ok: false,
      code: e instanceof TrellisError ? e.code : null,
      message: error.message,
      stack: error.stack ?? '',
    };
    parentPort?.postMessage(message);
  },
);
