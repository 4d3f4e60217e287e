import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runApiBench } from '../../bench/api.js';

/**
 * The api bench on a tiny demo world: it signs in as every demo account, reaches every GET route of the
 * OpenAPI document, gets no 5xx, and measures health during a close dry run. Timings are not checked here
 * (BENCHMARKS.md records them).
 */
describe('npm run bench -- api', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-api-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('calls every GET route as every role', { timeout: 300_000 }, async () => {
    const { result, timings } = await runApiBench({
      scale: 'small',
      // The smallest world in which every demo account has records to list (kept small: this runs in CI).
      sizes: { partners: 40, customers: 500, orderLines: 5_000 },
      repeat: 1,
      dataDir: dir,
      log: () => {},
    });
    expect(result).toMatchObject({ scale: 'small', store: 'sqlite', timeouts: 0 });
    expect(result.routes).toBeGreaterThanOrEqual(25);
    expect(typeof result.blocked_ms_max).toBe('number');
    expect(timings.filter((t) => t.statuses.some((s) => s >= 500))).toEqual([]);
    const roles = new Set(timings.map((t) => t.role));
    expect(roles).toContain('sales@northwind.demo');
    expect(roles).toContain('admin@meridian.demo');
    // Every demo account called every route it can see.
    const accounts = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as unknown[];
    expect(roles.size).toBe(accounts.length);
    const routes = new Set(timings.map((t) => t.route.split('?')[0]));
    expect(routes.size).toBe(result.routes);
  });
});
