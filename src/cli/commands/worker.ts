import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import {
  checkQueueStore,
  MAX_WORKER_CONCURRENCY,
  runShardWorker,
  type ShardTaskEvent,
} from '../../app/shards/shard-worker.js';
import { openAppStore } from '../../app/store.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';

/** One line per task event: `succeeded close shard 2/3 in 812 ms (run ..., vendor ...)`. */
function describe(e: ShardTaskEvent): string {
  const what = `${e.kind} shard ${e.shard + 1}/${e.count}`;
  const took = e.ms === undefined ? '' : ` in ${e.ms} ms`;
  const why =
    e.event === 'failed'
      ? `: ${e.error ?? ''}`
      : e.event === 'refused'
        ? ' (its result was refused: the task was taken over or its run had ended)'
        : e.event === 'released'
          ? ' (given back to the queue)'
          : '';
  return `${e.event} ${what}${took}${why} (run ${e.runId}, vendor ${e.vendorId}, ${e.worker})\n`;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run the shards that closes and simulations queue for other processes (PostgreSQL, TRELLIS_SHARD_QUEUE=on on their side; the same DATABASE_URL): until SIGINT or SIGTERM, which finishes the running tasks (a second one gives them back to the queue)',
    )
    .option('--concurrency <n>', `tasks run at once (1..${MAX_WORKER_CONCURRENCY}, default 1)`)
    .action(async (opts: { concurrency?: string }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        // Refused before anything is opened (no SQLite file is created).
        checkQueueStore(config.store);
        const concurrency = opts.concurrency === undefined ? 1 : Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_WORKER_CONCURRENCY)
          throw new TrellisError(
            'invalid_input',
            `--concurrency must be a whole number from 1 to ${MAX_WORKER_CONCURRENCY} (got ${opts.concurrency})`,
          );
        const store = await openAppStore(config.store);
        const stop = new AbortController();
        const abandon = new AbortController();
        const onSignal = (signal: string) => {
          if (!stop.signal.aborted) {
            process.stdout.write(
              `${signal}: stopping; the running tasks finish (${signal} again gives them back to the queue)\n`,
            );
            stop.abort();
          } else abandon.abort();
        };
        const onInt = () => onSignal('SIGINT');
        const onTerm = () => onSignal('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
        try {
          process.stdout.write(
            `trellis worker: waiting for shard tasks on ${store.capabilities.kind} ${store.location} (concurrency ${concurrency})\n`,
          );
          const s = await runShardWorker(store, {
            concurrency,
            signal: stop.signal,
            abandon: abandon.signal,
            onTask: (e) => process.stdout.write(describe(e)),
            onError: (e) =>
              process.stderr.write(`trellis worker: ${e instanceof Error ? e.message : String(e)}\n`),
          });
          process.stdout.write(
            `trellis worker: stopped (${s.succeeded} succeeded, ${s.failed} failed, ${s.refused} refused, ${s.released} given back)\n`,
          );
          // Tasks given back may still be reading on their connections: the process ends without them.
          if (abandon.signal.aborted) process.exit(0);
        } finally {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          await store.close();
        }
      });
    });
}
