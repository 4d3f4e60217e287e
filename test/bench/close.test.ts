import { describe, expect, it } from 'vitest';
import { runCloseBench } from '../../bench/close.js';
import { PG_URL } from '../support/stores.js';

/**
 * The close bench at a tiny scale: every peer (json-rules-engine on a sample, SQLite, DuckDB, and
 * PostgreSQL when TRELLIS_TEST_DATABASE_URL is set) agrees with the engine to the cent. Timings are not
 * checked here (BENCHMARKS.md records them).
 */
describe('npm run bench -- close', () => {
  it('agrees with every peer on 20,000 lines', { timeout: 180_000 }, async () => {
    const { result, disagreements } = await runCloseBench({
      lines: 20_000,
      partners: 500,
      customers: 5_000,
      sample: 2_000,
      rounds: 1,
      coldRounds: 1,
      threads: 2, // the worker path too: its merge is checked against one thread
      postgresUrl: PG_URL ?? null,
      log: () => {},
    });
    expect(disagreements).toEqual([]);
    expect(result).toMatchObject({ lines: 20_000, agree: true, plan_lines: 20_000 });
    expect(result.plan_lines_per_s).toBeGreaterThan(0);
    const peers = result.peers as Record<string, number>;
    expect(Object.keys(peers).sort()).toEqual(
      ['duckdb', 'json-rules-engine', 'sqlite', ...(PG_URL ? ['postgres'] : [])].sort(),
    );
    for (const rate of Object.values(peers)) expect(rate).toBeGreaterThan(0);
    // Every component pays something on this period, so the comparison covers them all; except the
    // registered-deal bonus: the bench's lines name no registration (its engine, columnar and close
    // agreement is tested in src/core/incentives and test/server/deals.test.ts).
    for (const [code, total] of Object.entries(result.totals_minor as Record<string, number>)) {
      if (code === 'registered-deal') expect(total).toBe(0);
      else expect(total, code).not.toBe(0);
    }
  });
});
