import { describe, expect, it } from 'vitest';
import { ingestBench } from '../../bench/ingest.js';

describe('npm run bench -- ingest', () => {
  it(
    'posts orders over HTTP and imports a CSV, reporting the figures BENCHMARKS.md records',
    { timeout: 180_000 },
    async () => {
      const result = await ingestBench([
        '--seconds',
        '1',
        '--warmup',
        '0',
        '--clients',
        '2',
        '--csv-lines',
        '300',
      ]);
      expect(Object.keys(result).slice(0, 4)).toEqual([
        'orders_per_s',
        'p50_ms',
        'p99_ms',
        'csv_lines_per_s',
      ]);
      expect(result.errors).toBe(0);
      expect(result.csv_lines).toBeGreaterThanOrEqual(300);
      expect(result.orders_per_s).toBeGreaterThan(0);
      expect(result.csv_lines_per_s).toBeGreaterThan(0);
      expect(result.csv_ledger_transactions).toBeGreaterThan(0);
    },
  );
});
