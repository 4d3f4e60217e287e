import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { compileColumnarClose } from '../../src/core/incentives/columnar-close.js';
import { parseProgramDocument } from '../../src/core/programs/parse.js';
import { collectGarbage } from './gc.js';
import type { BenchColumns } from './generate.js';
import { closePartners, CONTEXTS } from './generate.js';
import type { WorkerResult, WorkerRun } from './parallel.js';

/** One thread of the parallel close (see parallel.ts): its range of lines, the rows of its partners. */
const file = join(import.meta.dirname, '..', '..', 'programs', 'dell-emc-fy18.yaml');
const parsed = parseProgramDocument(readFileSync(file, 'utf8'), file);
if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error('cannot load dell-emc-fy18.yaml');
const close = compileColumnarClose(parsed.document, CONTEXTS);
const port = parentPort;
if (port === null) throw new Error('close worker: no parent port');

port.on('message', (run: WorkerRun) => {
  const { columns: c, lo, hi } = run;
  const columns: BenchColumns = {
    length: hi - lo,
    amountMinor: c.amountMinor.subarray(lo, hi),
    familyIndex: c.familyIndex.subarray(lo, hi),
    tierIndex: c.tierIndex.subarray(lo, hi),
    newBusiness: c.newBusiness.subarray(lo, hi),
    exclusive: c.exclusive.subarray(lo, hi),
    contextIndex: c.contextIndex.subarray(lo, hi),
    partnerIndex: c.partnerIndex.subarray(lo, hi),
    orderDay: c.orderDay.subarray(lo, hi),
    customerIndex: c.customerIndex.subarray(lo, hi),
  };
  const totals = close.computePeriod(run.period, columns, closePartners(run.partners, close.tiers));
  const from = run.pLo * totals.width;
  const to = run.pHi * totals.width;
  const result: WorkerResult = {
    width: totals.width,
    lines: totals.lines,
    accruedMinor: totals.accruedMinor.slice(from, to),
    closeMinor: totals.closeMinor.slice(from, to),
    totalMinor: totals.totalMinor.slice(from, to),
  };
  port.postMessage(result, [
    result.accruedMinor.buffer as ArrayBuffer,
    result.closeMinor.buffer as ArrayBuffer,
    result.totalMinor.buffer as ArrayBuffer,
  ]);
  // Once this handler is done, collect its views: the main thread can then free the columns they share.
  setImmediate(collectGarbage);
});
port.postMessage('ready');
