import { startWorker } from '../worker-thread.js';
import type { DemoWorldOptions } from '../../core/demo/index.js';
import type { SidecarPlan } from '../../db/bulk-loader.js';

/**
 * Order lines per generated batch. Small batches keep few rows alive at a time, so V8's young-generation
 * collections (which copy what is alive) stay cheap; the statements already group rows by 128.
 */
export const ORDER_BATCH_LINES = 2_000;

/** What the demo's second thread gets: the sidecars to fill, the world to build, where its lines start. */
export interface DemoWorkerInput {
  /** The sidecar for customers and orders, and the one for the thread's order lines (if it writes any). */
  plans: { orders: SidecarPlan; lines: SidecarPlan | null };
  /** The world's options as plain data (`createdAt` as ISO text). */
  world: Omit<DemoWorldOptions, 'createdAt'> & { createdAt: string };
  /** The thread writes the order lines from this position of the stream on (0-based); the main thread the rest. */
  fromLine: number;
}

export interface DemoWorkerMessage {
  /** `lines`: the lines' sidecar is complete and closed; `done`: both are; `failed`: the thread failed. */
  kind: 'progress' | 'lines' | 'done' | 'failed';
  customers: number;
  orders: number;
  lines: number;
  message?: string;
  stack?: string;
}

type Counts = { customers: number; orders: number; lines: number };

export interface DemoThread {
  /** Resolves once its rows are all written and the lines' sidecar closed; rejects if the thread fails. */
  linesDone: Promise<Counts>;
  /** Resolves with the thread's counts once both sidecars are written and closed; rejects if it fails. */
  done: Promise<Counts>;
  /** The thread's latest counts (updated while the main thread waits). */
  progress(): Counts;
  onProgress(listener: () => void): void;
  /** Stops the thread (after a failure on the main thread). */
  stop(): Promise<void>;
}

/**
 * Starts `demo-worker` on a worker thread. From the compiled build it runs `demo-worker.js`; from the
 * TypeScript sources (tsx, vitest) a one-line bootstrap registers tsx in the thread first, since a
 * worker does not inherit the main thread's module hooks.
 */
export function startDemoThread(input: DemoWorkerInput): DemoThread {
  const worker = startWorker(import.meta.url, 'demo-worker', input);
  let latest: Counts = { customers: 0, orders: 0, lines: 0 };
  const listeners: (() => void)[] = [];
  let linesResolve: (c: Counts) => void = () => undefined;
  let linesReject: (e: unknown) => void = () => undefined;
  const linesDone = new Promise<Counts>((resolve, reject) => {
    linesResolve = resolve;
    linesReject = reject;
  });
  const done = new Promise<Counts>((resolve, reject) => {
    let finished = false;
    const fail = (e: unknown) => {
      finished = true;
      linesReject(e);
      reject(e);
    };
    worker.on('message', (m: DemoWorkerMessage) => {
      latest = { customers: m.customers, orders: m.orders, lines: m.lines };
      for (const l of listeners) l();
      if (m.kind === 'failed') {
        const error = new Error(`the demo's second thread failed: ${m.message ?? ''}`);
        if (m.stack) error.stack = `${error.message}\n${m.stack}`;
        fail(error);
        return;
      }
      if (m.kind === 'lines') linesResolve(latest);
      if (m.kind === 'done') {
        finished = true;
        resolve(latest);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!finished) fail(new Error(`the demo's second thread stopped (exit code ${code})`));
    });
  });
  // A failure is reported when awaited; until then it must not count as unhandled.
  linesDone.catch(() => undefined);
  done.catch(() => undefined);
  return {
    linesDone,
    done,
    progress: () => latest,
    onProgress: (l) => listeners.push(l),
    stop: async () => {
      await worker.terminate();
    },
  };
}
