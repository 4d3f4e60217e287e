import { describe, expect, it } from 'vitest';
import { dealcheckBench, runDealcheckBench } from '../../bench/dealcheck.js';
import { PG_URL } from '../support/stores.js';

/**
 * The dealcheck bench at a tiny scale: the JSON line has the shape the issue names, and the core check
 * finds variants and leaves new customers alone. Timings are not checked here (BENCHMARKS.md records them).
 */
describe('npm run bench -- dealcheck', () => {
  it('answers 200 submissions against 2,000 registrations', { timeout: 180_000 }, async () => {
    const { result } = await runDealcheckBench({
      registrations: 2_000,
      submissions: 200,
      peerSample: 40,
      seed: 7,
      postgresUrl: PG_URL ?? null,
      log: () => {},
    });
    expect(result.registrations).toBe(2_000);
    expect(result.precision as number).toBeGreaterThanOrEqual(0.9);
    expect(result.recall as number).toBeGreaterThanOrEqual(0.9);
    const peers = result.peers as Record<string, { p99_ms: number; precision: number; recall: number }>;
    expect(Object.keys(peers).sort()).toEqual([...(PG_URL ? ['pg_trgm'] : []), 'sqlite_fts5'].sort());
    for (const p of Object.values(peers)) {
      expect(p.p99_ms).toBeGreaterThan(0);
      expect(p.precision).toBeGreaterThanOrEqual(0);
      expect(p.recall).toBeGreaterThanOrEqual(0);
    }
  });

  it('ends with the JSON line the issue names', { timeout: 180_000 }, async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (
      errors.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    let result: Record<string, unknown>;
    try {
      result = await dealcheckBench([
        '--registrations',
        '2000',
        '--submissions',
        '200',
        '--peer-sample',
        '20',
        '--json',
      ]);
    } finally {
      process.stderr.write = write;
    }
    const line = JSON.stringify({ bench: 'dealcheck', ...result });
    expect(Object.keys(JSON.parse(line))).toEqual([
      'bench',
      'registrations',
      'p50_ms',
      'p99_ms',
      'precision',
      'recall',
      'build_s',
      'rss_mb',
      'peers',
    ]);
    const peers = result.peers as Record<string, Record<string, number>>;
    for (const p of Object.values(peers)) expect(Object.keys(p)).toEqual(['p99_ms', 'precision', 'recall']);
    expect(errors.join('')).toMatch(/check: p50/);
  });
});
