/**
 * The demo's second thread: builds the same world from the same options (the generator is deterministic)
 * and writes customers and orders into one sidecar file and the last part of the order lines into
 * another, while the main thread writes the first part of the lines. Started by `demo-thread.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDemoWorld } from '../../core/demo/index.js';
import { writeSidecar, type SidecarLoader } from '../../db/bulk-loader.js';
import { ORDER_BATCH_LINES, type DemoWorkerInput, type DemoWorkerMessage } from './demo-thread.js';

const input = workerData as DemoWorkerInput;
const post = (message: DemoWorkerMessage) => parentPort?.postMessage(message);

const world = createDemoWorld({ ...input.world, createdAt: new Date(input.world.createdAt) });
const counts = { customers: 0, orders: 0, lines: 0 };

/** Streams the orders (into `orders`) and the lines from `fromLine` on (into `lines`, if any). */
async function stream(orders: SidecarLoader, lines: SidecarLoader | null): Promise<void> {
  const select = { orders: true, lines: lines !== null, fromLine: input.fromLine };
  let batches = 0;
  for (const batch of world.orderRows(ORDER_BATCH_LINES, select)) {
    await orders.orderRows({ ...batch, lines: [], lineCount: 0 });
    if (lines !== null) await lines.orderRows({ ...batch, orders: [], orderCount: 0 });
    counts.orders += batch.orderCount;
    counts.lines += batch.lineCount;
    if (++batches % 16 === 0) post({ kind: 'progress', ...counts });
  }
}

try {
  await writeSidecar(input.plans.orders, async (orders) => {
    for (const batch of world.customers(5_000)) {
      await orders.customers(batch);
      counts.customers += batch.length;
    }
    const linesPlan = input.plans.lines;
    if (linesPlan === null) await stream(orders, null);
    else await writeSidecar(linesPlan, (lines) => stream(orders, lines));
    // The lines' file is closed: the main thread copies it while the orders' indexes are built here.
    post({ kind: 'lines', ...counts });
  });
  post({ kind: 'done', ...counts });
} catch (e) {
  // Posted as text: an error thrown out of a worker reaches the main thread without its message when its
  // class is not a plain Error subclass (better-sqlite3's SqliteError).
  const error = e instanceof Error ? e : new Error(String(e));
  post({ kind: 'failed', ...counts, message: error.message, stack: error.stack ?? '' });
}
