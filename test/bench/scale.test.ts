import { describe, expect, it } from 'vitest';
import { overTarget, scaleBench, scaleRatios, type ScaleFigures } from '../../bench/scale.js';

const plain: ScaleFigures = {
  first_close_s: 2,
  reclose_s: 0.5,
  dry_run_s: 1,
  orders_per_s: 400,
  p50_ms: 50,
  p99_ms: 100,
  csv_lines_per_s: 10_000,
};

describe('npm run bench -- scale: the comparison', () => {
  it('gives partitioned / plain per figure, and null where plain is zero', () => {
    const ratio = scaleRatios(plain, { ...plain, first_close_s: 2.5, orders_per_s: 300, reclose_s: 0.5 });
    expect(ratio).toEqual({
      first_close_s: 1.25,
      reclose_s: 1,
      dry_run_s: 1,
      orders_per_s: 0.75,
      p50_ms: 1,
      p99_ms: 1,
      csv_lines_per_s: 1,
    });
    expect(scaleRatios({ ...plain, reclose_s: 0 }, plain).reclose_s).toBeNull();
  });

  it('names the figures more than 20% worse: times above 1.2, rates below 1/1.2', () => {
    const ratio = scaleRatios(plain, {
      first_close_s: 2.5, // 1.25: slower
      reclose_s: 0.6, // 1.2: at the limit
      dry_run_s: 0.5, // faster
      orders_per_s: 340, // 0.85: 1/0.85 = 1.18 the time per order
      p50_ms: 50,
      p99_ms: 130, // 1.3
      csv_lines_per_s: 8_000, // 0.8: 1.25 the time per line
    });
    expect(overTarget(ratio)).toEqual(['first_close_s', 'p99_ms', 'csv_lines_per_s']);
    expect(overTarget({ ...ratio, p99_ms: null })).not.toContain('p99_ms');
  });

  it('fails clearly without a PostgreSQL server', async () => {
    const saved = process.env.TRELLIS_TEST_DATABASE_URL;
    delete process.env.TRELLIS_TEST_DATABASE_URL;
    try {
      await expect(scaleBench([])).rejects.toThrow(/TRELLIS_TEST_DATABASE_URL is not set/);
    } finally {
      if (saved !== undefined) process.env.TRELLIS_TEST_DATABASE_URL = saved;
    }
  });
});
