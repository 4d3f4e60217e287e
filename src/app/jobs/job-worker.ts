/**
 * The jobs' thread: opens its own connection to the store from the same target, then runs each job it is
 * sent with the job's use case, reporting progress and the outcome to the main thread. Started by
 * `job-thread.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrellisError } from '../../core/shared/errors.js';
import { openStore, type Store } from '../../db/connection.js';
import { createContext } from '../context.js';
import { runJobWork } from './job-kinds.js';
import type { JobRequest, JobWorkerData, JobWorkerMessage } from './job-thread.js';

const data = workerData as JobWorkerData;
const post = (message: JobWorkerMessage) => parentPort?.postMessage(message);
let store: Promise<Store> | null = null;

async function run(request: JobRequest): Promise<void> {
  const { jobId } = request;
  // Progress is sent at most every 100 ms, so a tight loop does not flood the channel; the last count of
  // a phase is always sent (before the next phase and at the end).
  let last = 0;
  let unsent: number | null = null;
  const flush = () => {
    if (unsent !== null) post({ jobId, kind: 'update', done: unsent });
    unsent = null;
    last = Date.now();
  };
  const progress = {
    phase: (name: string, total: number) => {
      flush();
      post({ jobId, kind: 'phase', name, total });
    },
    update: (done: number) => {
      unsent = done;
      if (Date.now() - last >= 100) flush();
    },
  };
  try {
    // This thread is already off the server's event loop: SQLite runs here, not on yet another thread.
    store ??= openStore(data.target.kind === 'sqlite' ? { ...data.target, thread: 'main' } : data.target);
    const ctx = createContext(await store, {
      clock: { now: () => new Date(Date.now() + request.clockOffsetMs) },
      ...(request.shardQueue ? { shardQueue: request.shardQueue } : {}),
    });
    const result = await runJobWork(ctx, request.who, request.kind, request.input, progress);
    flush();
    post({ jobId, kind: 'done', result });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    post({
      jobId,
      kind: 'failed',
      failure: {
        code: e instanceof TrellisError ? e.code : null,
        message: error.message,
        details: e instanceof TrellisError ? [...e.details] : [],
        stack: error.stack ?? '',
      },
    });
  }
}

parentPort?.on('message', (request: JobRequest) => void run(request));
