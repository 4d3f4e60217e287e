import { Worker } from 'node:worker_threads';
import type { ColumnarPeriodTotals } from '../../src/core/incentives/columnar-close.js';
import type { Period } from '../../src/core/incentives/index.js';
import type { BenchColumns, PartnerTable } from './generate.js';

/**
 * The columnar close on several threads: the lines (clustered by partner, partners ascending, columns on
 * SharedArrayBuffers so that no worker copies them) are cut at partner boundaries into one contiguous
 * range per worker; each worker runs the same pure `computePeriod` on its range, and the rows of the
 * partners it owns are taken from it. A partner's totals depend only on its own lines and facts, so the
 * merge is exact (the bench checks it against the one-thread totals).
 */
export interface ParallelClose {
  readonly threads: number;
  /** Null when the lines are not in ascending partner order (run the one-thread close instead). */
  computePeriod(columns: BenchColumns, partners: PartnerTable): Promise<ColumnarPeriodTotals | null>;
  close(): Promise<void>;
}

export interface PartnerRange {
  /** Lines [lo, hi) and partner rows [pLo, pHi). */
  readonly lo: number;
  readonly hi: number;
  readonly pLo: number;
  readonly pHi: number;
}

export interface WorkerRun extends PartnerRange {
  readonly columns: BenchColumns;
  readonly partners: PartnerTable;
  readonly period: Period;
}

export interface WorkerResult {
  readonly width: number;
  readonly lines: number;
  readonly accruedMinor: Float64Array;
  readonly closeMinor: Float64Array;
  readonly totalMinor: Float64Array;
}

/** Cuts the lines into `parts` ranges at partner boundaries; null when partners are not ascending. */
export function partnerRanges(cols: BenchColumns, partners: number, parts: number): PartnerRange[] | null {
  const n = cols.length;
  const p = cols.partnerIndex;
  for (let i = 1; i < n; i++) if ((p[i] as number) < (p[i - 1] as number)) return null;
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    let i = Math.max(Math.floor((n * k) / parts), cuts[k - 1] as number);
    while (i > 0 && i < n && p[i] === p[i - 1]) i++;
    cuts.push(i);
  }
  cuts.push(n);
  const firstPartner = cuts.map((c, k) => (k === 0 ? 0 : c < n ? (p[c] as number) : partners));
  firstPartner[parts] = partners;
  return Array.from({ length: parts }, (_, k) => ({
    lo: cuts[k] as number,
    hi: cuts[k + 1] as number,
    pLo: firstPartner[k] as number,
    pHi: firstPartner[k + 1] as number,
  }));
}

const WORKER = new URL('./worker.ts', import.meta.url).href;

/** Starts `threads` workers, each with the program compiled, waiting for periods to close. */
export async function startParallelClose(threads: number, period: Period): Promise<ParallelClose> {
  // The worker is TypeScript: register tsx in the worker thread, then import it (the same under tsx and
  // under vitest).
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); })`,
        { eval: true },
      ),
  );
  const next = (w: Worker) =>
    new Promise<WorkerResult>((resolve, reject) => {
      const onError = (e: Error) => {
        w.off('message', onMessage);
        reject(e);
      };
      const onMessage = (m: WorkerResult) => {
        w.off('error', onError);
        resolve(m);
      };
      w.once('message', onMessage);
      w.once('error', onError);
    });
  await Promise.all(workers.map(next)); // 'ready': compiled
  return {
    threads,
    async computePeriod(columns, partners) {
      const ranges = partnerRanges(columns, partners.count, threads);
      if (ranges === null) return null;
      const results = await Promise.all(
        workers.map((w, k) => {
          const reply = next(w);
          w.postMessage({ ...(ranges[k] as PartnerRange), columns, partners, period } satisfies WorkerRun);
          return reply;
        }),
      );
      const width = results[0]?.width ?? 0;
      const P = partners.count;
      const out = {
        accruedMinor: new Float64Array(P * width),
        closeMinor: new Float64Array(P * width),
        totalMinor: new Float64Array(P * width),
      };
      let lines = 0;
      results.forEach((r, k) => {
        const offset = (ranges[k] as PartnerRange).pLo * width;
        out.accruedMinor.set(r.accruedMinor, offset);
        out.closeMinor.set(r.closeMinor, offset);
        out.totalMinor.set(r.totalMinor, offset);
        lines += r.lines;
      });
      return { width, partnerCount: P, lines, ...out };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
