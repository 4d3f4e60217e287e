/**
 * A job's thread: opens its own connection to the store from the same target, runs the job's use case
 * and reports its progress and outcome to the main thread. Started by `job-thread.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrellisError } from '../../core/shared/errors.js';
import { openStore } from '../../db/connection.js';
import { createContext } from '../context.js';
import { runJobWork } from './job-kinds.js';
import type { JobWorkerInput, JobWorkerMessage } from './job-thread.js';

const input = workerData as JobWorkerInput;
const post = (message: JobWorkerMessage) => parentPort?.postMessage(message);

// Progress is sent at most every 100 ms, so a tight loop does not flood the channel; the last count of a
// phase is always sent (before the next phase and at the end).
let last = 0;
let unsent: number | null = null;
const flush = () => {
  if (unsent !== null) post({ kind: 'update', done: unsent });
  unsent = null;
  last = Date.now();
};
const progress = {
  phase: (name: string, total: number) => {
    flush();
    post({ kind: 'phase', name, total });
  },
  update: (done: number) => {
    unsent = done;
    if (Date.now() - last >= 100) flush();
  },
};

try {
  const store = await openStore(input.target);
  try {
    const ctx = createContext(store, { clock: { now: () => new Date(Date.now() + input.clockOffsetMs) } });
    const result = await runJobWork(ctx, input.who, input.kind, input.input, progress);
    flush();
    post({ kind: 'done', result });
  } finally {
    await store.close();
  }
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  post({
    kind: 'failed',
    failure: {
      code: e instanceof TrellisError ? e.code : null,
      message: error.message,
      details: e instanceof TrellisError ? [...e.details] : [],
      stack: error.stack ?? '',
    },
  });
}
