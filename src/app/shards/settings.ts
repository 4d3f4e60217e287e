/**
 * The shard task queue's settings (issue 18, docs/operations.md "Several machines"): whether a close sends
 * its shards to worker processes through the queue (PostgreSQL only), and how long it waits for them.
 */
export interface ShardQueueSettings {
  /** TRELLIS_SHARD_QUEUE=on: shards go to the queue (PostgreSQL); off (default): threads of this process. */
  on: boolean;
  /** TRELLIS_SHARD_CLAIM_MS (default 2000): a task no worker claimed this long after it was queued runs here. */
  claimMs: number;
  /**
   * TRELLIS_SHARD_TIMEOUT_MS (default 600000): a task a worker claimed and did not finish this long after
   * the coordinator saw it claimed is taken back and runs here (the worker's late result is refused).
   */
  timeoutMs: number;
  /** How often the coordinator reads its tasks' state (ms). */
  pollMs: number;
}

export const DEFAULT_SHARD_QUEUE: ShardQueueSettings = {
  on: false,
  claimMs: 2000,
  timeoutMs: 600_000,
  pollMs: 100,
};
