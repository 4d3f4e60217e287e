import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draftOf, runSimulateBench } from '../../bench/simulate.js';

describe('npm run bench -- simulate: the draft', () => {
  it('raises the base rates by half a point, lowers one Gold threshold by 20%, sets the multiplier to x1.3', () => {
    const program = `components:
  - code: base-rebate
    kind: base-rebate
    rates:
      gold: { storage: 2%, servers: 1.5% }
  - code: exclusivity-multiplier
    kind: payout-multiplier
    factor: x1.25 # seed
tiers:
  - code: authorized
  - code: gold
    requirements:
      - zones: [emea-1]
        paths:
          - { name: Path 1, revenue: USD 3.6M }
      - zones: [north-america] # demo
        paths:
          - { name: Path 1, revenue: USD 6M }
          - { name: Path 2, revenue: USD 1.2M }
`;
    const draft = draftOf(program);
    expect(draft).toContain('gold: { storage: 2.5%, servers: 2% }');
    expect(draft).toContain('factor: x1.3 # seed');
    expect(draft).toContain('{ name: Path 1, revenue: USD 3.6M }');
    expect(draft).toContain('{ name: Path 1, revenue: USD 4.8M }');
    expect(draft).toContain('{ name: Path 2, revenue: USD 1.2M }');
  });
});

describe('npm run bench -- simulate on a small demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-simulate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'simulates the draft over the year ending at the last closed quarter, cold and warm, and agrees with DuckDB',
    { timeout: 120_000 },
    async () => {
      const { result, cold, warm, peer } = await runSimulateBench({
        scale: 'small',
        seed: 7,
        dir,
        postgresUrl: null,
        sizes: { partners: 40, customers: 500, orderLines: 3_000 },
        log: () => undefined,
      });
      expect(Object.keys(result).slice(0, 9)).toEqual([
        'scale',
        'lines',
        'partners',
        'cold_s',
        'warm_s',
        'rss_mb',
        'baseline_equals_ledger',
        'peers',
        'seed',
      ]);
      expect(result).toMatchObject({
        scale: 'small',
        baseline_equals_ledger: true,
        draft_version: 'FY27',
        shards: 1,
      });
      expect(result.peers).toMatchObject({ duckdb_agrees: true, duckdb_mismatches: 0 });
      expect(typeof (result.peers as { duckdb_s: unknown }).duckdb_s).toBe('number');
      // The year ending at the demo's last closed quarter: Dell's FY27, its four quarters, the last closed.
      expect(result.periods).toEqual(['FY27-Q1', 'FY27-Q2', 'FY27-Q3', 'FY27-Q4']);
      expect(result.closed_periods).toEqual(['FY27-Q4']);
      expect(result.lines as number).toBeGreaterThan(0);
      expect(result.lines).toBe(cold.lines);
      expect(result.partners).toBe(cold.comparison.totals.partners);
      expect(peer.partners).toBe(cold.comparison.totals.partners);
      // Raised rates and a higher multiplier: the draft pays more, and the warm run repeats the cold one.
      expect(cold.comparison.totals.draftMinor).toBeGreaterThan(cold.comparison.totals.baselineMinor);
      expect(warm.comparison).toEqual(cold.comparison);
      expect(warm.id).not.toBe(cold.id);
    },
  );
});
