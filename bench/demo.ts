import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/app/context.js';
import { loadDemo } from '../src/app/demo/load-demo.js';
import { openAppStore } from '../src/app/store.js';
import type { DemoScale } from '../src/core/demo/index.js';

/**
 * Loads the demo world into a fresh embedded SQLite database (or, with --postgres <url>, into an empty
 * PostgreSQL database) and reports the wall time and rows per second.
 *   npm run bench -- demo [--scale small|medium|large] [--seed N] [--postgres URL] [--json]
 */
export async function demoBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const scale = opt('--scale', 'small') as DemoScale;
  const seed = Number(opt('--seed', '1'));
  const pg = opt('--postgres', '');
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-demo-'));
  const store = await openAppStore(
    pg ? { kind: 'postgres', url: pg } : { kind: 'sqlite', file: join(dir, 'trellis.db') },
  );
  try {
    // Seconds spent in each phase of the load (from the progress reports).
    const phases: Record<string, number> = {};
    let phase = 'start';
    let since = performance.now();
    const summary = await loadDemo(createContext(store), {
      scale,
      seed,
      onProgress: (p) => {
        if (p.phase === phase) return;
        const now = performance.now();
        phases[phase] = Number(((now - since) / 1000).toFixed(1));
        phase = p.phase;
        since = now;
      },
    });
    // The last phase ends with the load (indexes, the copy from the second thread, the commit, tiers).
    phases[phase] = Number(((performance.now() - since) / 1000).toFixed(1));
    const rows = summary.customers + summary.orders + summary.orderLines;
    return {
      store: store.capabilities.kind,
      scale,
      seed,
      seconds: Number(summary.seconds.toFixed(1)),
      order_lines: summary.orderLines,
      orders: summary.orders,
      customers: summary.customers,
      rows_per_s: Math.round(rows / summary.seconds),
      rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20),
      phases,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
