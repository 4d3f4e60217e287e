import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.js';
import type { StoreTarget } from '../../db/connection.js';
import type { ShardQueueSettings } from '../shards/settings.js';
import type { JobInputs, JobKind, JobStarter } from './job-kinds.js';

/** What a job's thread gets when it starts: the store to open (its own connection). */
export interface JobWorkerData {
  target: StoreTarget;
}

/** One job for the thread to run. */
export interface JobRequest {
  jobId: string;
  /** The main thread's clock minus the real one, so an injected clock carries over. */
  clockOffsetMs: number;
  kind: JobKind;
  input: JobInputs[JobKind];
  who: JobStarter;
  /** The starting context's shard task queue settings (a close on this thread uses them); off if not given. */
  shardQueue?: ShardQueueSettings;
}

/** A failure as it crosses the thread boundary (an error's class does not survive it). */
export interface JobFailure {
  code: string | null;
  message: string;
  details: { location: string; message: string }[];
  stack: string;
}

export type JobWorkerMessage = { jobId: string } & (
  | { kind: 'phase'; name: string; total: number }
  | { kind: 'update'; done: number }
  | { kind: 'done'; result: unknown }
  | { kind: 'failed'; failure: JobFailure }
);

/** Thrown on the main thread for a job that failed on its thread. */
export class JobThreadError extends Error {
  constructor(readonly failure: JobFailure) {
    super(failure.message);
  }
}

interface Progress {
  phase(name: string, total: number): void;
  update(done: number): void;
}

/** A thread stays this long after its last job, so jobs in a row do not each pay its start-up. */
const IDLE_MS = 5_000;

/**
 * The thread a store's jobs run on (`job-worker`): it opens its own connection to the same store, so a
 * use case never holds the main event loop, and runs the jobs it is sent (several at once: they await
 * the store in turn). It is started on the first job and stops once idle. From the compiled build it
 * runs `job-worker.js`; from the TypeScript sources (tsx, vitest) a one-line bootstrap registers tsx in
 * the thread first, since a worker does not inherit the main thread's module hooks.
 */
export class JobThread {
  private worker: Worker | null = null;
  /** Jobs sent and not finished, each with the thread it was sent to. */
  private readonly pending = new Map<
    string,
    { worker: Worker; progress: Progress; resolve: (r: unknown) => void; reject: (e: unknown) => void }
  >();
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly target: StoreTarget) {}

  run(request: JobRequest, progress: Progress): Promise<unknown> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker ?? this.start();
    return new Promise((resolve, reject) => {
      this.pending.set(request.jobId, { worker, progress, resolve, reject });
      worker.postMessage(request);
    });
  }

  /** Stops the thread (its jobs fail). */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const workerData: JobWorkerData = { target: this.target };
    const worker = startWorker(import.meta.url, 'job-worker', workerData);
    // An idle thread never keeps the process alive.
    worker.unref();
    worker.on('message', (m: JobWorkerMessage) => {
      const job = this.pending.get(m.jobId);
      if (!job) return;
      if (m.kind === 'phase') job.progress.phase(m.name, m.total);
      else if (m.kind === 'update') job.progress.update(m.done);
      else {
        this.pending.delete(m.jobId);
        if (m.kind === 'done') job.resolve(m.result);
        else job.reject(new JobThreadError(m.failure));
        if (this.pending.size === 0) this.idle = setTimeout(() => void this.stop(), IDLE_MS).unref();
      }
    });
    // A thread that stops fails its own jobs only: an idle thread stopping while the next job already runs
    // on a new thread leaves that job alone.
    const failAll = (e: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const [jobId, job] of this.pending)
        if (job.worker === worker) {
          this.pending.delete(jobId);
          job.reject(e);
        }
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the jobs' thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
