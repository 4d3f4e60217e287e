import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cachedDatabaseName,
  cacheKey,
  choosePeriod,
  runCloseRealBench,
  type PeriodCandidate,
} from '../../bench/close-real.js';
import { LATEST_MIGRATION } from '../../src/db/migrator.js';

const candidate = (
  code: string,
  from: string,
  to: string,
  lines: number,
  closed = false,
): PeriodCandidate => ({
  code,
  from,
  to,
  lines,
  heldEntries: 0,
  closed,
});

describe('npm run bench -- close-real: cache key and period', () => {
  it('keys the cached store by scale, seed and the latest migration (a new migration rebuilds it)', () => {
    const key = cacheKey('small', 1, LATEST_MIGRATION);
    expect(cacheKey('small', 1, LATEST_MIGRATION)).toBe(key);
    expect(key).toMatch(/^small_1_[0-9a-f]{10}$/);
    const others = [
      cacheKey('medium', 1, LATEST_MIGRATION),
      cacheKey('small', 2, LATEST_MIGRATION),
      cacheKey('small', 1, '20991231-0099-next'),
      cacheKey('small', 1, LATEST_MIGRATION, { sizes: { orderLines: 3_000 } }),
      cacheKey('small', 1, LATEST_MIGRATION, { now: '2026-12-03' }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
    const database = cachedDatabaseName(cacheKey('medium', 123_456_789, LATEST_MIGRATION));
    expect(database).toMatch(/^[a-z0-9_]+$/);
    expect(database.length).toBeLessThan(64);
  });

  it('chooses the ended, never closed quarter with the most lines (the earlier on a tie)', () => {
    const list = [
      candidate('FY26-Q1', '2025-02-01', '2025-04-30', 500),
      candidate('FY26-Q2', '2025-05-01', '2025-07-31', 900),
      candidate('FY26-Q3', '2025-08-01', '2025-10-31', 900),
      candidate('FY26-Q4', '2025-11-01', '2026-01-30', 5_000, true),
      candidate('FY27-Q1', '2026-01-31', '2026-04-29', 7_000),
    ];
    expect(choosePeriod(list, '2026-04-29')?.code).toBe('FY26-Q2');
    expect(choosePeriod(list, '2026-04-30')?.code).toBe('FY27-Q1');
    expect(choosePeriod(list, '2025-02-01')).toBeNull();
  });
});

describe('npm run bench -- close-real on a small demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-close-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const options = {
    scale: 'small' as const,
    seed: 7,
    dir,
    postgresUrl: null,
    sizes: { partners: 40, customers: 500, orderLines: 3_000 },
    now: '2026-12-03',
    log: () => undefined,
  };

  it(
    'closes the chosen quarter through closePeriod, re-closes it posting nothing, and reuses the cached store',
    { timeout: 120_000 },
    async () => {
      const first = await runCloseRealBench(options);
      const r = first.result;
      expect(Object.keys(r).slice(0, 8)).toEqual([
        'scale',
        'lines',
        'partners',
        'first_close_s',
        'reclose_s',
        'dry_run_s',
        'rss_mb',
        'seed',
      ]);
      expect(r.store_built).toBe(true);
      expect(existsSync(r.cache as string)).toBe(true);
      // The default period: never closed, ended by the demo's date, the most lines of those.
      const chosen = first.candidates.find((c) => c.code === r.period);
      expect(chosen).toMatchObject({ closed: false });
      expect(chosen && chosen.to < '2026-12-03').toBe(true);
      expect(choosePeriod(first.candidates, '2026-12-03')?.code).toBe(r.period);
      // History carries no real-time accruals: the first close posts them all, the re-close nothing.
      expect(r.held_entries_before).toBe(0);
      expect(first.sqlite.first.transactions).toBeGreaterThan(0);
      expect(first.sqlite.first.reconciled).toBe(true);
      expect(first.sqlite.reclose.transactions).toBe(0);
      expect(first.sqlite.reclose.entries).toBe(0);
      expect(first.sqlite.dry.dryRun).toBe(true);
      expect(first.sqlite.dry.lines).toBe(r.lines);
      expect(r.lines).toBe(chosen?.lines);
      expect(r.lines as number).toBeGreaterThan(0);
      expect(r.first_close_s as number).toBeGreaterThan(0);

      // The second run reuses the store (the cached file was not changed by the first run's closes), and
      // closes it in 1, then 2 shards of partners: the same close each time (or the bench fails).
      const again = await runCloseRealBench({ ...options, period: String(r.period), shards: [1, 2] });
      expect(again.result).toMatchObject({
        store_built: false,
        period: r.period,
        lines: r.lines,
        transactions: r.transactions,
        held_entries_before: 0,
        shards: 1,
      });
      expect(Object.keys(again.result.by_shards as object)).toEqual(['1', '2']);
    },
  );
});
