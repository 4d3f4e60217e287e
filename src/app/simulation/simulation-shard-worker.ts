/**
 * A shard thread of simulations (simulation-shards.ts): for each shard it is sent, plans it in a read-only
 * transaction of the store the shard names (on the simulation's snapshot on PostgreSQL) and posts the
 * outcome back, with its progress. It keeps the store open, and with it the shard's loaded history (the
 * process-wide history cache is per store), until the starting thread stops it.
 */
import { parentPort } from 'node:worker_threads';
import { TrellisError } from '../../core/shared/errors.js';
import { openStore, type Store } from '../../db/connection.js';
import {
  simulateShardOn,
  type SimulationShardData,
  type SimulationShardMessage,
} from './simulation-shards.js';

const stores = new Map<string, Promise<Store>>();

function storeOf(target: SimulationShardData['target']): Promise<Store> {
  const key = JSON.stringify(target);
  let store = stores.get(key);
  // This thread is off the simulation's thread already: SQLite runs here, not on yet another thread.
  if (!store) {
    store = openStore(target.kind === 'sqlite' ? { ...target, thread: 'main' } : target);
    stores.set(key, store);
    // A store that could not be opened is opened again for the next shard.
    store.catch(() => stores.delete(key));
  }
  return store;
}

const post = (m: SimulationShardMessage) => parentPort?.postMessage(m);

parentPort?.on('message', (m: { task: number; data: SimulationShardData } | { stop: true }) => {
  if ('stop' in m) {
    void Promise.allSettled([...stores.values()].map(async (s) => (await s).close())).then(() =>
      process.exit(0),
    );
    return;
  }
  const { task, data } = m;
  storeOf(data.target)
    .then((store) => simulateShardOn(store, data, (progress) => post({ task, progress })))
    .then(
      (result) => post({ task, ok: true, result }),
      (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        post({
          task,
          ok: false,
          code: e instanceof TrellisError ? e.code : null,
          message: error.message,
          stack: error.stack ?? '',
        });
      },
    );
});
