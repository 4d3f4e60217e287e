/**
 * A shard thread of closes (close-shards.ts): for each shard it is sent, opens its own connection to the
 * store the shard names, plans the shard in a read-only transaction on the close's snapshot, closes the
 * connection and posts the plan back. It stays for the next shard until the starting thread ends it.
 */
import { parentPort } from 'node:worker_threads';
import { TrellisError } from '../../core/shared/errors.js';
import type { ShardPlan } from '../../core/incentives/shards.js';
import { openStore } from '../../db/connection.js';
import { planShardOnSnapshot, type ShardWorkerData, type ShardWorkerMessage } from './close-shards.js';

async function run(data: ShardWorkerData): Promise<ShardPlan> {
  // This thread is off the close's thread already: SQLite runs here, not on yet another thread.
  const store = await openStore(
    data.target.kind === 'sqlite' ? { ...data.target, thread: 'main' } : data.target,
  );
  try {
    const { target: _target, ...task } = data;
    return await planShardOnSnapshot(store, task);
  } finally {
    await store.close();
  }
}

parentPort?.on('message', ({ task, data }: { task: number; data: ShardWorkerData }) => {
  run(data).then(
    (plan) => {
      const message: { task: number } & ShardWorkerMessage = { task, ok: true, plan };
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
      const message: { task: number } & ShardWorkerMessage = {
        task,
        ok: false,
        code: e instanceof TrellisError ? e.code : null,
        message: error.message,
        stack: error.stack ?? '',
      };
      parentPort?.postMessage(message);
    },
  );
});
