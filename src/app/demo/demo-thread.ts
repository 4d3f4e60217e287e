import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DemoWorldOptions } from '../../core/demo/index.js';
import type { SidecarPlan } from '../../db/bulk-loader.js';

/** What the demo's second thread gets: the sidecar to fill, the world to build, where its lines start. */
export interface DemoWorkerInput {
  plan: SidecarPlan;
  /** The world's options as plain data (`createdAt` as ISO text). */
  world: Omit<DemoWorldOptions, 'createdAt'> & { createdAt: string };
  /** The thread writes the order lines from this position of the stream on (0-based); the main thread the rest. */
  fromLine: number;
}

export type DemoWorkerMessage =
  | { kind: 'progress'; customers: number; orders: number; lines: number }
  | { kind: 'done'; customers: number; orders: number; lines: number };

export interface DemoThread {
  /** Resolves with the thread's counts once its sidecar is written and closed; rejects if it fails. */
  done: Promise<{ customers: number; orders: number; lines: number }>;
  /** The thread's latest counts (updated while the main thread waits). */
  progress(): { customers: number; orders: number; lines: number };
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
  const compiled = !import.meta.url.endsWith('.ts');
  const target = new URL(compiled ? './demo-worker.js' : './demo-worker.ts', import.meta.url);
  const worker = compiled
    ? new Worker(target, { workerData: input })
    : new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap(target))}`), {
        workerData: input,
      });
  let latest = { customers: 0, orders: 0, lines: 0 };
  const listeners: (() => void)[] = [];
  const done = new Promise<{ customers: number; orders: number; lines: number }>((resolve, reject) => {
    let finished = false;
    worker.on('message', (m: DemoWorkerMessage) => {
      latest = { customers: m.customers, orders: m.orders, lines: m.lines };
      for (const l of listeners) l();
      if (m.kind === 'done') {
        finished = true;
        resolve(latest);
      }
    });
    worker.on('error', (e) => {
      finished = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!finished) reject(new Error(`the demo's second thread stopped (exit code ${code})`));
    });
  });
  // A failure is reported through `done` when awaited; until then it must not count as unhandled.
  done.catch(() => undefined);
  return {
    done,
    progress: () => latest,
    onProgress: (l) => listeners.push(l),
    stop: async () => {
      await worker.terminate();
    },
  };
}

function bootstrap(target: URL): string {
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(target.href)});`;
}
