import { serialize } from 'node:v8';
import type { Store } from '../../db/connection.js';
import { CLOSE_SHARD_KIND, planShardOnSnapshot, type CloseShardTask } from '../incentives/close-shards.js';
import {
  SIMULATION_SHARD_KIND,
  simulateShardOn,
  type SimulationShardTask,
} from '../simulation/simulation-shards.js';

/**
 * The kinds of shard task a worker runs (src/app/shards/shard-worker.ts), each with its handler: given the
 * worker's own store and the task's payload (parsed JSON), it returns the result the coordinator reads
 * back (`v8.serialize`d, so typed arrays cross as they are). A kind is added here, and its coordinator
 * queues tasks of that kind (src/app/shards/queue.ts `runOnQueue`).
 */
export interface ShardTaskHandler {
  run(store: Store, payload: unknown): Promise<unknown>;
}

export const SHARD_TASK_KINDS: Readonly<Record<string, ShardTaskHandler>> = {
  /** A close's shard of partners (close-shards.ts): its plan on the close's exported snapshot. */
  [CLOSE_SHARD_KIND]: { run: (store, payload) => planShardOnSnapshot(store, payload as CloseShardTask) },
  /**
   * A simulation's shard of partners (simulation-shards.ts): its outcomes on the simulation's snapshot; the
   * worker's store keeps the shard's history for the next run of the same range.
   */
  [SIMULATION_SHARD_KIND]: {
    run: (store, payload) => simulateShardOn(store, payload as SimulationShardTask),
  },
};

/** A handler's result as the task stores it. */
export function serializeResult(result: unknown): Buffer {
  return serialize(result);
}
