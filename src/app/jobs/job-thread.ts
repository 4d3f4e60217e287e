import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StoreTarget } from '../../db/connection.js';
import type { JobInputs, JobKind, JobStarter } from './job-kinds.js';

/** What a job's thread gets: the store to open (its own connection) and the job to run. */
export interface JobWorkerInput {
  target: StoreTarget;
  /** The main thread's clock minus the real one, so an injected clock carries over. */
  clockOffsetMs: number;
  kind: JobKind;
  input: JobInputs[JobKind];
  who: JobStarter;
}

/** A failure as it crosses the thread boundary (an error's class does not survive it). */
export interface JobFailure {
  code: string | null;
  message: string;
  details: { location: string; message: string }[];
  stack: string;
}

export type JobWorkerMessage =
  | { kind: 'phase'; name: string; total: number }
  | { kind: 'update'; done: number }
  | { kind: 'done'; result: unknown }
  | { kind: 'failed'; failure: JobFailure };

/** Thrown on the main thread for a job that failed on its thread. */
export class JobThreadError extends Error {
  constructor(readonly failure: JobFailure) {
    super(failure.message);
  }
}

/**
 * Runs a job on a worker thread (`job-worker`), which opens its own connection to the same store, so the
 * use case never holds the event loop. From the compiled build it runs `job-worker.js`; from the
 * TypeScript sources (tsx, vitest) a one-line bootstrap registers tsx in the thread first.
 */
export function runOnThread(
  input: JobWorkerInput,
  progress: { phase(name: string, total: number): void; update(done: number): void },
): Promise<unknown> {
  const compiled = !import.meta.url.endsWith('.ts');
  const target = new URL(compiled ? './job-worker.js' : './job-worker.ts', import.meta.url);
  const worker = compiled
    ? new Worker(target, { workerData: input })
    : new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap(target))}`), {
        workerData: input,
      });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: JobWorkerMessage) => {
      if (m.kind === 'phase') progress.phase(m.name, m.total);
      else if (m.kind === 'update') progress.update(m.done);
      else if (m.kind === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new JobThreadError(m.failure));
      }
    });
    worker.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the job's thread stopped (exit code ${code})`));
    });
  });
}

function bootstrap(target: URL): string {
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target.href)});`;
}
