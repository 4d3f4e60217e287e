/**
 * The demo's second thread: builds the same world from the same options (the generator is deterministic)
 * and writes customers, orders and the tail of the order lines into the sidecar file that
 * `withBulkLoader` attached, while the main thread writes the other lines. Started by `demo-thread.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDemoWorld } from '../../core/demo/index.js';
import { writeSidecar } from '../../db/bulk-loader.js';
import type { DemoWorkerInput, DemoWorkerMessage } from './demo-thread.js';

const input = workerData as DemoWorkerInput;
const post = (message: DemoWorkerMessage) => parentPort?.postMessage(message);

const world = createDemoWorld({ ...input.world, createdAt: new Date(input.world.createdAt) });
const total = world.counts().orderLines;
const result = await writeSidecar(input.plan, async (loader) => {
  let customers = 0;
  for (const batch of world.customers(5_000)) {
    await loader.customers(batch);
    customers += batch.length;
  }
  let orders = 0;
  let lines = 0;
  let batches = 0;
  const select = { orders: true, lines: input.fromLine < total, fromLine: input.fromLine };
  for (const batch of world.orderRows(10_000, select)) {
    await loader.orderRows(batch);
    orders += batch.orderCount;
    lines += batch.lineCount;
    if (++batches % 16 === 0) post({ kind: 'progress', customers, orders, lines });
  }
  return { customers, orders, lines };
});
post({ kind: 'done', ...result });
